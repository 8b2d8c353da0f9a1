"""A missed deadline is escalated to the partner leads and business managers."""

import datetime as dt

import pytest

from cspr.models import Deadline
from deadlines import services
from deadlines.services import sweep_deadlines
from messaging.models import EmailPreference, Message
from tests.factories import open_clock

from .conftest import DUE

pytestmark = pytest.mark.django_db


def test_a_missed_deadline_is_marked_and_escalated_to_leads_and_managers(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_deadlines(today=dt.date(2026, 12, 1))
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MISSED
    assert result.escalations == 2
    escalations = Message.objects.filter(kind="escalation")
    assert {m.recipient.username for m in escalations} == {"lead", "manager"}
    assert sorted(m.to[0] for m in mailoutbox) == ["lead@example.org", "manager@example.org"]
    assert mailoutbox[0].subject.startswith("Missed: ")
    assert "30 November 2026" in mailoutbox[0].subject


def test_escalations_go_by_email_even_to_someone_who_turned_every_reminder_off(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    for user in (team["lead"], team["manager"]):
        EmailPreference.objects.create(
            user=user,
            early_reminders=False,
            late_reminders=False,
            due_day_reminders=False,
            weekly_digest=False,
        )
    open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=dt.date(2026, 11, 30))  # due day: reminder, in the service only
    assert len(mailoutbox) == 0
    assert Message.objects.filter(kind="reminder").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=dt.date(2026, 12, 1))
    assert sorted(m.to[0] for m in mailoutbox) == ["lead@example.org", "manager@example.org"]


def test_a_date_that_is_not_a_breach_is_never_escalated(team):
    open_clock(team["partnership"], rule="publication_window", due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 12, 1))
    assert not Message.objects.filter(kind="escalation").exists()


def test_a_deadline_missed_long_ago_is_not_escalated_again(team):
    deadline = open_clock(team["partnership"], due_date=dt.date(2025, 1, 6))
    Deadline.objects.filter(pk=deadline.pk).update(
        status="missed", missed_at=dt.datetime(2025, 1, 7, tzinfo=dt.UTC)
    )
    assert services.sweep_deadlines(today=dt.date(2026, 12, 1)).escalations == 0


def test_a_clock_missed_again_after_its_dates_were_corrected_is_escalated_again(team):
    # Whether a corrected clock is open again depends on the real today, so the days
    # here are counted from it.
    from django.utils import timezone

    from cspr.services import restart_deadline
    from cspr.workdays import add_working_days

    today = timezone.localdate()
    clock = open_clock(team["partnership"], due_date=add_working_days(today, -10))
    sweep_deadlines(today=add_working_days(today, -9))
    assert Message.objects.filter(kind="escalation").count() > 0
    first = Message.objects.filter(kind="escalation").count()

    moved = restart_deadline(
        deadline=clock, start_date=today, actor=team["lead"], reason="Awareness date mistyped"
    )
    due = moved.deadline.due_date
    assert due > today
    assert moved.deadline.status == Deadline.Status.OPEN  # the new due date has not passed
    sweep_deadlines(today=due)
    assert Message.objects.filter(kind="escalation").count() == first  # not missed yet
    sweep_deadlines(today=add_working_days(due, 1))
    assert Message.objects.filter(kind="escalation").count() == 2 * first
    sweep_deadlines(today=add_working_days(due, 2))
    assert Message.objects.filter(kind="escalation").count() == 2 * first  # once per miss
