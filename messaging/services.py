"""Telling people something: the one service every app calls (``deliver``), the
e-mail outbox that retries what the backend refused, and the user's own messages
and e-mail preferences.

Nothing is sent twice: a ``DeliveryLog`` row with its unique key (subject clock,
milestone, recipient, channel) is inserted before anything is sent; a second
sender, at the same time or after a crash, fails to insert it and skips the
message. E-mail goes after the transaction commits; an e-mail the backend refused
(or that a dying worker never sent) stays in the log without ``sent_at`` and
``retry_unsent_emails`` sends it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import DeliveryLog, EmailPreference, Message

logger = logging.getLogger(__name__)

#: E-mails not accepted by the backend this long after they were logged are retried.
RETRY_AFTER = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5

Channel = DeliveryLog.Channel


def preferences_of(user_ids) -> dict[int, EmailPreference]:
    """The saved e-mail preferences of these users, by user id: one query."""
    return {p.user_id: p for p in EmailPreference.objects.filter(user_id__in=set(user_ids))}


def preference_for(user) -> EmailPreference:
    """The user's e-mail preferences (defaults, unsaved, when they never chose)."""
    try:
        return EmailPreference.objects.get(user=user)
    except EmailPreference.DoesNotExist:
        return EmailPreference(user=user)


def delivered(*, deadline_ids, milestones) -> dict[tuple[int, str], set]:
    """(deadline id, milestone) -> {(recipient id, channel)} already logged: one query."""
    found: dict[tuple[int, str], set] = defaultdict(set)
    if not deadline_ids:
        return found
    rows = DeliveryLog.objects.filter(
        deadline_id__in=list(deadline_ids), milestone__in=list(milestones)
    ).values_list("deadline_id", "milestone", "recipient_id", "channel")
    for deadline_id, milestone, recipient_id, channel in rows:
        found[(deadline_id, milestone)].add((recipient_id, channel))
    return found


def delivered_without_deadline(*, milestone: str) -> dict[int, set]:
    """recipient id -> {(recipient id, channel)} already logged for a message tied to
    no clock (a digest): one query."""
    done: dict[int, set] = defaultdict(set)
    for recipient_id, channel in DeliveryLog.objects.filter(
        deadline__isnull=True, milestone=milestone
    ).values_list("recipient_id", "channel"):
        done[recipient_id].add((recipient_id, channel))
    return done


def all_delivered(recipients, done: set, wants_email) -> bool:
    """Whether every recipient already has the message in-app and, if they want it,
    by e-mail."""
    for user in recipients:
        if (user.pk, Channel.IN_APP) not in done:
            return False
        if wants_email(user) and user.email and (user.pk, Channel.EMAIL) not in done:
            return False
    return True


def _claim(*, deadline_id, milestone, recipient, channel) -> DeliveryLog | None:
    """Insert the delivery log row; None if it exists (someone else sent it)."""
    try:
        with transaction.atomic():
            return DeliveryLog.objects.create(
                deadline_id=deadline_id, milestone=milestone, recipient=recipient, channel=channel
            )
    except IntegrityError:
        return None


def _send_logged_email(log_id: int, to: str, subject: str, body: str) -> bool:
    """Send one logged e-mail and record the outcome (called after commit)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend failure is retried later
        logger.warning("E-mail %s not sent (%s); it will be retried", log_id, type(exc).__name__)
        DeliveryLog.objects.filter(pk=log_id).update(
            attempts=F("attempts") + 1, last_error=type(exc).__name__[:200]
        )
        return False
    DeliveryLog.objects.filter(pk=log_id).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def deliver(
    *,
    recipient,
    deadline_id: int | None,
    kind: str,
    milestone: str,
    subject: str,
    body: str,
    email: bool,
    done: set | None = None,
) -> tuple[bool, bool]:
    """Store the in-app message and queue the e-mail, each at most once.

    Returns (in-app message created, e-mail queued). ``done`` holds the
    (recipient id, channel) pairs already in the log, to skip the insert.
    """
    done = done or set()
    created = emailed = False
    with transaction.atomic():
        if (recipient.pk, Channel.IN_APP) not in done:
            log = _claim(
                deadline_id=deadline_id,
                milestone=milestone,
                recipient=recipient,
                channel=Channel.IN_APP,
            )
            if log is not None:
                message = Message.objects.create(
                    recipient=recipient,
                    deadline_id=deadline_id,
                    kind=kind,
                    milestone=milestone,
                    subject=subject,
                    body=body,
                )
                DeliveryLog.objects.filter(pk=log.pk).update(message=message, sent_at=timezone.now())
                created = True
        if email and recipient.email and (recipient.pk, Channel.EMAIL) not in done:
            log = _claim(
                deadline_id=deadline_id,
                milestone=milestone,
                recipient=recipient,
                channel=Channel.EMAIL,
            )
            if log is not None:
                transaction.on_commit(partial(_send_logged_email, log.pk, recipient.email, subject, body))
                emailed = True
    return created, emailed


def retry_unsent_emails(*, now: dt.datetime | None = None) -> int:
    """Send again the logged e-mails the backend did not accept (or a dying worker
    never sent). At-least-once for these: the log row is claimed with SKIP LOCKED."""
    now = now or timezone.now()
    with transaction.atomic():
        logs = list(
            DeliveryLog.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                channel=Channel.EMAIL,
                sent_at__isnull=True,
                attempts__lt=MAX_ATTEMPTS,
                created_at__lt=now - RETRY_AFTER,
            )
            .select_related("recipient", "message")
        )
        sent = 0
        for log in logs:
            message = (
                log.message
                or Message.objects.filter(
                    recipient_id=log.recipient_id, deadline_id=log.deadline_id, milestone=log.milestone
                ).first()
            )
            if message is None or not log.recipient.email:
                continue
            sent += _send_logged_email(log.pk, log.recipient.email, message.subject, message.body)
    return sent


@transaction.atomic
def mark_read(*, user, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all of them, without an id) as read."""
    messages = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_id is not None:
        messages = messages.filter(pk=message_id)
    return messages.update(read_at=timezone.now())


@transaction.atomic
def update_email_preferences(
    *, user, early_reminders: bool, late_reminders: bool, due_day_reminders: bool, weekly_digest: bool,
    rapid_review_news: bool | None = None,
) -> EmailPreference:
    preference, _ = EmailPreference.objects.select_for_update().get_or_create(user=user)
    preference.early_reminders = early_reminders
    preference.late_reminders = late_reminders
    preference.due_day_reminders = due_day_reminders
    preference.weekly_digest = weekly_digest
    if rapid_review_news is not None:
        preference.rapid_review_news = rapid_review_news
    preference.save()
    return preference
