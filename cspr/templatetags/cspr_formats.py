"""Template filters and tags for dates and clocks (loaded as a builtin in settings)."""

from django import template

from cspr import formats
from cspr.deadlines import lateness
from cspr.workdays import calendar_for

register = template.Library()


@register.filter
def long_date(value) -> str:
    """``{{ deadline.due_date|long_date }}``: 25 November 2026."""
    return formats.long_date(value)


@register.filter
def long_datetime(value) -> str:
    """``{{ event.at|long_datetime }}``: 25 November 2026, 14:05."""
    return formats.long_datetime(value)


@register.simple_tag(takes_context=True)
def met_late(context, deadline) -> str:
    """``{% met_late deadline %}``: "Met late: 3 working days" for a clock met after its
    due date, else "". Worked out by ``cspr.deadlines.lateness`` with one working-day
    calendar per request (``cspr.workdays.calendar_for``, as the dashboard's: one query,
    however many clocks the page shows). A template rendered without a request (a PDF)
    may pass its one ``calendar`` in the context instead."""
    if getattr(deadline, "status", None) != "met" or not getattr(deadline, "met_on", None):
        return ""
    calendar = context.get("calendar") or calendar_for(context.get("request"))
    return lateness(deadline, calendar).label
