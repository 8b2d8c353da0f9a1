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
from django.db import IntegrityError, connection, transaction
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


def _insert_returning(model, columns: list[str], rows: list[tuple], *, skip_conflicts: bool) -> list[tuple]:
    """One ``INSERT ... VALUES ... [ON CONFLICT DO NOTHING] RETURNING id, deadline_id,
    milestone, recipient_id``: the rows it inserted (a row whose key is already there
    is skipped and not returned), with no model instance built per row. PostgreSQL,
    and SQLite 3.35 and later."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES {', '.join([one] * len(rows))}"
        f"{' ON CONFLICT DO NOTHING' if skip_conflicts else ''} "
        "RETURNING id, deadline_id, milestone, recipient_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        return cursor.fetchall()


def _link_messages(links: list[tuple[int, int]]) -> None:
    """Set ``message_id`` of in-app log rows: one ``UPDATE ... FROM (VALUES ...)``."""
    if not links:
        return
    quote = connection.ops.quote_name
    table = quote(DeliveryLog._meta.db_table)
    sql = (
        f"UPDATE {table} SET message_id = v.column2 "  # noqa: S608 - our own table name
        f"FROM (VALUES {', '.join(['(%s, %s)'] * len(links))}) AS v "
        f"WHERE {table}.id = v.column1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for link in links for value in link])


def _deliver_many_values(batch, *, done, moment) -> tuple[set, set, list]:
    """One batch, written with plain ``INSERT ... VALUES ... RETURNING`` (SQLite): the
    in-app log rows, their messages, the links, the e-mail rows."""
    sent, queued = EmailStatus.SENT.value, EmailStatus.QUEUED.value
    by_key = {_key(d): d for d in batch}
    in_app = [d for d in batch if (d.recipient.pk, Channel.IN_APP) not in done.get(_key(d)[:2], set())]
    inserted = _insert_returning(
        DeliveryLog,
        LOG_COLUMNS,
        [(*_key(d), Channel.IN_APP.value, sent, moment, moment, moment, 0, "", None, None) for d in in_app],
        skip_conflicts=True,
    )
    log_of = {tuple(log_key): pk for pk, *log_key in inserted}
    messages = _insert_returning(
        Message,
        ["recipient_id", "deadline_id", "kind", "milestone", "subject", "body", "created_at"],
        [(k[2], k[0], by_key[k].kind, k[1], by_key[k].subject, by_key[k].body, moment) for k in log_of],
        skip_conflicts=False,
    )
    message_of = {tuple(message_key): pk for pk, *message_key in messages}
    _link_messages([(log_of[k], message_id) for k, message_id in message_of.items()])
    expires = connection.ops.adapt_datetimefield_value
    emails = _insert_returning(
        DeliveryLog,
        LOG_COLUMNS,
        [
            (
                *_key(d),
                Channel.EMAIL.value,
                queued,
                None,
                moment,
                moment,
                0,
                "",
                message_of.get(_key(d)),
                expires(d.expires_at),
            )
            for d in _emails(batch, done)
        ],
        skip_conflicts=True,
    )
    return set(message_of), {tuple(k) for _, *k in emails}, [pk for pk, *_ in emails]


def _deliver_many_unnest(batch, *, done, moment) -> tuple[set, set, list]:
    """One batch on PostgreSQL: four set-based statements over arrays (``unnest``),
    no link to write afterwards. The messages' ids are drawn from their sequence
    first, so each in-app log row is inserted with its message's id (the foreign key
    is checked at commit) and only the messages whose row was inserted are written."""
    by_key = {_key(d): d for d in batch}
    in_app = [d for d in batch if (d.recipient.pk, Channel.IN_APP) not in done.get(_key(d)[:2], set())]
    log_table = connection.ops.quote_name(DeliveryLog._meta.db_table)
    message_table = connection.ops.quote_name(Message._meta.db_table)
    created: set = set()
    message_of: dict = {}
    with connection.cursor() as cursor:
        if in_app:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Message._meta.db_table, len(in_app)],
            )
            drawn = {_key(d): row[0] for d, row in zip(in_app, cursor.fetchall(), strict=True)}
            cursor.execute(
                f"INSERT INTO {log_table} (deadline_id, milestone, recipient_id, message_id, channel, "  # noqa: S608
                " status, sent_at, created_at, next_attempt_at, attempts, last_error) "
                "SELECT u.d, u.m, u.r, u.msg, %s, %s, %s, %s, %s, 0, '' "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::integer[], %s::bigint[]) AS u(d, m, r, msg) "
                "ON CONFLICT DO NOTHING RETURNING deadline_id, milestone, recipient_id",
                [
                    Channel.IN_APP.value,
                    EmailStatus.SENT.value,
                    moment,
                    moment,
                    moment,
                    [k[0] for k in drawn],
                    [k[1] for k in drawn],
                    [k[2] for k in drawn],
                    list(drawn.values()),
                ],
            )
            created = {tuple(row) for row in cursor.fetchall()}
            message_of = {k: drawn[k] for k in created}
            mine = [by_key[k] for k in message_of]
            cursor.execute(
                f"INSERT INTO {message_table} (id, recipient_id, deadline_id, kind, milestone, "  # noqa: S608
                " subject, body, created_at) "
                "SELECT u.id, u.r, u.d, u.k, u.m, u.s, u.b, %s "
                "FROM unnest(%s::bigint[], %s::integer[], %s::bigint[], %s::varchar[], %s::varchar[], "
                " %s::varchar[], %s::text[]) AS u(id, r, d, k, m, s, b)",
                [
                    moment,
                    list(message_of.values()),
                    [d.recipient.pk for d in mine],
                    [d.deadline_id for d in mine],
                    [d.kind for d in mine],
                    [d.milestone for d in mine],
                    [d.subject for d in mine],
                    [d.body for d in mine],
                ],
            )
        email = _emails(batch, done)
        if not email:
            return created, set(), []
        cursor.execute(
            f"INSERT INTO {log_table} (deadline_id, milestone, recipient_id, message_id, expires_at, "  # noqa: S608
            " channel, status, created_at, next_attempt_at, attempts, last_error) "
            "SELECT u.d, u.m, u.r, u.msg, u.e, %s, %s, %s, %s, 0, '' "
            "FROM unnest(%s::bigint[], %s::varchar[], %s::integer[], %s::bigint[], %s::timestamptz[]) "
            " AS u(d, m, r, msg, e) "
            "ON CONFLICT DO NOTHING RETURNING id, deadline_id, milestone, recipient_id",
            [
                Channel.EMAIL.value,
                EmailStatus.QUEUED.value,
                moment,
                moment,
                [d.deadline_id for d in email],
                [d.milestone for d in email],
                [d.recipient.pk for d in email],
                [message_of.get(_key(d)) for d in email],
                [d.expires_at for d in email],
            ],
        )
        rows = cursor.fetchall()
    return created, {tuple(k) for _, *k in rows}, [pk for pk, *_ in rows]


def _key(d: Delivery) -> tuple[int, str, int]:
    return (d.deadline_id, d.milestone, d.recipient.pk)


def _emails(batch, done) -> list[Delivery]:
    """The deliveries of a batch that also go by e-mail and are not in the log yet."""
    return [
        d
        for d in batch
        if d.email
        and d.recipient.email
        and (d.recipient.pk, Channel.EMAIL) not in done.get(_key(d)[:2], set())
    ]


LOG_COLUMNS = [
    "deadline_id",
    "milestone",
    "recipient_id",
    "channel",
    "status",
    "sent_at",
    "created_at",
    "next_attempt_at",
    "attempts",
    "last_error",
    "message_id",
    "expires_at",
]


def deliver_many(
    deliveries: list[Delivery], *, done: dict[tuple[int, str], set], batch_size: int = 500
) -> tuple[set, set]:
    """``deliver`` for many messages about clocks, written in batches: four statements
    per batch on PostgreSQL (draw the messages' ids; insert the in-app log rows,
    returning those inserted; insert their messages; insert the e-mail rows,
    returning those inserted), whatever the number of messages, set-based and with
    no model instance per row. Best called inside the caller's transaction.

    At most once, like ``deliver``: each insert skips a key already in the log (a
    concurrent sender's insert of the same key waits for it to commit, then is
    skipped). Returns the (deadline id, milestone, recipient id) keys whose in-app
    message, and whose e-mail, this call created; the e-mails are handed to the
    outbox when the transaction commits.
    """
    created: set = set()
    emailed: set = set()
    now = timezone.now()
    if connection.vendor == "postgresql":
        write, moment = _deliver_many_unnest, now
    else:
        write, moment = _deliver_many_values, connection.ops.adapt_datetimefield_value(now)
    # One transaction (a savepoint in the caller's): a log row names its message
    # before the message is written, which only the check at commit allows.
    with transaction.atomic():
        for batch in _batches(deliveries, batch_size):
            batch_created, batch_emailed, email_ids = write(batch, done=done, moment=moment)
            created |= batch_created
            emailed |= batch_emailed
            for log_id in email_ids:
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
