"""Services of the deadlines app: telling staff about statutory clocks.

The sweep (``sweep_deadlines``), run by Celery beat several times a day:

- marks open deadlines whose due day has passed as missed (the kernel's
  ``mark_missed_deadlines``), and meets a publication window that ran its
  12 months with the report still up (``meet_elapsed_windows``);
- sends each open deadline's reminder at the lead times of its rule
  (``Rule.reminders``, working days before the due date, 0 = the due day) to the
  people who own the step: the deadline's owner, or else the partnership's
  business managers; the partner leads as well for rapid review clocks;
- escalates a missed deadline to the partnership's partner leads and business
  managers (and its owner).

Every message is an in-app notification and, unless the user turned that kind
of reminder off, an e-mail (escalations cannot be turned off), sent through the
messaging app's ``deliver``, which sends nothing twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cspr import locks
from cspr.deadlines import RULES, Rule
from cspr.formats import long_date
from cspr.locks import try_advisory_xact_lock
from cspr.models import Deadline, Membership
from cspr.roles import Role
from cspr.services import mark_missed_deadlines, meet_elapsed_windows
from cspr.workdays import WorkingCalendar, current_calendar
from messaging.models import DeliveryLog, EmailPreference, MessageKind
from messaging.services import (
    Delivery,
    all_delivered,
    deliver,
    deliver_many,
    delivered,
    delivered_without_deadline,
    preferences_of,
)

from .models import CalendarFeed

#: A deadline missed longer ago than this is not escalated any more (it was, then).
ESCALATION_WINDOW_DAYS = 30
DIGEST_WORKING_DAYS = 10
#: A digest e-mail not delivered within this long is cancelled (next week's replaces it).
DIGEST_LIFETIME = dt.timedelta(days=6)

Channel = DeliveryLog.Channel
MISSED = "missed"  # the prefix of an escalation's milestone


def reminder_milestone(lead: int, due: dt.date) -> str:
    """The key of one reminder of one clock: its lead time and the due date it counts
    to, so that a clock moved to a new due date (a corrected notification date) is
    reminded again on the new dates."""
    return f"reminder-{lead}-{due:%Y%m%d}"


def escalation_milestone(due: dt.date) -> str:
    """The key of the escalation of a clock missed on ``due`` (a clock moved and then
    missed again is escalated again)."""
    return f"{MISSED}-{due:%Y%m%d}"


def digest_milestone(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"digest-{year}-W{week:02d}"


def end_of_day(day: dt.date, *, today: dt.date, now: dt.datetime) -> dt.datetime:
    """The end of ``day`` (midnight after it, local time), counted from ``now`` as the
    sweep's ``today``: a reminder unsent by then is cancelled (see ``deliver``)."""
    shift = timezone.localdate(now) - today
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight) + shift


def _site_link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@dataclasses.dataclass
class SweepResult:
    marked_missed: int = 0
    windows_met: int = 0
    reminders: int = 0
    escalations: int = 0
    emails: int = 0
    skipped: bool = False

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# ---------------------------------------------------------------------------
# Who hears about a deadline
# ---------------------------------------------------------------------------


