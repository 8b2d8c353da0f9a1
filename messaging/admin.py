"""The delivery log in the admin: read only (it is the record of what was sent)."""

from django.contrib import admin

from .models import DeliveryLog


@admin.register(DeliveryLog)
class DeliveryLogAdmin(admin.ModelAdmin):
    list_display = [
        "milestone",
        "channel",
        "status",
        "recipient",
        "deadline",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["milestone", "deadline__reference"]
    list_select_related = ["recipient", "deadline"]
    readonly_fields = [f.name for f in DeliveryLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
