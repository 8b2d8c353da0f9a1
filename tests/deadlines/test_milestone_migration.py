"""Upgrading keeps what was already sent: delivery log rows and messages written with
the old milestone names ("reminder-5", "missed") get their deadline's due date, so
the sweep after the upgrade does not send them again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deadlines.services import sweep_deadlines
from messaging.models import DeliveryLog, Message
from tests.factories import open_clock

from .conftest import DUE

BEFORE = [("notifications", "0003_messaging")]


@pytest.mark.django_db(transaction=True)
def test_old_milestones_get_their_due_date_and_nothing_is_sent_twice(team):
    open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))  # the 5-working-day reminder
    sent = DeliveryLog.objects.count()
    assert sent and Message.objects.count()
    # As the previous release wrote them:
    DeliveryLog.objects.update(milestone="reminder-5")
    Message.objects.update(milestone="reminder-5")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(DeliveryLog.objects.values_list("milestone", flat=True)) == {"reminder-5-20261130"}
    assert set(Message.objects.values_list("milestone", flat=True)) == {"reminder-5-20261130"}
    assert sweep_deadlines(today=dt.date(2026, 11, 24)).reminders == 0  # not again
    assert DeliveryLog.objects.count() == sent
