"""Telling people something: the one service every app calls (``deliver``), the
e-mail outbox that retries what the backend refused, and the user's own messages
and e-mail preferences.

Nothing is sent twice: a ``DeliveryLog`` row with its unique key (subject clock,
milestone, recipient, channel) is inserted before anything is sent; a second
sender, at the same time or after a crash, fails to insert it and skips the
message.

An e-mail row is the outbox entry. After the transaction that queued it commits,
a worker claims it (``send_email``: row lock with SKIP LOCKED and a lease, in a
short transaction), sends it outside any transaction, and marks it sent in a
transaction of its own: no transaction spans two sends, so a crash can send again
at most the one e-mail in flight. A refused e-mail is tried again on its own clock
(``send_due_emails``, run by beat every few minutes) after a backoff that doubles,
and abandoned after ``MESSAGING_EMAIL_MAX_ATTEMPTS``: then it is listed for the
business managers, who can send it again (``send_again``), and an abandoned
escalation is itself escalated in the service to the partner leads. An e-mail
whose moment has passed (its clock met or waived, a reminder's due date gone by)
is cancelled, not sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cspr import audit
from cspr.formats import long_date
from cspr.models import AuditEvent, Deadline, Membership
from cspr.roles import Role

from .models import SENDABLE, DeliveryLog, EmailPreference, EmailStatus, Message, MessageKind

logger = logging.getLogger(__name__)


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
    expires_at: dt.datetime | None = None,
) -> tuple[bool, bool]:
    """Store the in-app message and queue the e-mail, each at most once.

    Returns (in-app message created, e-mail queued). ``done`` holds the
    (recipient id, channel) pairs already in the log, to skip the insert. An e-mail
    still unsent at ``expires_at`` is cancelled.
    """
    done = done or set()
    created = emailed = False
    message = None
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
                DeliveryLog.objects.filter(pk=log.pk).update(
                    message=message, sent_at=timezone.now(), status=EmailStatus.SENT
                )
                created = True
        if email and recipient.email and (recipient.pk, Channel.EMAIL) not in done:
            log = _claim(
                deadline_id=deadline_id,
                milestone=milestone,
                recipient=recipient,
                channel=Channel.EMAIL,
            )
            if log is not None:
                if message is not None or expires_at is not None:
                    DeliveryLog.objects.filter(pk=log.pk).update(message=message, expires_at=expires_at)
                transaction.on_commit(partial(enqueue_email, log.pk))
                emailed = True
    return created, emailed


@dataclasses.dataclass(frozen=True)
class Delivery:
    """One message for one person about one clock (for ``deliver_many``)."""

    recipient: object
    deadline_id: int
    kind: str
    milestone: str
    subject: str
    body: str
    email: bool
    expires_at: dt.datetime | None = None


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def deliver_many(
    deliveries: list[Delivery], *, done: dict[tuple[int, str], set], batch_size: int = 500
) -> tuple[set, set]:
    """``deliver`` for many messages about clocks, written in batches: a bounded number
    of statements per batch (insert the in-app log rows, read back those this call
    inserted, insert their messages, link them, insert the e-mail rows, read those
    back), whatever the number of messages. Call inside the caller's transaction.

    At most once, like ``deliver``: each insert skips a key already in the log (a
    concurrent sender's insert of the same key waits for it to commit, then is
    skipped). Returns the (deadline id, milestone, recipient id) keys whose in-app
    message, and whose e-mail, this call created; the e-mails are handed to the
    outbox when the transaction commits.
    """
    created: set = set()
    emailed: set = set()
    marker = timezone.now()  # this call's rows: read back by their own created_at
    for batch in _batches(deliveries, batch_size):

        def key(d):
            return (d.deadline_id, d.milestone, d.recipient.pk)

        in_app = [d for d in batch if (d.recipient.pk, Channel.IN_APP) not in done.get(key(d)[:2], set())]
        by_key = {key(d): d for d in batch}
        deadline_ids = {d.deadline_id for d in batch}
        milestones = {d.milestone for d in batch}
        if in_app:
            DeliveryLog.objects.bulk_create(
                [
                    DeliveryLog(
                        deadline_id=d.deadline_id,
                        milestone=d.milestone,
                        recipient=d.recipient,
                        channel=Channel.IN_APP,
                        status=EmailStatus.SENT,
                        sent_at=marker,
                        created_at=marker,
                    )
                    for d in in_app
                ],
                ignore_conflicts=True,
            )
            wanted = {key(d) for d in in_app}
            ours = [
                log
                for log in DeliveryLog.objects.filter(
                    channel=Channel.IN_APP,
                    deadline_id__in=deadline_ids,
                    milestone__in=milestones,
                    recipient_id__in={d.recipient.pk for d in in_app},
                    message__isnull=True,
                    created_at=marker,
                ).only("pk", "deadline_id", "milestone", "recipient_id")
                if (log.deadline_id, log.milestone, log.recipient_id) in wanted
            ]
            messages = Message.objects.bulk_create(
                [
                    Message(
                        recipient_id=log.recipient_id,
                        deadline_id=log.deadline_id,
                        kind=by_key[(log.deadline_id, log.milestone, log.recipient_id)].kind,
                        milestone=log.milestone,
                        subject=by_key[(log.deadline_id, log.milestone, log.recipient_id)].subject,
                        body=by_key[(log.deadline_id, log.milestone, log.recipient_id)].body,
                        created_at=marker,
                    )
                    for log in ours
                ]
            )
            for log, message in zip(ours, messages, strict=True):
                log.message_id = message.pk
                created.add((log.deadline_id, log.milestone, log.recipient_id))
            DeliveryLog.objects.bulk_update(ours, ["message"])
            message_of = {(m.deadline_id, m.milestone, m.recipient_id): m.pk for m in messages}
        else:
            message_of = {}
        email = [
            d
            for d in batch
            if d.email
            and d.recipient.email
            and (d.recipient.pk, Channel.EMAIL) not in done.get(key(d)[:2], set())
        ]
        if not email:
            continue
        DeliveryLog.objects.bulk_create(
            [
                DeliveryLog(
                    deadline_id=d.deadline_id,
                    milestone=d.milestone,
                    recipient=d.recipient,
                    channel=Channel.EMAIL,
                    message_id=message_of.get(key(d)),
                    expires_at=d.expires_at,
                    created_at=marker,
                    next_attempt_at=marker,
                )
                for d in email
            ],
            ignore_conflicts=True,
        )
        wanted = {key(d) for d in email}
        for log_id, deadline_id, milestone, recipient_id in DeliveryLog.objects.filter(
            channel=Channel.EMAIL,
            deadline_id__in=deadline_ids,
            milestone__in=milestones,
            recipient_id__in={d.recipient.pk for d in email},
            created_at=marker,
            status=EmailStatus.QUEUED,
        ).values_list("pk", "deadline_id", "milestone", "recipient_id"):
            if (deadline_id, milestone, recipient_id) in wanted:
                emailed.add((deadline_id, milestone, recipient_id))
                transaction.on_commit(partial(enqueue_email, log_id))
    return created, emailed


# ---------------------------------------------------------------------------
# The e-mail outbox: claim one e-mail, send it, mark it; one at a time
# ---------------------------------------------------------------------------


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` failed ones: doubled each time."""
    seconds = _setting("MESSAGING_EMAIL_BACKOFF_SECONDS") * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, _setting("MESSAGING_EMAIL_BACKOFF_MAX_SECONDS")))


