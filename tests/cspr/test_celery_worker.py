"""A real Celery worker, through the Redis broker, runs a task and its effect is stored."""

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from cspr import services
from cspr.celery import app
from cspr.models import Deadline
from cspr.tasks import mark_missed_deadlines_task
from tests.factories import PartnershipFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_marks_overdue_deadlines_missed_through_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "make test points Celery at Redis"
    partnership = PartnershipFactory()
    services.open_deadline(
        rule="notify_panel",
        subject=partnership,
        partnership=partnership,
        start_date=dt.date(2026, 11, 2),
        reference="NCC-2026-001",
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        result = mark_missed_deadlines_task.delay("2026-11-25")
        assert result.get(timeout=30) == 1
    deadline = Deadline.objects.get()
    assert deadline.status == Deadline.Status.MISSED
    assert deadline.missed_at is not None
