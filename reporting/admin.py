"""The partnership's admin page opens the first yearly report clock when the start of the
first reporting period is set (the kernel's admin cannot: ``cspr`` imports no app)."""

from django.contrib import admin

from cspr.admin import PartnershipAdmin
from cspr.models import Partnership

from . import services
from .models import YearlyReport

admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipWithYearlyReportAdmin(PartnershipAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "yearly_report_period_start" in form.changed_data:
            services.ensure_yearly_report_clock(partnership=obj, actor=request.user)


@admin.register(YearlyReport)
class YearlyReportAdmin(admin.ModelAdmin):
    list_display = ["partnership", "period_start", "period_end", "published_on", "copies_sent_on"]
    list_filter = ["partnership"]
    readonly_fields = [
        "partnership",
        "period_start",
        "period_end",
        "published_on",
        "url",
        "file",
        "copies_sent_on",
        "recorded_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # recorded through the service (pages or API), which moves the clocks
