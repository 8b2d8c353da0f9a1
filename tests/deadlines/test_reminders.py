"""Reminders go at each lead time of the rule to the people who own the step."""

import datetime as dt

import pytest

from deadlines.services import sweep_deadlines
from messaging.models import DeliveryLog, Message
from tests.factories import open_clock

from .conftest import DUE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "today, milestone",
    [
        (dt.date(2026, 11, 20), None),  # Friday: 6 working days before, too early
        (dt.date(2026, 11, 23), "reminder-5-20261130"),  # Monday 23 November: 5 working days before
        (dt.date(2026, 11, 24), "reminder-5-20261130"),  # a sweep missed on the 23rd still reminds
        (dt.date(2026, 11, 26), "reminder-2-20261130"),
        (dt.date(2026, 11, 27), "reminder-1-20261130"),
        (dt.date(2026, 11, 30), "reminder-0-20261130"),  # the due day
    ],
)
def test_a_reminder_goes_on_each_lead_time_of_the_rule(
    team, mailoutbox, django_capture_on_commit_callbacks, today, milestone
):
    open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=today)
    milestones = set(Message.objects.values_list("milestone", flat=True))
    assert milestones == ({milestone} if milestone else set())
    assert len(mailoutbox) == (1 if milestone else 0)


def test_only_the_latest_reminder_goes_after_days_without_a_sweep(team, mailoutbox):
    open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 27))
    assert list(Message.objects.values_list("milestone", flat=True)) == ["reminder-1-20261130"]


def test_the_reminder_goes_to_the_business_managers_when_no_one_owns_the_step(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    open_clock(team["partnership"], due_date=DUE)
    open_clock(team["other"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=dt.date(2026, 11, 23))
    recipients = {
        m.recipient.username for m in Message.objects.filter(deadline__partnership=team["partnership"])
    }
    assert recipients == {"manager"}
    assert {tuple(m.to) for m in mailoutbox} == {("manager@example.org",), ("outsider@example.org",)}
    email = next(m for m in mailoutbox if m.to == ["manager@example.org"])
    assert "NCC-2026" in email.subject and "due in 5 working days" in email.subject
    assert "30 November 2026" in email.body
    assert "Children Act 2004 s16C(1)" in email.body


def test_the_owner_of_the_step_gets_the_reminder_instead(team, mailoutbox):
    open_clock(team["partnership"], due_date=DUE, owner=team["practitioner"])
    sweep_deadlines(today=dt.date(2026, 11, 23))
    assert [m.recipient for m in Message.objects.all()] == [team["practitioner"]]


def test_partner_leads_are_reminded_of_the_rapid_review_too(team):
    open_clock(team["partnership"], rule="rapid_review", due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 30))
    assert {m.recipient.username for m in Message.objects.all()} == {"manager", "lead"}


def test_a_met_or_waived_deadline_gets_no_reminder(team):
    from cspr import services

    met = open_clock(team["partnership"], due_date=DUE)
    services.meet_deadline(rule=met.rule, subject=met.subject, met_on=dt.date(2026, 11, 20))
    waived = open_clock(team["partnership"], due_date=DUE)
    services.waive_deadline(deadline=waived, actor=team["lead"], reason="Duplicate notification")
    sweep_deadlines(today=dt.date(2026, 11, 23))
    assert not Message.objects.exists()
    assert not DeliveryLog.objects.exists()


def test_a_local_review_is_reminded_20_working_days_ahead(team):
    open_clock(team["partnership"], rule="lcspr_final_report", due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 2))  # 20 working days before 30 November
    assert list(Message.objects.values_list("milestone", flat=True)) == ["reminder-20-20261130"]


def test_a_clock_moved_to_a_later_due_date_is_reminded_again_on_its_new_dates(team, mailoutbox):
    """The awareness date was corrected after the 5-day reminder went: the people who
    own the step hear again 5 working days before the new due date."""
    from cspr.services import restart_deadline
    from cspr.workdays import current_calendar

    clock = open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    assert Message.objects.count() == 1

    moved = restart_deadline(
        deadline=clock, start_date=dt.date(2026, 11, 30), actor=team["lead"], reason="Awareness date mistyped"
    )
    new_due = moved.deadline.due_date
    assert new_due > DUE
    five_before = current_calendar().add_working_days(new_due, -5)
    sweep_deadlines(today=five_before)
    assert list(Message.objects.order_by("id").values_list("milestone", flat=True)) == [
        "reminder-5-20261130",
        f"reminder-5-{new_due:%Y%m%d}",
    ]
