"""Celery tasks of the messaging app: the e-mail outbox.

Both are idempotent: an e-mail is claimed before it is sent and marked sent after,
so running a task twice, at once on two workers, or again after a crash sends
nothing twice (at most the one e-mail a dying worker had in flight) and loses
nothing (an e-mail left "sending" is taken over when its lease runs out).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from cspr.celery import RETRY_TRANSIENT

from . import services

#: One e-mail: a few SMTP operations (or Notify requests with their retries).
SEND_ONE_SOFT_LIMIT = 60


@shared_task(
    name="messaging.send_email",
    soft_time_limit=max(SEND_ONE_SOFT_LIMIT, 4 * settings.EMAIL_TIMEOUT),
    time_limit=max(SEND_ONE_SOFT_LIMIT, 4 * settings.EMAIL_TIMEOUT) + 30,
    **RETRY_TRANSIENT,
)
def send_email_task(log_id: int) -> str | None:
    """Send one queued e-mail (its first attempt, right after it was queued)."""
    return services.send_email(log_id=log_id)


@shared_task(name="messaging.send_due_emails", **RETRY_TRANSIENT)
def send_due_emails_task() -> dict:
    """Send every e-mail that is due (first sends a dead worker left, retries),
    stopping in time to end before the soft time limit."""
    budget = dt.timedelta(seconds=max(settings.CELERY_TASK_SOFT_TIME_LIMIT - 60, 30))
    return services.send_due_emails(budget=budget)
