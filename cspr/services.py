"""Services of the kernel: the one way to open, meet and waive a statutory clock.

Every app that starts a clock calls ``open_deadline``; every event that meets one
calls ``meet_deadline``. Keyword-only arguments, one transaction each.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import audit
from .deadlines import compute_due_date, get_rule
from .models import Agency, Deadline, Partnership
from .permissions import can


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
    due = due_date or compute_due_date(definition, start_date, partnership=partnership)
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
        deadline.start_date, deadline.due_date = start_date, due
        deadline.owner, deadline.agency, deadline.reference = owner, agency, reference
        if deadline.status == Deadline.Status.MISSED and due >= timezone.localdate():
            deadline.status, deadline.missed_at = Deadline.Status.OPEN, None
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
    return (
        Deadline.objects.select_for_update()
        .filter(
            rule=rule,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
        )
        .first()
    )


@transaction.atomic
def meet_deadline(*, rule: str, subject: models.Model, met_on: dt.date, actor=None):
    """Record that the event meeting ``rule`` for ``subject`` happened on ``met_on``.

    A deadline already marked missed is met late: it keeps the date it was met on,
    so on-time performance can be measured (``met_on > due_date``).
    """
    deadline = _deadline_for(rule, subject)
    if deadline is None or deadline.status in (Deadline.Status.MET, Deadline.Status.WAIVED):
        return deadline
    deadline.status = Deadline.Status.MET
    deadline.met_on = met_on
    deadline.save(update_fields=["status", "met_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {rule}",
        detail={
            "status": "met", "met_on": met_on.isoformat(), "on_time": met_on <= deadline.due_date
        },
    )
    return deadline


@transaction.atomic
def reopen_deadline(*, rule: str, subject: models.Model, actor=None):
    """Undo a met deadline, when the event that met it is corrected away."""
    deadline = _deadline_for(rule, subject)
    if deadline is None or deadline.status != Deadline.Status.MET:
        return deadline
    deadline.status, deadline.met_on = Deadline.Status.OPEN, None
    deadline.save(update_fields=["status", "met_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=deadline,
        partnership=deadline.partnership,
        label=f"{deadline.reference} {rule}",
        detail={"status": "open"},
    )
    return deadline


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
