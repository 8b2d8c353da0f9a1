"""The kernel corrects a clock's start date (the due date follows, through the rule
table and the calendar) and the date a met clock was met on; audited with the reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cspr import services
from cspr.models import AuditEvent, Deadline
from cspr.workdays import add_working_days
from tests.factories import PartnershipFactory, UserFactory, open_clock

pytestmark = pytest.mark.django_db
D = dt.date

#: "Today" is Friday 8 January 2027, just after Christmas and New Year's Day.
TODAY = D(2027, 1, 8)
REASON = "The date was typed wrongly."


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(code="NCC")


@pytest.fixture
def actor(db):
    return UserFactory()


def _missed(deadline):
    Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.MISSED, missed_at=timezone.now())
    deadline.refresh_from_db()
    return deadline


def test_restarting_an_open_clock_recomputes_its_due_date_across_the_christmas_bank_holidays(
    partnership, actor
):
    clock = open_clock(partnership, start_date=D(2027, 1, 6))
    change = services.restart_deadline(deadline=clock, start_date=D(2026, 12, 23), actor=actor, reason=REASON)
    clock.refresh_from_db()
    # 24, 29, 30, 31 December and 4 January: Christmas, Boxing Day (observed on Monday
    # 28 December) and New Year's Day do not count.
    assert clock.due_date == add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)
    assert clock.start_date == D(2026, 12, 23)
    assert (change.old_start_date, change.old_due_date) == (D(2027, 1, 6), D(2027, 1, 13))
    assert change.due_date_moved


def test_a_missed_clock_whose_corrected_due_date_is_still_ahead_is_open_again(partnership, actor):
    clock = _missed(open_clock(partnership, start_date=D(2026, 12, 1)))
    services.restart_deadline(deadline=clock, start_date=D(2027, 1, 6), actor=actor, reason=REASON)
    clock.refresh_from_db()
    assert clock.due_date == add_working_days(D(2027, 1, 6), 5)
    assert (clock.status, clock.missed_at) == ("open", None)


def test_a_missed_clock_whose_corrected_due_date_has_also_passed_stays_missed(partnership, actor):
    clock = _missed(open_clock(partnership, start_date=D(2026, 12, 1)))
    services.restart_deadline(deadline=clock, start_date=D(2026, 12, 2), actor=actor, reason=REASON)
    clock.refresh_from_db()
    assert clock.status == "missed"
    assert clock.due_date == add_working_days(D(2026, 12, 2), 5)


def test_a_met_clock_moves_only_when_asked_and_stays_met_on_its_date(partnership, actor):
    clock = open_clock(partnership, start_date=D(2026, 12, 23))
    services.meet_deadline(rule=clock.rule, subject=clock.subject, met_on=D(2027, 1, 5))
    assert (
        services.restart_deadline(deadline=clock, start_date=D(2026, 12, 24), actor=actor, reason=REASON)
        is None
    )
    clock.refresh_from_db()
    assert clock.due_date == D(2027, 1, 4)
    services.restart_deadline(
        deadline=clock, start_date=D(2026, 12, 24), actor=actor, reason=REASON, move_met=True
    )
    clock.refresh_from_db()
    assert (clock.status, clock.met_on) == ("met", D(2027, 1, 5))
    assert clock.due_date == add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)
    event = AuditEvent.objects.filter(subject_id=clock.pk, action="change").latest("id")
    assert event.detail["on_time"] is True


def test_a_waived_clock_is_left_alone(partnership, actor):
    clock = open_clock(partnership, start_date=D(2026, 12, 23))
    Deadline.objects.filter(pk=clock.pk).update(status="waived", waived_reason="Withdrawn")
    assert (
        services.restart_deadline(
            deadline=clock, start_date=D(2026, 12, 1), actor=actor, reason=REASON, move_met=True
        )
        is None
    )
    clock.refresh_from_db()
    assert clock.start_date == D(2026, 12, 23)


def test_a_correction_needs_a_reason_and_is_audited_with_the_old_and_new_dates(partnership, actor):
    clock = open_clock(partnership, start_date=D(2026, 12, 23))
    with pytest.raises(ValidationError) as exc:
        services.restart_deadline(deadline=clock, start_date=D(2026, 12, 22), actor=actor, reason="  ")
    assert "reason" in exc.value.message_dict
    services.restart_deadline(
        rule=clock.rule, subject=clock.subject, start_date=D(2026, 12, 22), actor=actor, reason=REASON
    )
    event = AuditEvent.objects.filter(subject_id=clock.pk, action="change").latest("id")
    assert event.actor == actor
    assert event.detail == {
        "start_date": ["2026-12-23", "2026-12-22"],
        "due_date": ["2027-01-04", "2026-12-31"],
        "reason": REASON,
    }


def test_the_met_on_date_of_a_met_clock_is_corrected_and_it_stays_met(partnership, actor):
    clock = open_clock(partnership, start_date=D(2026, 12, 23))
    services.meet_deadline(rule=clock.rule, subject=clock.subject, met_on=D(2027, 1, 5))
    change = services.correct_met_on(deadline=clock, met_on=D(2027, 1, 4), actor=actor, reason=REASON)
    clock.refresh_from_db()
    assert (clock.status, clock.met_on) == ("met", D(2027, 1, 4))
    assert change.old_met_on == D(2027, 1, 5)
    event = AuditEvent.objects.filter(subject_id=clock.pk, action="change").latest("id")
    # Met a day late before, on time after: the audit trail says so.
    assert event.detail == {
        "met_on": ["2027-01-05", "2027-01-04"],
        "on_time": True,
        "lateness": "now met on time",
        "reason": REASON,
    }


def test_correcting_the_met_on_date_meets_an_open_clock_and_reopens_a_met_one_without_a_date(
    partnership, actor
):
    clock = open_clock(partnership, start_date=D(2026, 12, 23))
    services.correct_met_on(deadline=clock, met_on=D(2027, 1, 6), actor=actor, reason=REASON)
    clock.refresh_from_db()
    assert (clock.status, clock.met_on) == ("met", D(2027, 1, 6))
    services.correct_met_on(deadline=clock, met_on=None, actor=actor, reason=REASON)
    clock.refresh_from_db()
    assert (clock.status, clock.met_on) == ("open", None)
    assert services.correct_met_on(deadline=clock, met_on=None, actor=actor, reason=REASON) is None