def _due(now: dt.datetime) -> Q:
    """E-mails a worker may claim now: queued or failed and due, or claimed by a
    worker whose lease ran out (it died while sending)."""
    return Q(channel=Channel.EMAIL) & (
        Q(status__in=SENDABLE, next_attempt_at__lte=now)
        | Q(status=EmailStatus.SENDING, claimed_until__lt=now)
    )


def _due_date_of(milestone: str) -> dt.date | None:
    """The due date a reminder or escalation milestone counts to ("...-20261130")."""
    try:
        return dt.datetime.strptime(milestone.rsplit("-", 1)[-1], "%Y%m%d").date()
    except ValueError:
        return None


def moment_passed(log: DeliveryLog, now: dt.datetime) -> str:
    """Why this e-mail should no longer go ("" if it should): its clock was met or
    waived, a reminder's due date went by or moved, a missed clock is open again,
    or the week of a digest is over."""
    if log.expires_at is not None and now >= log.expires_at:
        return "Its moment has passed"
    deadline = log.deadline
    if deadline is None or not (log.milestone.startswith("reminder-") or log.is_escalation):
        # News tied to a clock (a decision recorded, a review sent) stays news when
        # the clock is met: only reminders and escalations lapse with their clock.
        return ""
    if deadline.status in (Deadline.Status.MET, Deadline.Status.WAIVED):
        return f"The deadline was {deadline.get_status_display().lower()}"
    due = _due_date_of(log.milestone)
    if log.milestone.startswith("reminder-"):
        if deadline.status != Deadline.Status.OPEN or due != deadline.due_date:
            return "The deadline changed after the reminder was written"
    elif log.is_escalation and deadline.status != Deadline.Status.MISSED:
        return "The deadline is no longer missed"
    return ""


