"""Kernel reads (and the one bulk status update the sweep needs)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
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
    """Open deadlines whose due date is before ``today`` become missed (idempotent)."""
    breach_rules = [code for code, rule in RULES.items() if rule.breach]
    with transaction.atomic():
        overdue = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(status=Deadline.Status.OPEN, due_date__lt=today, rule__in=breach_rules)
            .only("id", "reference", "rule", "partnership_id")
        )
        if not overdue:
            return 0
        now = timezone.now()
        Deadline.objects.filter(pk__in=[d.pk for d in overdue]).update(
            status=Deadline.Status.MISSED, missed_at=now, updated_at=now
        )
        deadline_type = ContentType.objects.get_for_model(Deadline)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                at=now,
                action=AuditEvent.Action.TRANSITION,
                partnership_id=deadline.partnership_id,
                subject_type=deadline_type,
                subject_id=deadline.pk,
                subject_label=f"{deadline.reference} {deadline.rule}",
                detail={"status": "missed"},
            )
            for deadline in overdue
        )
    return len(overdue)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Audit events of the partnerships where the user may see the audit trail
    (partner leads and business managers), with what a list needs."""
    from .permissions import partnership_ids_for

    return AuditEvent.objects.filter(
        partnership_id__in=partnership_ids_for(user, "view_audit_trail")
    ).select_related("actor", "partnership")