def _teams(partnership_ids) -> dict[int, dict[str, list]]:
    """The partner leads and business managers of each partnership: ONE query."""
    teams: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    memberships = Membership.objects.filter(
        partnership_id__in=set(partnership_ids),
        role__in=[Role.PARTNER_LEAD, Role.BUSINESS_MANAGER],
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        teams[membership.partnership_id][membership.role].append(membership.user)
    return teams


def _unique(users) -> list:
    seen, result = set(), []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def reminder_recipients(deadline: Deadline, team: dict[str, list]) -> list:
    """The people who own the step: the owner if set, else the business managers;
    partner leads too for rapid review clocks (they sign it off)."""
    rule = deadline.rule_definition
    people = [deadline.owner] if deadline.owner_id else list(team.get(Role.BUSINESS_MANAGER, []))
    if rule.stage == Deadline.Stage.RAPID_REVIEW:
        people += team.get(Role.PARTNER_LEAD, [])
    return _unique(people)


def escalation_recipients(deadline: Deadline, team: dict[str, list]) -> list:
    return _unique([*team.get(Role.PARTNER_LEAD, []), *team.get(Role.BUSINESS_MANAGER, []), deadline.owner])


# ---------------------------------------------------------------------------
# Which reminder is due
# ---------------------------------------------------------------------------


def current_reminder_lead(
    rule: Rule, due: dt.date, today: dt.date, calendar: WorkingCalendar, cache: dict
) -> int | None:
    """The lead time (working days before ``due``) of the latest reminder whose day has
    come, or None. After a missed sweep only the latest reminder goes, not a burst."""
    if today > due:
        return None
    for lead in sorted(rule.reminders):
        key = (due, lead)
        if key not in cache:
            cache[key] = calendar.add_working_days(due, -lead) if lead else due
        if cache[key] <= today:
            return lead
    return None


def _reminder_text(deadline: Deadline, lead: int, calendar_days_left: int) -> tuple[str, str]:
    rule = deadline.rule_definition
    when = "today" if lead == 0 else f"in {lead} working day{'s' if lead != 1 else ''}"
    subject = f"{deadline.reference}: {rule.title} is due {when}"
    body = (
        f"{rule.title} for {deadline.reference} ({deadline.partnership.name}) is due on "
        f"{long_date(deadline.due_date)}.\n\n"
        f"The clock: {rule.describe(deadline.partnership)}.\nSource: {rule.source}.\n\n"
        f"See every clock of the partnership: {_site_link('/deadlines/')}\n"
    )
    return subject, body


def _escalation_text(deadline: Deadline) -> tuple[str, str]:
    rule = deadline.rule_definition
    subject = f"Missed: {deadline.reference}: {rule.title} was due {long_date(deadline.due_date)}"
    body = (
        f"The statutory deadline to {rule.title[0].lower()}{rule.title[1:]} for "
        f"{deadline.reference} ({deadline.partnership.name}) was due on "
        f"{long_date(deadline.due_date)} and has not been met.\n\n"
        f"The clock: {rule.describe(deadline.partnership)}.\nSource: {rule.source}.\n\n"
        "Record the event that meets it as soon as it happens, or, if a partner lead decides "
        f"it no longer applies, waive it with a reason: {_site_link('/deadlines/')}\n\n"
        "Escalations go to the partnership's partner leads and business managers and "
        "cannot be turned off.\n"
    )
    return subject, body


# ---------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------


@transaction.atomic
def escalations_due(*, now: dt.datetime):
    """Missed deadlines not escalated since they were (last) missed; recently missed
    only: old ones were escalated then. The check is an anti-join on the delivery
    log's partial index ``delivery_escalations`` (its condition, the milestone's
    prefix, written exactly as here so that PostgreSQL can use it): one index probe
    per recently missed clock, however long the log grows."""
    breach_rules = [code for code, rule in RULES.items() if rule.breach]
    return (
        Deadline.objects.filter(
            status=Deadline.Status.MISSED,
            rule__in=breach_rules,
            missed_at__gte=now - dt.timedelta(days=ESCALATION_WINDOW_DAYS),
        )
        .exclude(
            Exists(
                DeliveryLog.objects.filter(
                    deadline=OuterRef("pk"),
                    milestone__startswith=f"{MISSED}-",  # the index's condition, word for word
                    created_at__gte=OuterRef("missed_at"),
                )
            )
        )
        .select_related("partnership", "owner")
        .order_by("due_date", "id")
    )


def sweep_deadlines(*, today: dt.date | None = None, now: dt.datetime | None = None) -> SweepResult:
    """Mark missed deadlines, send due reminders and escalations. Idempotent."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    result = SweepResult()
    calendar = current_calendar()  # one calendar (one query) for the whole sweep
    result.marked_missed = mark_missed_deadlines(today=today)
    result.windows_met = meet_elapsed_windows(today=today)

    # Open deadlines whose reminder window has begun: a bounded slice, not every row.
    max_lead = max(max(rule.reminders, default=0) for rule in RULES.values())
    horizon = calendar.add_working_days(today, max_lead) + dt.timedelta(days=4)
    cache: dict = {}
    reminders: list[tuple[Deadline, int]] = []
    for deadline in (
        Deadline.objects.filter(status=Deadline.Status.OPEN, due_date__gte=today, due_date__lte=horizon)
        .select_related("partnership", "owner")
        .order_by("due_date", "id")
    ):
        lead = current_reminder_lead(deadline.rule_definition, deadline.due_date, today, calendar, cache)
        if lead is not None:
            reminders.append((deadline, lead))

    escalations = list(escalations_due(now=now))
    if not reminders and not escalations:
        return result

    teams = _teams({d.partnership_id for d, _ in reminders} | {d.partnership_id for d in escalations})
    plans = []
    for deadline, lead in reminders:
        team = teams.get(deadline.partnership_id, {})
        plans.append(
            (
                deadline,
                MessageKind.REMINDER,
                reminder_milestone(lead, deadline.due_date),
                lead,
                reminder_recipients(deadline, team),
            )
        )
    for deadline in escalations:
        team = teams.get(deadline.partnership_id, {})
        plans.append(
            (
                deadline,
                MessageKind.ESCALATION,
                escalation_milestone(deadline.due_date),
                None,
                escalation_recipients(deadline, team),
            )
        )
    preferences = preferences_of(user.pk for *_, people in plans for user in people)
    existing = delivered(deadline_ids={d.pk for d, *_ in plans}, milestones={p[2] for p in plans})

    deliveries: list[Delivery] = []
    for deadline, kind, milestone, lead, people in plans:
        done = existing.get((deadline.pk, milestone), set())

        def wants_email(user, lead=lead, kind=kind):
            if kind == MessageKind.ESCALATION:
                return True  # escalations cannot be turned off
            pref = preferences.get(user.pk) or EmailPreference(user_id=user.pk)
            return pref.wants_reminder(lead)

        if all_delivered(people, done, wants_email):
            continue
        if kind == MessageKind.ESCALATION:
            subject, body = _escalation_text(deadline)
            # An escalation's e-mail is always of use; a reminder's not after its due day.
            expires_at = None
        else:
            subject, body = _reminder_text(deadline, lead, (deadline.due_date - today).days)
            expires_at = end_of_day(deadline.due_date, today=today, now=now)
        deliveries += [
            Delivery(
                recipient=user,
                deadline_id=deadline.pk,
                kind=kind,
                milestone=milestone,
                subject=subject,
                body=body,
                email=wants_email(user),
                expires_at=expires_at,
            )
            for user in people
        ]
    # Written in batches: the statements grow with the batches, not the messages.
    created, emailed = deliver_many(deliveries, done=existing)
    for _deadline_id, milestone, _recipient_id in created:
        if milestone.startswith(MISSED):
            result.escalations += 1
        else:
            result.reminders += 1
    result.emails = len(emailed)
    return result


def run_scheduled_sweep(*, today: dt.date | None = None) -> SweepResult:
    """The scheduled scan: one at a time across all workers (advisory lock); a second
    one that finds the lock taken does nothing (the first sends everything). Its
    e-mails are queued when it commits and sent by the messaging outbox, each on its
    own; retries are the outbox's, on their own clock, not the sweep's."""
    with transaction.atomic():
        if not try_advisory_xact_lock(locks.SWEEP_DEADLINES):
            return SweepResult(skipped=True)
        result = sweep_deadlines(today=today)
    return result


# ---------------------------------------------------------------------------
# The weekly digest
# ---------------------------------------------------------------------------


def _digest_text(user, today, horizon, overdue, due_soon, calendar) -> tuple[str, str]:
    subject = (
        f"Deadlines for the week of {long_date(today)}: {len(overdue)} overdue, {len(due_soon)} due soon"
    )
    lines = [f"Hello {user.get_full_name() or user.get_username()},", ""]
    lines.append(f"Overdue ({len(overdue)}):")
    if not overdue:
        lines.append("  Nothing is overdue.")
    for d in overdue:
        days = -calendar.working_days_between(today, d.due_date)
        lines.append(
            f"  - {d.reference}: {d.rule_definition.title}, due {long_date(d.due_date)} "
            f"({days} working day{'s' if days != 1 else ''} overdue), {d.partnership.name}"
        )
    lines += [
        "",
        f"Due in the next {DIGEST_WORKING_DAYS} working days, by {long_date(horizon)} ({len(due_soon)}):",
    ]
    if not due_soon:
        lines.append("  Nothing is due.")
    for d in due_soon:
        lines.append(
            f"  - {d.reference}: {d.rule_definition.title}, due {long_date(d.due_date)}, {d.partnership.name}"
        )
    lines += ["", f"See every clock: {_site_link('/deadlines/')}", ""]
    return subject, "\n".join(lines)


@transaction.atomic
def send_weekly_digest(*, today: dt.date | None = None) -> int:
    """One message per business manager listing what is overdue and what is due in the
    next 10 working days in their partnerships. Once per ISO week. Returns how many."""
    today = today or timezone.localdate()
    if not try_advisory_xact_lock(locks.WEEKLY_DIGEST):
        return 0
    calendar = current_calendar()
    horizon = calendar.add_working_days(today, DIGEST_WORKING_DAYS)
    milestone = digest_milestone(today)

    managers: dict[int, tuple] = {}
    for membership in Membership.objects.filter(
        role=Role.BUSINESS_MANAGER, user__is_active=True
    ).select_related("user"):
        user, pids = managers.setdefault(membership.user_id, (membership.user, set()))
        pids.add(membership.partnership_id)
    if not managers:
        return 0
    done = delivered_without_deadline(milestone=milestone)
    preferences = preferences_of(managers)
    pending = {uid: v for uid, v in managers.items() if (uid, Channel.IN_APP) not in done[uid]}
    if not pending:
        return 0
    all_pids = set().union(*(pids for _, pids in pending.values()))
    by_partnership: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in (
        Deadline.objects.filter(
            partnership_id__in=all_pids,
            status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
            due_date__lte=horizon,
        )
        .select_related("partnership")
        .order_by("due_date", "reference", "id")
    ):
        by_partnership[deadline.partnership_id].append(deadline)

    sent = 0
    for user_id, (user, pids) in pending.items():
        rows = sorted(
            (d for pid in pids for d in by_partnership.get(pid, [])),
            key=lambda d: (d.due_date, d.reference, d.pk),
        )
        overdue = [d for d in rows if d.due_date < today]
        due_soon = [d for d in rows if d.due_date >= today and d.status == Deadline.Status.OPEN]
        subject, body = _digest_text(user, today, horizon, overdue, due_soon, calendar)
        pref = preferences.get(user_id) or EmailPreference(user_id=user_id)
        created, _ = deliver(
            recipient=user,
            deadline_id=None,
            kind=MessageKind.DIGEST,
            milestone=milestone,
            subject=subject,
            body=body,
            email=pref.weekly_digest,
            done=done[user_id],
            expires_at=timezone.now() + DIGEST_LIFETIME,
        )
        sent += created
    return sent


# ---------------------------------------------------------------------------
# The calendar feed
# ---------------------------------------------------------------------------


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_for(*, user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": new_calendar_token()})
    return feed


@transaction.atomic
def reset_calendar_feed(*, user) -> CalendarFeed:
    """Issue a new secret address; the old one stops working at once."""
    if not user.is_authenticated:
        raise ValidationError("Sign in to reset your calendar address.")
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": new_calendar_token()}
    )
    if not created:
        feed.token = new_calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
