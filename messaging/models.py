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


class EmailStatus(models.TextChoices):
    """Where an e-mail of the outbox is: queued (waiting for its first or next
    attempt), sending (claimed by one worker until ``claimed_until``), sent,
    failed (refused, tried again at ``next_attempt_at``), abandoned (refused
    ``MESSAGING_EMAIL_MAX_ATTEMPTS`` times: listed for the business managers),
    cancelled (its moment passed before it could go: the clock was met or waived,
    or a reminder's due date went by)."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be tried again"
    ABANDONED = "abandoned", "Not delivered"
    CANCELLED = "cancelled", "Cancelled"


#: E-mails a worker may claim (with a due ``next_attempt_at``).
SENDABLE = (EmailStatus.QUEUED, EmailStatus.FAILED)
#: E-mails nobody will send without a person asking: listed for business managers.
UNDELIVERED = (EmailStatus.FAILED, EmailStatus.ABANDONED)


class DeliveryLog(models.Model):
    """One row per message delivered (or being delivered) on one channel.

    The unique key (deadline, milestone, recipient, channel) is inserted *before*
    anything is sent, in the sweep's transaction: a second sweep, running at the
    same time or after a crash, cannot insert it again, so it sends nothing twice.

    An e-mail row is also the outbox entry: ``status``, ``next_attempt_at`` and the
    lease ``claimed_until`` (see ``messaging.services.send_email``). In-app rows are
    written ``sent``.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", "In the service"
        EMAIL = "email", "E-mail"

    deadline = models.ForeignKey(
        "cspr.Deadline", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    milestone = models.CharField(max_length=30)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    #: When the e-mail backend accepted the e-mail (empty until then; retried if it fails).
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    #: When a worker may (next) try to send it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    #: The lease of the worker sending it: another may take it over once it has passed.
    claimed_until = models.DateTimeField(null=True, blank=True)
    #: After this moment the e-mail is cancelled, not sent (a reminder after its due
    #: day, a digest after its week); empty: it never goes stale by time alone.
    expires_at = models.DateTimeField(null=True, blank=True)

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
            ),
            # The outbox: what is due to be sent (or whose sender's lease ran out).
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(channel="email", status__in=["queued", "failed", "sending"]),
                name="delivery_email_outbox",
            ),
            # The sweep's "escalated since it was missed?" anti-join: one index probe
            # per missed clock, however long the delivery log grows.
            models.Index(
                fields=["deadline", "created_at"],
                condition=models.Q(milestone__startswith="missed-"),
                name="delivery_escalations",
            ),
            # What the business managers are shown.
            models.Index(
                fields=["status"],
                condition=models.Q(channel="email", status__in=["failed", "abandoned"]),
                name="delivery_email_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} to {self.recipient_id} by {self.channel}"

    @property
    def is_escalation(self) -> bool:
        return self.milestone.startswith("missed-")

    @property
    def may_send_again(self) -> bool:
        return self.channel == self.Channel.EMAIL and self.status in UNDELIVERED


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
    weekly_digest = models.BooleanField("The weekly digest (business managers, Monday morning)", default=True)
    rapid_review_news = models.BooleanField(
        "News of the partnership's rapid reviews: a decision recorded, a review sent to the "
        "Panel (panel liaisons)",
        default=True,
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
