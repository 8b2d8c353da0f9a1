"""Writing the audit trail. Call ``record`` inside the transaction of the change it
records, so that the change and its audit row commit or roll back together."""

from __future__ import annotations

import contextvars

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent, Partnership

Action = AuditEvent.Action


def record(
    *,
    actor,
    action: str,
    subject: models.Model | None = None,
    partnership: Partnership | None = None,
    label: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit event. ``label`` must be a reference, never personal data."""
    if partnership is None and subject is not None:
        partnership = getattr(subject, "audit_partnership", None) or getattr(subject, "partnership", None)
    if not label and subject is not None:
        label = getattr(subject, "audit_label", None) or f"{subject._meta.verbose_name} {subject.pk}"
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        partnership=partnership,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        subject_label=str(label)[:200],
        detail=detail or {},
    )


def record_many(*, actor, action: str, subjects: list[models.Model], detail: dict | None = None) -> int:
    """Append one audit event per subject in ONE insert (a list that shows several
    records, each of which its detail page would audit). Subjects of one model, each
    with ``partnership_id`` and an ``audit_label`` that names no one."""
    if not subjects:
        return 0
    subject_type = ContentType.objects.get_for_model(type(subjects[0]))
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return len(
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=actor,
                action=action,
                partnership_id=subject.partnership_id,
                subject_type=subject_type,
                subject_id=subject.pk,
                subject_label=str(getattr(subject, "audit_label", subject.pk))[:200],
                detail=detail or {},
            )
            for subject in subjects
        )
    )


def changed_fields(before: models.Model, after: models.Model, fields: list[str]) -> list[str]:
    """Names of the ``fields`` whose values differ between two instances."""
    return [name for name in fields if getattr(before, name) != getattr(after, name)]


# The user whose request is running, for audit events written by signals (which
# are not told who made the change). Set by cspr.middleware.AuditActorMiddleware.
_current_actor: contextvars.ContextVar = contextvars.ContextVar("cspr_audit_actor", default=None)


def set_current_actor(user) -> contextvars.Token:
    return _current_actor.set(user)


def reset_current_actor(token: contextvars.Token) -> None:
    _current_actor.reset(token)


def current_actor():
    return _current_actor.get()
