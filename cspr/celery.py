"""Celery application. Broker from CELERY_BROKER_URL; without one, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspr.settings")

app = Celery("cspr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerOperationalError

    return (OperationalError, InterfaceError, BrokerOperationalError)


#: Errors that pass (a database restarted or failed over, a dropped connection, the
#: broker away for a moment): a task that meets one is retried, with backoff.
TRANSIENT_ERRORS = _transient_errors()

#: The options every project task takes: ``@shared_task(name=..., **RETRY_TRANSIENT)``.
#: Safe because every task is idempotent (it may run again after a partial run).
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
