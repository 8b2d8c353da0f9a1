"""Kernel tasks: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from .celery import RETRY_TRANSIENT
from .services import mark_missed_deadlines


@shared_task(name="cspr.mark_missed_deadlines", **RETRY_TRANSIENT)
def mark_missed_deadlines_task(today: str | None = None) -> int:
    """Mark every open deadline whose due day has passed as missed; returns how many."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return mark_missed_deadlines(today=day)


@shared_task(name="cspr.remove_orphan_uploads", **RETRY_TRANSIENT)
def remove_orphan_uploads_task() -> int:
    """Delete stored documents no row refers to (left by a rolled-back upload)."""
    from .uploads import remove_orphan_uploads

    return remove_orphan_uploads()


@shared_task(name="cspr.seal_audit_trail")
def seal_audit_trail_task() -> int:
    """Seal the audit events added since the last seal (cspr.auditseal); returns the
    id of the new seal, or 0 when there was nothing to seal."""
    from .auditseal import seal

    made = seal()
    return made.pk if made else 0
