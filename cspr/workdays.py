"""The statutory calendar: working days in England.

The one place that counts working days. Statutory clocks in *Working Together to
Safeguard Children* 2023, chapter 5, run in working days: Saturdays, Sundays and
England and Wales bank holidays (Banking and Financial Dealings Act 1971,
schedule 1, and royal proclamations) do not count. Bank holidays come from the
``holidays`` package (country GB, subdivision England), substitute ("observed")
days included; extra days an administrator records as ``NonWorkingDay`` are
honoured at once (each call reads them).

Counting starts the working day after the trigger (docs/domain.md, "The clocks").
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from functools import lru_cache

import holidays

__all__ = [
    "WorkingCalendar",
    "add_working_days",
    "bank_holidays",
    "calendar_for",
    "current_calendar",
    "is_working_day",
    "working_days_between",
]

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _bank_holidays_for_year(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays(year: int) -> dict[dt.date, str]:
    """England's bank holidays (substitute days included) for one year, with names."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


class WorkingCalendar:
    """Working days in England, with a fixed set of extra non-working days.

    Build one per request or sweep with :func:`current_calendar` and reuse it for
    many dates; the module-level functions build a fresh one per call.
    """

    def __init__(self, extra_non_working_days: frozenset[dt.date] = frozenset()):
        self.extra = frozenset(extra_non_working_days)
        self._closed: dict[tuple[int, int], tuple[dt.date, ...]] = {}

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _bank_holidays_for_year(day.year) and day not in self.extra

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (before it, if negative).

        Counting starts from the next working day; adding 0 returns ``start`` as
        it is, even on a non-working day.
        """
        step = ONE_DAY if count >= 0 else -ONE_DAY
        remaining = abs(count)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start`` (the working days from ``end`` up
        to but not including ``start``), so that for a working day ``end``:
        ``add_working_days(start, working_days_between(start, end)) == end``.
        """
        if end >= start:
            lo, hi, sign = start + ONE_DAY, end, 1
        else:
            lo, hi, sign = end, start - ONE_DAY, -1
        return sign * self._count_working_days(lo, hi)

    def _count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days in the closed range [first, last]; 0 when empty."""
        if last < first:
            return 0
        days = (last - first).days + 1
        full_weeks, rest = divmod(days, 7)
        weekdays = full_weeks * 5
        for offset in range(rest):
            if (first + dt.timedelta(days=offset)).weekday() < 5:
                weekdays += 1
        closed = self._closed_weekdays(first.year, last.year)
        return weekdays - (bisect_right(closed, last) - bisect_left(closed, first))

    def _closed_weekdays(self, first_year: int, last_year: int) -> tuple[dt.date, ...]:
        """Bank holidays and extra non-working days that fall on a weekday, sorted, for
        the years given (kept: a calendar's days never change once it is built)."""
        key = (first_year, last_year)
        if key not in self._closed:
            closed = set(self.extra)
            for year in range(first_year, last_year + 1):
                closed |= _bank_holidays_for_year(year)
            self._closed[key] = tuple(sorted(day for day in closed if day.weekday() < 5))
        return self._closed[key]


def current_calendar() -> WorkingCalendar:
    """A calendar with the extra non-working days recorded now (one query)."""
    from .models import NonWorkingDay

    return WorkingCalendar(frozenset(NonWorkingDay.objects.values_list("date", flat=True)))


def calendar_for(request=None) -> WorkingCalendar:
    """The working-day calendar of one request: read once (one query) and kept on the
    request, so a page, its filters, its template tags and its serializers all count
    with the same calendar however many clocks they show. Without a request (a task, a
    PDF), a fresh calendar."""
    if request is None:
        return current_calendar()
    calendar = getattr(request, "_cspr_calendar", None)
    if calendar is None:
        calendar = current_calendar()
        try:
            request._cspr_calendar = calendar
        except AttributeError:  # an object that takes no attribute: no cache
            pass
    return calendar


def is_working_day(day: dt.date) -> bool:
    return current_calendar().is_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    return current_calendar().add_working_days(start, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return current_calendar().working_days_between(start, end)
