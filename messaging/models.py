"""In-app messages, the e-mail outbox and its delivery log, and e-mail preferences.

The tables keep the names they had when these models lived in ``notifications``
(no row moved when the app was split out).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MessageKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    ESCALATION = "escalation", "Escalation"
    DIGEST = "digest", "Weekly digest"
    NEWS = "news", "News of a rapid review"


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
        db_table = "notifications_message"
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
        db_table = "notifications_deliverylog"
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
    rapid_review_news = models.BooleanField(
        "News of the partnership's rapid reviews: a decision recorded, a review sent to the "
        "Panel (panel liaisons)", default=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "notifications_emailpreference"

    def __str__(self) -> str:
        return f"E-mail preferences of {self.user_id}"

    def wants_reminder(self, lead: int) -> bool:
        if lead == 0:
            return self.due_day_reminders
        if lead <= 2:
            return self.late_reminders
        return self.early_reminders
