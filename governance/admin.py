"""Administration: each partnership's retention schedule and privacy notice, the legal
holds and disposal records (read only), and deactivating a leaver's account."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import services
from .models import DisposalRecord, LegalHold, PrivacyNotice, RetentionSchedule


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "partnership",
        "declined_referral_months",
        "referral_identity_months",
        "draft_report_months",
        "closed_case_months",
        "message_months",
        "delivery_log_months",
    ]


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["partnership", "updated_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["case", "reason", "placed_at", "lifted_at"]
    list_filter = ["reason", "case__partnership"]


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdmin):
    list_display = ["disposed_at", "partnership", "kind", "object_id", "action", "rule"]
    list_filter = ["kind", "partnership"]


@admin.action(description="Deactivate: end sessions, API tokens, grants and memberships")
def deactivate_users(modeladmin, request, queryset):
    done = 0
    for user in queryset.exclude(pk=request.user.pk):
        services.deactivate_user(actor=request.user, user=user)
        done += 1
    modeladmin.message_user(request, f"{done} account(s) deactivated.", messages.SUCCESS)


User = get_user_model()
base = type(admin.site._registry[User]) if admin.site.is_registered(User) else UserAdmin
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class LeaverUserAdmin(base):
    actions = [*(getattr(base, "actions", None) or []), deactivate_users]
