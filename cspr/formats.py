"""How the service writes values for people: one date format and one safe CSV cell.

GOV.UK style writes dates as "25 November 2026" (no leading zero, no weekday);
every page (through the ``long_date`` template filter), message, PDF and error
message uses these functions rather than a format string of its own.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def long_date(value: dt.date | dt.datetime | None) -> str:
    """25 November 2026 (an aware moment is shown in Europe/London); "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def long_datetime(value: dt.datetime | None) -> str:
    """25 November 2026, 14:05 (Europe/London); "" for None."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{long_date(value)}, {value:%H:%M}"


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: numbers as they are,
    text starting with a formula character behind an apostrophe."""
    if isinstance(value, int):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
