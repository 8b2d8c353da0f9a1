"""The serious incident notification to the National Panel (and Ofsted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case


class SeriousIncidentNotification(models.Model):
    """The local authority's notification of a serious incident (Children Act 2004 s16C(1))."""

    class Status(models.TextChoices):
        AWARE = "aware", "Local authority aware, Panel not yet notified"
        NOTIFIED = "notified", "Panel notified"
        WITHDRAWN = "withdrawn", "Withdrawn (did not meet the criteria)"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="notification")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWARE)
    aware_on = models.DateField("Date the local authority became aware")
    notified_panel_on = models.DateField("Date the National Panel was notified", null=True, blank=True)
    panel_reference = models.CharField("Notification reference", max_length=60, blank=True)
    ofsted_required = models.BooleanField(
        "Ofsted must be notified too",
        default=False,
        help_text="The child was looked after, or in a setting Ofsted inspects.",
    )
    notified_ofsted_on = models.DateField("Date Ofsted was notified", null=True, blank=True)
    partners_told_on = models.DateField("Date the safeguarding partners were told", null=True, blank=True)
    incident_local_authority = models.CharField(
        "Local authority where the incident happened", max_length=200, blank=True
    )
    residence_local_authority = models.CharField(
        "Local authority where the child normally lived", max_length=200, blank=True
    )
    withdrawn_reason = models.TextField("Why the notification is withdrawn", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    TRANSITIONS = {
        Status.NOTIFIED: {Status.AWARE},
        Status.WITHDRAWN: {Status.AWARE, Status.NOTIFIED},
    }

    class Meta:
        ordering = ["-aware_on", "-id"]

    def __str__(self) -> str:
        return f"Notification for {self.case.reference}"

    @property
    def partnership(self):
        return self.case.partnership

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} notification"


class CareLeaverDeathReport(models.Model):
    """The death of a care leaver aged 18 to 24, which the local authority notifies to the
    Secretary of State and Ofsted through the DfE online notification service within 5
    working days of becoming aware (WT2023 ch5; rule ``notify_care_leaver_death``).

    Its own kind of report, not a serious incident notification about a child: no case,
    no rapid review. The young person appears by pseudonym or initials only.
    """

    #: Who the notification goes to (shown on the pages and in the API).
    RECIPIENTS = ("The Secretary of State for Education", "Ofsted")
    MIN_AGE, MAX_AGE = 18, 24

    partnership = models.ForeignKey(
        "cspr.Partnership", on_delete=models.PROTECT, related_name="care_leaver_deaths"
    )
    reference = models.CharField(
        max_length=40, unique=True, help_text="The service's reference, like NCC-CL-2026-001."
    )
    pseudonym = models.CharField(
        "The young person's pseudonym or initials",
        max_length=60,
        help_text="Never their name.",
    )
    age = models.PositiveSmallIntegerField("Age at death (years)")
    died_on = models.DateField("Date of death")
    aware_on = models.DateField("Date the local authority became aware")
    notified_on = models.DateField(
        "Date the Secretary of State and Ofsted were notified",
        null=True,
        blank=True,
        help_text="Through the DfE online notification service.",
    )
    notification_reference = models.CharField(
        "Notification reference",
        max_length=60,
        blank=True,
        help_text="The reference the DfE online notification service gave you.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-aware_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__gte=18, age__lte=24), name="care_leaver_death_age_18_to_24"
            ),
        ]

    def __str__(self) -> str:
        return f"Death of a care leaver {self.reference}"

    @property
    def audit_label(self) -> str:
        return f"{self.reference} care leaver death"

    @property
    def is_notified(self) -> bool:
        return self.notified_on is not None
