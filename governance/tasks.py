"""Governance tasks: thin wrappers around services."""

from celery import shared_task

from cspr.celery import RETRY_TRANSIENT


@shared_task(name="governance.retention_scan", **RETRY_TRANSIENT)
def retention_scan_task() -> int | None:
    """Dispose of what is past its period and not held; None if another worker is on it."""
    from .retention import run_retention

    return run_retention()
