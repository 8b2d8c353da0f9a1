from django.contrib import admin

from .models import (
    Agency,
    AuditEvent,
    Deadline,
    LearningTheme,
    Membership,
    NonWorkingDay,
    Partnership,
)


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "local_authority_area", "rapid_review_anchor"]
    search_fields = ["name", "code", "local_authority_area"]
    inlines = [AgencyInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "partnership"]
    list_filter = ["kind", "partnership"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "agency"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["agency"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["reference", "rule", "stage", "due_date", "status", "partnership"]
    list_filter = ["status", "stage", "rule", "partnership"]
    search_fields = ["reference"]
    readonly_fields = [f.name for f in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never changed or deleted."""

    list_display = ["at", "action", "subject_label", "actor", "partnership"]
    list_filter = ["action", "partnership"]
    search_fields = ["subject_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearningTheme)
class LearningThemeAdmin(admin.ModelAdmin):
    """The national list of learning themes is editable here."""

    list_display = ["name", "slug", "active"]
    list_editable = ["active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
