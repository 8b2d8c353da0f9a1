"""The weekly digest: one e-mail per business manager, once per ISO week."""

import datetime as dt

import pytest

from cspr.models import Membership
from cspr.roles import Role
from deadlines.services import send_weekly_digest, sweep_deadlines
from messaging.models import EmailPreference, Message
from tests.factories import open_clock

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def test_each_business_manager_gets_one_digest_of_what_is_overdue_and_due_soon(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    overdue = open_clock(team["partnership"], due_date=dt.date(2026, 11, 16))
    sweep_deadlines(today=MONDAY)  # marks it missed
    soon = open_clock(team["partnership"], due_date=dt.date(2026, 12, 7))  # 10 working days
    later = open_clock(team["partnership"], due_date=dt.date(2026, 12, 8))  # 11 working days
    elsewhere = open_clock(team["other"], due_date=dt.date(2026, 11, 30))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digest(today=MONDAY) == 2
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"manager@example.org", "outsider@example.org"}
    body = by_recipient["manager@example.org"].body
    assert "Overdue (1):" in body and overdue.reference in body
    assert "5 working days overdue" in body
    assert soon.reference in body and "7 December 2026" in body
    assert later.reference not in body
    assert elsewhere.reference not in body
    assert elsewhere.reference in by_recipient["outsider@example.org"].body


def test_the_digest_goes_once_per_week(team, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digest(today=MONDAY)
        send_weekly_digest(today=MONDAY + dt.timedelta(days=2))
    assert len(mailoutbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digest(today=MONDAY + dt.timedelta(days=7))
    assert len(mailoutbox) == 4
    assert Message.objects.filter(kind="digest", recipient=team["manager"]).count() == 2


def test_a_manager_of_two_partnerships_gets_one_digest_covering_both(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    Membership.objects.create(user=team["manager"], partnership=team["other"], role=Role.BUSINESS_MANAGER)
    elsewhere = open_clock(team["other"], due_date=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digest(today=MONDAY)
    mine = [m for m in mailoutbox if m.to == ["manager@example.org"]]
    assert len(mine) == 1 and elsewhere.reference in mine[0].body


def test_a_manager_who_turned_the_digest_off_sees_it_only_in_the_service(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=team["manager"], weekly_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digest(today=MONDAY)
    assert [m.to[0] for m in mailoutbox] == ["outsider@example.org"]
    assert Message.objects.filter(kind="digest", recipient=team["manager"]).exists()