def _claim_email(*, now: dt.datetime, log_id: int | None = None) -> DeliveryLog | None:
    """Claim one due e-mail (that one, or the next due) in a short transaction of its
    own: row lock with SKIP LOCKED, then a lease (status sending, ``claimed_until``)
    that outlives the transaction. Another worker skips it until the lease runs out.
    An e-mail whose moment has passed is cancelled instead (and returned so)."""
    with transaction.atomic():
        rows = (
            DeliveryLog.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now))
            .select_related("recipient", "deadline", "message")
        )
        rows = rows.filter(pk=log_id) if log_id is not None else rows.order_by("next_attempt_at", "id")
        log = rows.first()
        if log is None:
            return None
        reason = moment_passed(log, now)
        if reason:
            log.status, log.claimed_until, log.last_error = EmailStatus.CANCELLED, None, reason[:200]
            log.save(update_fields=["status", "claimed_until", "last_error"])
            return log
        log.status = EmailStatus.SENDING
        log.claimed_until = now + dt.timedelta(seconds=_setting("MESSAGING_EMAIL_LEASE_SECONDS"))
        log.attempts += 1
        log.save(update_fields=["status", "claimed_until", "attempts"])
        return log


def _content(log: DeliveryLog) -> tuple[str, str] | None:
    message = log.message or (
        Message.objects.filter(
            recipient_id=log.recipient_id, deadline_id=log.deadline_id, milestone=log.milestone
        ).first()
    )
    return (message.subject, message.body) if message is not None else None


def _mark_sent(log: DeliveryLog) -> None:
    with transaction.atomic():
        DeliveryLog.objects.filter(pk=log.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
        )


def _mark_failed(log: DeliveryLog, error: str, *, now: dt.datetime, final: bool = False) -> str:
    """Record a refused attempt: tried again after the backoff, or abandoned after the
    last attempt (and then, for an escalation, the partner leads are told in-app)."""
    abandoned = final or log.attempts >= _setting("MESSAGING_EMAIL_MAX_ATTEMPTS")
    status = EmailStatus.ABANDONED if abandoned else EmailStatus.FAILED
    with transaction.atomic():
        DeliveryLog.objects.filter(pk=log.pk, status=EmailStatus.SENDING).update(
            status=status,
            claimed_until=None,
            last_error=error[:200],
            next_attempt_at=now + backoff(log.attempts),
        )
        if abandoned and log.is_escalation and log.deadline is not None:
            _escalate_undelivered(log)
    return status


def _escalate_undelivered(log: DeliveryLog) -> None:
    """Tell the partnership's partner leads, in the service, that an escalation e-mail
    could not be delivered (once per e-mail)."""
    deadline = log.deadline
    name = log.recipient.get_full_name() or log.recipient.get_username()
    subject = f"Not delivered: the escalation e-mail about {deadline.reference} to {name}"[:200]
    body = (
        f"The e-mail telling {name} that {deadline.reference} missed its deadline of "
        f"{long_date(deadline.due_date)} could not be delivered after {log.attempts} attempts "
        f"({log.last_error or 'refused'}).\n\nMake sure they know. A business manager can send "
        "it again from the list of e-mails not delivered."
    )
    leads = Membership.objects.filter(
        partnership_id=deadline.partnership_id, role=Role.PARTNER_LEAD, user__is_active=True
    ).select_related("user")
    for membership in leads:
        deliver(
            recipient=membership.user,
            deadline_id=deadline.pk,
            kind=MessageKind.ESCALATION,
            milestone=f"undelivered-{log.pk}",
            subject=subject,
            body=body,
            email=False,
        )


