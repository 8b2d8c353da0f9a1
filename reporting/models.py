"""The partnership's yearly report (Children Act 2004 s16G; WT2023 ch2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cspr.uploads import document_upload_to


class YearlyReport(models.Model):
    """A yearly report the safeguarding partners published: what they did under their
    arrangements in the period and how effective the arrangements were. Recording one
    meets the partnership's running ``yearly_report`` clock and starts the next (12
    months from its publication) and the 7 days to send it on."""

    UPLOAD_FOLDER = "yearly-reports"

    partnership = models.ForeignKey(
        "cspr.Partnership", on_delete=models.PROTECT, related_name="yearly_reports"
    )
    period_start = models.DateField("First day of the period the report covers")
    period_end = models.DateField("Last day of the period the report covers")
    published_on = models.DateField("Date the report was published")
    url = models.URLField("Link to the published report", max_length=500, blank=True)
    file = models.FileField(upload_to=document_upload_to, max_length=200, blank=True)
    copies_sent_on = models.DateField(
        "Date the report was sent to the Panel and the Department for Education",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file=""),
                name="yearly_report_link_or_file",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="yearly_report_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.code} yearly report {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_start.year == self.period_end.year:
            return str(self.period_start.year)
        return f"{self.period_start.year} to {self.period_end.year}"

    @property
    def reference(self) -> str:
        """The clocks' reference: the partnership's code and the period."""
        return f"{self.partnership.code} yearly report {self.period_label}"

    @property
    def audit_label(self) -> str:
        return self.reference
