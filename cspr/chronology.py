"""Dates in the order the events happened: the one place each date rule is written.

Every service that records a date checks it here, so the page and the API refuse
the same dates with the same words (docs/domain.md, "Dates must follow the order
of events"). Each check adds at most one message to ``errors`` (a field name ->
message dict, as ``ValidationError`` takes it) and leaves a field that already has
a message alone, so the first broken rule is the one shown; ``raise_errors`` then
refuses the whole operation, and nothing is saved.

Messages name both dates, in the one date format (``cspr.formats.long_date``):
"The date sent to the Panel (3 March 2026) must be on or after the date of the
decision (4 March 2026)".
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from .formats import long_date

#: The Child Safeguarding Practice Review and Relevant Agency (England) Regulations
#: 2018 came into force on 29 June 2018: no live record's event is older.
REGULATIONS_BEGAN = dt.date(2018, 6, 29)
#: How far ahead a planned date may be.
PLANNED_YEARS_AHEAD = 2

Dated = tuple[str, "dt.date | None"]


def _today() -> dt.date:
    return timezone.localdate()


def check_order(errors: dict, *, earlier: Dated, later: Dated, field: str) -> None:
    """``later`` must be on or after ``earlier`` (each a label and a date; a missing
    date is not checked)."""
    (earlier_label, earlier_on), (later_label, later_on) = earlier, later
    if field in errors or earlier_on is None or later_on is None or later_on >= earlier_on:
        return
    errors[field] = (
        f"The {later_label} ({long_date(later_on)}) must be on or after the "
        f"{earlier_label} ({long_date(earlier_on)})"
    )


def check_happened(
    errors: dict, *, date: Dated, field: str, historic: bool = False, today: dt.date | None = None
) -> None:
    """The date of something that has happened: not in the future, and (unless the
    record was brought in from before the service, ``historic``) not before the
    review regulations began. ``today``: the caller's today (the local date by default)."""
    label, on = date
    if field in errors or on is None:
        return
    if on > (today or _today()):
        errors[field] = f"The {label} ({long_date(on)}) must be today or in the past"
    elif not historic and on < REGULATIONS_BEGAN:
        errors[field] = (
            f"The {label} ({long_date(on)}) must be on or after {long_date(REGULATIONS_BEGAN)}, "
            "when the review regulations began"
        )


def check_planned(
    errors: dict, *, date: Dated, field: str, historic: bool = False, today: dt.date | None = None
) -> None:
    """A planned date: at most ``PLANNED_YEARS_AHEAD`` years ahead, and (unless the
    record was brought in from before the service, ``historic``) not before the review
    regulations began."""
    label, on = date
    if field in errors or on is None:
        return
    latest = (today or _today()) + relativedelta(years=PLANNED_YEARS_AHEAD)
    if on > latest:
        errors[field] = (
            f"The {label} ({long_date(on)}) must be no later than {long_date(latest)}, "
            f"{PLANNED_YEARS_AHEAD} years from today"
        )
    elif not historic and on < REGULATIONS_BEGAN:
        errors[field] = (
            f"The {label} ({long_date(on)}) must be on or after {long_date(REGULATIONS_BEGAN)}, "
            "when the review regulations began"
        )


def raise_errors(errors: dict) -> None:
    """Refuse the operation with every message found (nothing has been saved)."""
    if errors:
        raise ValidationError(errors)