def send_email(*, log_id: int | None = None, now: dt.datetime | None = None) -> str | None:
    """Claim one e-mail (``log_id``, or the next due), send it outside any
    transaction, mark it in a transaction of its own. Returns its new status, or
    None when there was nothing to claim (sent already, or another worker has it).

    A worker that dies between the send and the mark leaves it "sending": it is sent
    again when its lease runs out, so a crash duplicates at most the e-mail in flight.
    """
    now = now or timezone.now()
    log = _claim_email(now=now, log_id=log_id)
    if log is None or log.status != EmailStatus.SENDING:
        return log.status if log is not None else None
    content = _content(log)
    if content is None or not log.recipient.email:
        reason = "No address to send to" if content else "The message is gone"
        return _mark_failed(log, reason, now=now, final=True)
    subject, body = content
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [log.recipient.email], fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend failure is retried later
        logger.warning("E-mail %s not sent (%s); attempt %s", log.pk, type(exc).__name__, log.attempts)
        return _mark_failed(log, f"{type(exc).__name__}: {exc}", now=now)
    _mark_sent(log)
    return EmailStatus.SENT


def send_due_emails(
    *, now: dt.datetime | None = None, limit: int | None = None, budget: dt.timedelta | None = None
) -> dict[str, int]:
    """Send every e-mail that is due, one claim at a time, until none is left, or
    ``limit`` were claimed, or ``budget`` (wall-clock) is spent. Counts by outcome."""
    started = time.monotonic()
    counts: dict[str, int] = defaultdict(int)
    claimed = 0
    while limit is None or claimed < limit:
        if budget is not None and time.monotonic() - started > budget.total_seconds():
            break
        status = send_email(now=now)
        if status is None:
            break
        claimed += 1
        counts[status] += 1
    return dict(counts)


def enqueue_email(log_id: int) -> None:
    """After commit: hand the e-mail to a worker. If the broker is away, the e-mail
    stays queued and the outbox's scheduled pass sends it."""
    from .tasks import send_email_task

    try:
        send_email_task.delay(log_id)
    except Exception as exc:  # noqa: BLE001 - the outbox pass sends it later
        logger.warning("E-mail %s left for the outbox (%s)", log_id, type(exc).__name__)


@transaction.atomic
def send_again(*, log_id: int, actor, now: dt.datetime | None = None) -> DeliveryLog:
    """A person asks for an e-mail that failed or was abandoned to be sent again: it is
    queued, due now, with its attempts counted afresh; audited."""
    now = now or timezone.now()
    log = DeliveryLog.objects.select_for_update(of=("self",)).select_related("deadline").get(pk=log_id)
    if not log.may_send_again:
        raise ValidationError("This e-mail is not waiting to be sent again.")
    previous = {"status": log.status, "attempts": log.attempts, "last_error": log.last_error}
    log.status, log.attempts, log.next_attempt_at, log.claimed_until = EmailStatus.QUEUED, 0, now, None
    log.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        subject=log,
        partnership=log.deadline.partnership if log.deadline_id else None,
        label=f"E-mail {log.pk} ({log.milestone})",
        detail={"send_again": True, **previous},
    )
    transaction.on_commit(partial(enqueue_email, log.pk))
    return log


@transaction.atomic
def mark_read(*, user, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all of them, without an id) as read."""
    messages = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_id is not None:
        messages = messages.filter(pk=message_id)
    return messages.update(read_at=timezone.now())


@transaction.atomic
def update_email_preferences(
    *,
    user,
    early_reminders: bool,
    late_reminders: bool,
    due_day_reminders: bool,
    weekly_digest: bool,
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
