"""Kernel reads (and the bulk status updates the sweep needs: clocks whose day has
passed become missed, or met for a window that ran its course)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .deadlines import RULES
from .models import AuditEvent, Deadline
from .permissions import partnership_ids
from .roles import CASE_MANAGERS


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """Deadlines of the partnerships where the user runs the business (partner lead,
    business manager), with what a list needs."""
    return Deadline.objects.filter(partnership_id__in=partnership_ids(user, CASE_MANAGERS))


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
                detail={"status": "missed"} if breach else {
                    "status": "met", "met_on": deadline.due_date.isoformat(), "on_time": True,
                },
            )
            for deadline in passed
        )
    return len(passed)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Audit events of the partnerships where the user may see the audit trail
    (partner leads and business managers), with what a list needs."""
    from .permissions import partnership_ids_for

    return AuditEvent.objects.filter(
        partnership_id__in=partnership_ids_for(user, "view_audit_trail")
    ).select_related("actor", "partnership")
