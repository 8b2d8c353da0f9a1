"""The serious incident notification to the National Panel (and Ofsted).

Outbound messages to staff (reminders, escalations, digests) live here too (issue 5).
"""

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
    partners_told_on = models.DateField(
        "Date the safeguarding partners were told", null=True, blank=True
    )
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


# ---------------------------------------------------------------------------
# Messages to staff about statutory clocks (issue 5): reminders before a due
# date, escalations when a clock is missed, the weekly digest; the delivery log
# that makes every sweep idempotent; e-mail preferences; the calendar feed.
# ---------------------------------------------------------------------------


class MessageKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    ESCALATION = "escalation", "Escalation"
    DIGEST = "digest", "Weekly digest"


class Message(models.Model):
    """An in-app notification. The user sees it on every page until they mark it read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cspr_messages"
    )
    deadline = models.ForeignKey(
        "cspr.Deadline", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    #: Which reminder it is, for which due date: "reminder-5-20261130" (5 working days
    #: before 30 November 2026), "reminder-0-20261130" (the due day), "missed-20261130",
    #: or "digest-2026-W48".
    milestone = models.CharField(max_length=30)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="message_unread",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryLog(models.Model):
    """One row per message delivered (or being delivered) on one channel.

    The unique key (deadline, milestone, recipient, channel) is inserted *before*
    anything is sent, in the sweep's transaction: a second sweep, running at the
    same time or after a crash, cannot insert it again, so it sends nothing twice.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", "In the service"
        EMAIL = "email", "E-mail"

    deadline = models.ForeignKey(
        "cspr.Deadline", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    milestone = models.CharField(max_length=30)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When the e-mail backend accepted the e-mail (empty until then; retried if it fails).
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "milestone", "recipient", "channel"],
                name="delivery_once_per_deadline",
            ),
            # Digests have no deadline: NULLs are distinct in a unique index.
            models.UniqueConstraint(
                fields=["milestone", "recipient", "channel"],
                condition=models.Q(deadline__isnull=True),
                name="delivery_once_without_deadline",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(channel="email", sent_at__isnull=True),
                name="delivery_email_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} to {self.recipient_id} by {self.channel}"


class EmailPreference(models.Model):
    """Which reminders a user gets by e-mail. Escalations always go by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    early_reminders = models.BooleanField(
        "First reminders (3 or more working days before the due date)", default=True
    )
    late_reminders = models.BooleanField(
        "Last reminders (1 or 2 working days before the due date)", default=True
    )
    due_day_reminders = models.BooleanField("Reminders on the due day", default=True)
    weekly_digest = models.BooleanField(
        "The weekly digest (business managers, Monday morning)", default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"E-mail preferences of {self.user_id}"

    def wants_reminder(self, lead: int) -> bool:
        if lead == 0:
            return self.due_day_reminders
        if lead <= 2:
            return self.late_reminders
        return self.early_reminders


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed address. Resetting it issues a new token and
    the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
