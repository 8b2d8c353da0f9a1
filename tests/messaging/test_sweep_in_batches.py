"""The sweep plans in bulk: its statements grow with batches, not with messages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cspr.models import Deadline
from cspr.roles import Role
from deadlines import services
from messaging.models import DeliveryLog
from tests.deadlines.conftest import DUE
from tests.factories import PartnershipFactory, member, open_clock

pytestmark = pytest.mark.django_db

REMINDER_DAY = dt.date(2026, 11, 23)


def _statements(n_clocks, capture):
    partnership = PartnershipFactory()
    member(partnership, Role.BUSINESS_MANAGER)
    member(partnership, Role.BUSINESS_MANAGER)
    for _ in range(n_clocks):
        open_clock(partnership, due_date=DUE)
    with CaptureQueriesContext(connection) as queries, capture(execute=False):
        result = services.sweep_deadlines(today=REMINDER_DAY)
    assert result.reminders == result.emails == 2 * n_clocks
    return len(queries)


def test_the_sweeps_statements_do_not_grow_with_its_messages(django_capture_on_commit_callbacks):
    few = _statements(2, django_capture_on_commit_callbacks)
    Deadline.objects.update(status=Deadline.Status.MET)  # the first clocks say no more
    many = _statements(30, django_capture_on_commit_callbacks)
    assert many == few  # 60 messages and 60 e-mails cost what 4 and 4 did
    assert DeliveryLog.objects.filter(channel="email", message__isnull=False).count() == 64
