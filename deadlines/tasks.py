"""Celery tasks of the deadlines app: thin wrappers around services.

Their names keep the ``notifications.`` prefix they had before the app was split
out: beat schedule rows in the database refer to them by name.

Both are idempotent: running one twice, at once on two workers, or again after a
crash half-way, sends nothing twice and loses nothing (see ``services``).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from cspr.celery import RETRY_TRANSIENT

from . import services


def _day(today: str | None) -> dt.date | None:
    return dt.date.fromisoformat(today) if today else None


@shared_task(name="notifications.sweep_deadlines", soft_time_limit=540, time_limit=600, **RETRY_TRANSIENT)
def sweep_deadlines_task(today: str | None = None) -> dict:
    """Mark missed deadlines, send due reminders and escalations (under an advisory lock)."""
    return services.run_scheduled_sweep(today=_day(today)).as_dict()


@shared_task(name="notifications.weekly_digest", soft_time_limit=540, time_limit=600, **RETRY_TRANSIENT)
def weekly_digest_task(today: str | None = None) -> int:
    """One digest per business manager, once per ISO week."""
    return services.send_weekly_digest(today=_day(today))
