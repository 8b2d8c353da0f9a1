"""Services of the kernel: the one way to open, meet, correct and waive a statutory clock.

Every app that starts a clock calls ``open_deadline``; every event that meets one
calls ``meet_deadline``. When the date that started a clock, or the date it was met
on, was recorded wrongly, ``restart_deadline`` and ``correct_met_on`` correct it.
Keyword-only arguments, one transaction each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from . import audit
from .deadlines import RULES, Lateness, Rule, compute_due_date, get_rule, lateness_of
from .models import Agency, AuditEvent, Deadline, Partnership
from .permissions import can
from .selectors import deadlines_of


def _due_date(
    definition: Rule, start_date: dt.date, partnership: Partnership, due_date: dt.date | None = None
) -> dt.date:
    """The due date of a clock of ``definition`` started on ``start_date``: from the rule
    table and the one calendar, unless the caller gives the date (a date set by hand)."""
    return due_date or compute_due_date(definition, start_date, partnership=partnership)


def _put_on_dates(deadline: Deadline, *, start_date: dt.date, due_date: dt.date) -> None:
    """Move ``deadline`` to new dates (not saved). A missed clock whose new due date has
    not passed is open again; an open clock whose new due date has passed is left to
    the sweep, which marks it missed and escalates it."""
    deadline.start_date, deadline.due_date = start_date, due_date
    if deadline.status == Deadline.Status.MISSED and due_date >= timezone.localdate():
        deadline.status, deadline.missed_at = Deadline.Status.OPEN, None


@transaction.atomic
def open_deadline(
    *,
    rule: str,
    subject: models.Model,
    partnership: Partnership,
    start_date: dt.date,
    reference: str,
    due_date: dt.date | None = None,
    agency: Agency | None = None,
    owner=None,
    actor=None,
) -> Deadline:
    """Start (or restart, with new dates) the clock of ``rule`` for ``subject``.

    Idempotent: one deadline per rule and subject; calling again with another start
    date moves an open deadline, and leaves a closed one alone.
    """
    definition = get_rule(rule)
    due = _due_date(definition, start_date, partnership, due_date)
    subject_type = ContentType.objects.get_for_model(subject)
    deadline, created = Deadline.objects.select_for_update().get_or_create(
        rule=rule,
        subject_type=subject_type,
        subject_id=subject.pk,
        defaults={
            "partnership": partnership,
            "stage": definition.stage,
            "reference": reference,
            "start_date": start_date,
            "due_date": due,
            "agency": agency,
            "owner": owner,
        },
    )
    if created:
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            subject=deadline,
            partnership=partnership,
            label=f"{reference} {rule}",
            detail={"rule": rule, "due_date": due.isoformat()},
        )
        return deadline
    if deadline.status in (Deadline.Status.OPEN, Deadline.Status.MISSED) and (
        deadline.start_date != start_date
        or deadline.due_date != due
        or deadline.owner_id != getattr(owner, "pk", None)
        or deadline.agency_id != getattr(agency, "pk", None)
    ):
        old_due = deadline.due_date
        _put_on_dates(deadline, start_date=start_date, due_date=due)
        deadline.owner, deadline.agency, deadline.reference = owner, agency, reference
        deadline.save()
        audit.record(
            actor=actor,
            action=audit.Action.CHANGE,
            subject=deadline,
            partnership=partnership,
            label=f"{reference} {rule}",
            detail={"due_date": [old_due.isoformat(), due.isoformat()]},
        )
    return deadline


def _deadline_for(rule: str, subject: models.Model) -> Deadline | None:
    return deadlines_of(subject, rule=rule).select_for_update().first()


@transaction.atomic
def meet_deadline(*, rule: str, subject: models.Model, met_on: dt.date, actor=None):
    """Record that the event meeting ``rule`` for ``subject`` happened on ``met_on``.

    A deadline already marked missed is met late: it keeps the date it was met on,
    so on-time performance can be measured (``met_on > due_date``).
    """
    deadline = _deadline_for(rule, subject)
    if deadline is None or deadline.status in (Deadline.Status.MET, Deadline.Status.WAIVED):
        return deadline
    _meet(deadline, met_on=met_on, actor=actor)
    return deadline


@transaction.atomic
def transfer_deadline(
    *, rule: str, from_subject: models.Model, to_subject: models.Model, actor=None
) -> Deadline | None:
    """Hand the clock of ``rule`` from one subject to another, dates and status as they
    are: a clock opened by an earlier stage's event (the partners' decision to hold a
    local review) belongs to the record a later stage makes for it (the review).
    None when ``from_subject`` has no such clock or ``to_subject`` already has one."""
    deadline = _deadline_for(rule, from_subject)
    if deadline is None or deadlines_of(to_subject, rule=rule).exists():
        return None
    old = {"subject_type": deadline.subject_type_id, "subject_id": deadline.subject_id}
    deadline.subject_type = ContentType.objects.get_for_model(to_subject)
    deadline.subject_id = to_subject.pk
    deadline.save(update_fields=["subject_type", "subject_id", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {deadline.rule}",
        detail={
            "transferred_from": old,
            "to": {"subject_type": deadline.subject_type_id, "subject_id": deadline.subject_id},
        },
    )
    return deadline


def _meet(deadline: Deadline, *, met_on: dt.date, actor, extra: dict | None = None) -> None:
    deadline.status = Deadline.Status.MET
    deadline.met_on = met_on
    deadline.save(update_fields=["status", "met_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {deadline.rule}",
        detail={
            "status": "met",
            "met_on": met_on.isoformat(),
            "on_time": met_on <= deadline.due_date,
            **(extra or {}),
        },
    )


@transaction.atomic
def reopen_deadline(*, rule: str, subject: models.Model, actor=None):
    """Undo a met deadline, when the event that met it is corrected away."""
    deadline = _deadline_for(rule, subject)
    if deadline is None or deadline.status != Deadline.Status.MET:
        return deadline
    _reopen(deadline, actor=actor)
    return deadline


def _reopen(deadline: Deadline, *, actor, extra: dict | None = None) -> None:
    deadline.status, deadline.met_on = Deadline.Status.OPEN, None
    deadline.save(update_fields=["status", "met_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {deadline.rule}",
        detail={"status": "open", **(extra or {})},
    )


# -- correcting a clock's dates ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ClockChange:
    """What a correction did to one clock: its dates and status before, and the
    deadline as it is now."""

    deadline: Deadline
    old_start_date: dt.date
    old_due_date: dt.date
    old_status: str
    old_met_on: dt.date | None

    @classmethod
    def before(cls, deadline: Deadline) -> ClockChange:
        return cls(
            deadline=deadline,
            old_start_date=deadline.start_date,
            old_due_date=deadline.due_date,
            old_status=deadline.status,
            old_met_on=deadline.met_on,
        )

    @property
    def title(self) -> str:
        return self.deadline.rule_definition.title

    @property
    def due_date_moved(self) -> bool:
        return self.old_due_date != self.deadline.due_date

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.deadline.status

    @property
    def old_lateness(self) -> Lateness:
        met = self.old_status == Deadline.Status.MET
        return lateness_of(self.old_due_date, self.old_met_on if met else None)

    @property
    def lateness(self) -> Lateness:
        met = self.deadline.status == Deadline.Status.MET
        return lateness_of(self.deadline.due_date, self.deadline.met_on if met else None)

    @property
    def lateness_change(self) -> str:
        """ "now met late: 3 working days" or "now met on time" when the correction turned
        a clock met on time late, or a late one on time (both met); "" otherwise."""
        return _lateness_change(
            self.old_lateness,
            self.lateness,
            was_met=self.old_status == Deadline.Status.MET,
            is_met=self.deadline.status == Deadline.Status.MET,
        )


def _lateness_change(old: Lateness, new: Lateness, *, was_met: bool, is_met: bool) -> str:
    if not (was_met and is_met) or old.met_late == new.met_late:
        return ""
    return f"now {new.label[0].lower()}{new.label[1:]}" if new.met_late else "now met on time"


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for the correction."})
    return reason


def _locked_deadline(
    deadline: Deadline | None, rule: str | None, subject: models.Model | None
) -> Deadline | None:
    deadlines = Deadline.objects.select_for_update(of=("self",)).select_related("partnership")
    if deadline is not None:
        return deadlines.get(pk=deadline.pk)
    if not rule or subject is None:
        raise ValueError("Give a deadline, or a rule and a subject.")
    return deadlines.filter(
        rule=rule, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).first()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def restart_deadline(
    *,
    start_date: dt.date,
    actor,
    reason: str,
    deadline: Deadline | None = None,
    rule: str | None = None,
    subject: models.Model | None = None,
    move_met: bool = False,
) -> ClockChange | None:
    """Correct the date a clock started on (the event that started it was recorded
    with the wrong date) and recompute its due date, exactly as ``open_deadline`` does.

    Give the ``deadline``, or its ``rule`` and ``subject``. An open or missed clock
    moves; a missed one whose new due date has not passed is open again. A met clock
    moves only with ``move_met`` (its due date follows the corrected start, so whether
    it was met on time is measured against the right day; it stays met). A waived
    clock is left alone. Audited with the old and new dates and the reason; the
    caller has authorised the correction.

    Returns what changed, or None when nothing did.
    """
    reason = _required_reason(reason)
    if start_date is None:
        raise ValidationError({"start_date": "Enter the date the clock starts from."})
    deadline = _locked_deadline(deadline, rule, subject)
    movable = {Deadline.Status.OPEN, Deadline.Status.MISSED}
    if move_met:
        movable.add(Deadline.Status.MET)
    if deadline is None or deadline.status not in movable:
        return None
    due = _due_date(deadline.rule_definition, start_date, deadline.partnership)
    if deadline.start_date == start_date and deadline.due_date == due:
        return None
    change = ClockChange.before(deadline)
    _put_on_dates(deadline, start_date=start_date, due_date=due)
    deadline.save(update_fields=["start_date", "due_date", "status", "missed_at", "updated_at"])
    detail = {
        "start_date": [_iso(change.old_start_date), _iso(start_date)],
        "due_date": [_iso(change.old_due_date), _iso(due)],
        "reason": reason,
    }
    if change.status_changed:
        detail["status"] = [change.old_status, deadline.status]
    if deadline.status == Deadline.Status.MET:
        detail["on_time"] = deadline.met_on <= due
        if change.lateness_change:
            detail["lateness"] = change.lateness_change
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {deadline.rule}",
        detail=detail,
    )
    return change


@transaction.atomic
def correct_met_on(
    *,
    met_on: dt.date | None,
    actor,
    reason: str,
    deadline: Deadline | None = None,
    rule: str | None = None,
    subject: models.Model | None = None,
) -> ClockChange | None:
    """Correct the date the event that met a clock happened on.

    A met clock keeps met, on the corrected date. A date given for a clock that is
    still open or missed meets it (as ``meet_deadline``); no date for a met clock
    reopens it (as ``reopen_deadline``: the event is corrected away). A waived clock is
    left alone. Audited with the old and new dates and the reason.

    Returns what changed, or None when nothing did.
    """
    reason = _required_reason(reason)
    deadline = _locked_deadline(deadline, rule, subject)
    if deadline is None or deadline.status == Deadline.Status.WAIVED:
        return None
    is_met = deadline.status == Deadline.Status.MET
    if (met_on is None and not is_met) or (is_met and deadline.met_on == met_on):
        return None
    change = ClockChange.before(deadline)
    extra = {"reason": reason, "corrected": True}
    if met_on is None:
        _reopen(deadline, actor=actor, extra=extra)
    elif not is_met:
        _meet(deadline, met_on=met_on, actor=actor, extra=extra)
    else:
        deadline.met_on = met_on
        deadline.save(update_fields=["met_on", "updated_at"])
        detail = {
            "met_on": [_iso(change.old_met_on), _iso(met_on)],
            "on_time": met_on <= deadline.due_date,
            "reason": reason,
        }
        if change.lateness_change:
            detail["lateness"] = change.lateness_change
        audit.record(
            actor=actor,
            action=audit.Action.CHANGE,
            subject=deadline,
            partnership=deadline.partnership,
            label=f"{deadline.reference} {deadline.rule}",
            detail=detail,
        )
    return change


@transaction.atomic
def waive_deadline(*, deadline: Deadline, actor, reason: str) -> Deadline:
    """A partner lead waives a clock, with a recorded reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for waiving this deadline."})
    if not can(actor, "waive_deadline", deadline.partnership_id):
        raise ValidationError("Only a partner lead of this partnership can waive a deadline.")
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.is_closed:
        raise ValidationError(f"This deadline is already {deadline.get_status_display().lower()}.")
    deadline.status = Deadline.Status.WAIVED
    deadline.waived_reason = reason
    deadline.waived_by = actor
    deadline.save(update_fields=["status", "waived_reason", "waived_by", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=deadline,
        label=f"{deadline.reference} {deadline.rule}",
        detail={"status": "waived", "reason": reason},
    )
    return deadline


@transaction.atomic
def waive_deadlines_for(
    *,
    partnership: Partnership,
    reason: str,
    actor,
    subject: models.Model | None = None,
    reference: str | None = None,
) -> list[Deadline]:
    """Waive every open clock of ``subject`` (or of the case ``reference``) because
    the thing that started them was itself withdrawn (for example a notification
    withdrawn because the case did not meet the criteria).

    Unlike ``waive_deadline`` this needs no partner lead: the withdrawal, which the
    caller has already authorised, is the decision. Missed and met clocks keep
    their history.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason."})
    if subject is None and not reference:
        raise ValueError("Give a subject or a reference.")
    deadlines = Deadline.objects.select_for_update().filter(
        partnership=partnership, status=Deadline.Status.OPEN
    )
    if subject is not None:
        deadlines = deadlines.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
    if reference:
        deadlines = deadlines.filter(reference=reference)
    waived = list(deadlines)
    for deadline in waived:
        deadline.status = Deadline.Status.WAIVED
        deadline.waived_reason = reason
        deadline.waived_by = actor if getattr(actor, "is_authenticated", False) else None
        deadline.save(update_fields=["status", "waived_reason", "waived_by", "updated_at"])
        audit.record(
            actor=actor,
            action=audit.Action.TRANSITION,
            subject=deadline,
            partnership=partnership,
            label=f"{deadline.reference} {deadline.rule}",
            detail={"status": "waived", "reason": reason, "withdrawn": True},
        )
    return waived


def mark_missed_deadlines(*, today: dt.date) -> int:
    """Open deadlines of a statutory rule whose due date is before ``today`` become
    missed (idempotent)."""
    return _settle_passed(today=today, breach=True)


def meet_elapsed_windows(*, today: dt.date) -> int:
    """Open clocks of a rule that is a period to keep something up rather than a date
    to act by (``Rule.breach`` false: the 12-month publication window) are met on their
    due date once it has passed: what would break them (taking the report down inside
    the window) closes them before then. Idempotent."""
    return _settle_passed(today=today, breach=False)


def _settle_passed(*, today: dt.date, breach: bool) -> int:
    rules = [code for code, rule in RULES.items() if rule.breach is breach]
    with transaction.atomic():
        passed = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(status=Deadline.Status.OPEN, due_date__lt=today, rule__in=rules)
            .only("id", "reference", "rule", "partnership_id", "due_date")
        )
        if not passed:
            return 0
        now = timezone.now()
        settled = Deadline.objects.filter(pk__in=[d.pk for d in passed])
        if breach:
            settled.update(status=Deadline.Status.MISSED, missed_at=now, updated_at=now)
        else:
            settled.update(status=Deadline.Status.MET, met_on=F("due_date"), updated_at=now)
        deadline_type = ContentType.objects.get_for_model(Deadline)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                at=now,
                action=AuditEvent.Action.TRANSITION,
                partnership_id=deadline.partnership_id,
                subject_type=deadline_type,
                subject_id=deadline.pk,
                subject_label=f"{deadline.reference} {deadline.rule}",
                detail={"status": "missed"}
                if breach
                else {
                    "status": "met",
                    "met_on": deadline.due_date.isoformat(),
                    "on_time": True,
                },
            )
            for deadline in passed
        )
    return len(passed)
