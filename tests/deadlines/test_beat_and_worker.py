"""The schedule is code, and a real worker runs the sweep through Redis."""

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from cspr.celery import app
from cspr.roles import Role
from deadlines.tasks import sweep_deadlines_task
from messaging.models import DeliveryLog, Message
from tests.factories import PartnershipFactory, member, open_clock


def test_beat_sweeps_three_times_a_day_and_sends_the_digest_on_monday_morning():
    schedule = settings.CELERY_BEAT_SCHEDULE
    sweep = schedule["sweep-deadlines"]
    assert sweep["task"] == "notifications.sweep_deadlines"
    assert sweep["schedule"].hour == {7, 12, 16} and sweep["schedule"].minute == {0}
    digest = schedule["weekly-deadline-digest"]
    assert digest["task"] == "notifications.weekly_digest"
    assert digest["schedule"].day_of_week == {1} and digest["schedule"].hour == {7}
    assert settings.CELERY_TIMEZONE == "Europe/London"
    assert {"notifications.sweep_deadlines", "notifications.weekly_digest"} <= set(app.tasks.keys())
    outbox = schedule["send-due-emails"]
    assert outbox["task"] == "messaging.send_due_emails" and len(outbox["schedule"].minute) == 12


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_sweep_through_redis_and_the_messages_are_stored():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    open_clock(partnership, due_date=dt.date(2026, 11, 30))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        result = sweep_deadlines_task.delay("2026-11-23")
        assert result.get(timeout=30)["reminders"] == 1
        # The e-mail is its own task, queued when the sweep committed.
        emails = DeliveryLog.objects.filter(channel="email", sent_at__isnull=False)
        for _ in range(200):
            if emails.exists():
                break
            time.sleep(0.1)
    assert Message.objects.get().recipient == manager
    assert DeliveryLog.objects.filter(channel="email", sent_at__isnull=False).count() == 1
