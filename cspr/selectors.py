"""Kernel reads. They only read: every write is in ``services``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery

from .models import AuditEvent, Deadline
from .permissions import partnership_ids, partnership_ids_for
from .roles import CASE_MANAGERS


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """Deadlines of the partnerships where the user runs the business (partner lead,
    business manager), with what a list needs."""
    return Deadline.objects.filter(partnership_id__in=partnership_ids(user, CASE_MANAGERS))


def deadlines_of(subject: models.Model, *, rule: str | None = None) -> QuerySet[Deadline]:
    """The clocks a subject (a notification, rapid review, review, publication...)
    started, in due-date order; only the one of ``rule`` when given. The one way to
    read a subject's clocks: views, serializers and services all come here."""
    clocks = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk
    )
    return clocks.filter(rule=rule) if rule else clocks


def clock_of(model: type[models.Model], *, rule: str, field: str) -> Subquery:
    """A subquery giving ``field`` of the ``rule`` clock of each row of ``model``, for a
    list that shows every row's clock in one query (``.annotate(due=clock_of(...))``)."""
    return Subquery(
        Deadline.objects.filter(
            rule=rule,
            subject_type=ContentType.objects.get_for_model(model),
            subject_id=OuterRef("pk"),
        ).values(field)[:1]
    )


def deadlines_of_case(case) -> QuerySet[Deadline]:
    """Every clock of a case, whichever stage started it (they share its reference)."""
    return Deadline.objects.filter(partnership_id=case.partnership_id, reference=case.reference)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Audit events of the partnerships where the user may see the audit trail
    (partner leads and business managers), with what a list needs."""
    return AuditEvent.objects.filter(
        partnership_id__in=partnership_ids_for(user, "view_audit_trail")
    ).select_related("actor", "partnership")
