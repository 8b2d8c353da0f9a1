"""The statutory calendar counts England's working days (WT2023 ch5; docs/domain.md)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cspr.models import NonWorkingDay
from cspr.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 4), "Early May bank holiday"),
        (D(2026, 8, 31), "Summer bank holiday"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day substitute (26 December is a Saturday)"),
        (D(2027, 12, 27), "Christmas Day substitute"),
        (D(2022, 1, 3), "New Year's Day substitute"),
        (D(2022, 9, 19), "State funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of King Charles III"),
    ],
)
def test_bank_holidays_and_substitute_days_are_not_working_days(day, name):
    assert CAL.is_working_day(day) is False, name


def test_weekends_are_not_working_days_and_weekdays_are():
    assert not CAL.is_working_day(D(2026, 11, 28))  # Saturday
    assert not CAL.is_working_day(D(2026, 11, 29))  # Sunday
    assert CAL.is_working_day(D(2026, 11, 25))  # Wednesday


def test_scottish_only_holidays_are_working_days_in_england():
    assert CAL.is_working_day(D(2026, 1, 2))  # 2 January: a bank holiday in Scotland only
    assert CAL.is_working_day(D(2026, 11, 30))  # St Andrew's Day


def test_counting_starts_the_working_day_after_the_trigger():
    assert CAL.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)  # Monday -> Tuesday
    assert CAL.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday -> Monday


def test_notification_clock_across_christmas_and_new_year():
    # Aware Wednesday 23 December 2026: 24th, 29th, 30th, 31st, 4 January.
    assert CAL.add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_rapid_review_clock_across_easter():
    # Notified Thursday 2 April 2026; Good Friday and Easter Monday do not count.
    assert CAL.add_working_days(D(2026, 4, 2), 15) == D(2026, 4, 27)


def test_adding_zero_to_a_non_working_day_stays_on_it():
    assert CAL.add_working_days(D(2026, 12, 25), 0) == D(2026, 12, 25)


def test_negative_counts_go_back_over_weekends_and_holidays():
    # Seven working days before publication on Monday 4 January 2027.
    assert CAL.add_working_days(D(2027, 1, 4), -7) == D(2026, 12, 21)
    assert CAL.add_working_days(D(2026, 11, 30), -1) == D(2026, 11, 27)


def test_working_days_between_counts_after_start_up_to_and_including_end():
    assert CAL.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert CAL.working_days_between(D(2026, 11, 23), D(2026, 11, 30)) == 5
    assert CAL.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 5
    assert CAL.working_days_between(D(2026, 11, 30), D(2026, 11, 23)) == -5


working_dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=working_dates, end=working_dates)
def test_round_trip_of_add_and_between_for_a_working_end_day(start, end):
    if not CAL.is_working_day(end):
        end = CAL.add_working_days(end, 1)
    assert CAL.add_working_days(start, CAL.working_days_between(start, end)) == end


@settings(max_examples=200, deadline=None)
@given(start=working_dates, count=st.integers(min_value=-60, max_value=60))
def test_between_inverts_add(start, count):
    end = CAL.add_working_days(start, count)
    assert CAL.working_days_between(start, end) == count
    if count:
        assert CAL.is_working_day(end)


@pytest.mark.django_db
def test_an_extra_non_working_day_is_honoured_at_once():
    special = D(2026, 11, 26)  # a Thursday
    assert is_working_day(special)
    before = add_working_days(D(2026, 11, 25), 1)
    NonWorkingDay.objects.create(date=special, name="Special bank holiday")
    assert not is_working_day(special)
    assert before == D(2026, 11, 26)
    assert add_working_days(D(2026, 11, 25), 1) == D(2026, 11, 27)
    assert working_days_between(D(2026, 11, 25), D(2026, 11, 27)) == 1
