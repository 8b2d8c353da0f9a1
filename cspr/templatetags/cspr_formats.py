"""Template filters for the one date format (loaded as a builtin in settings)."""

from django import template

from cspr import formats

register = template.Library()


@register.filter
def long_date(value) -> str:
    """``{{ deadline.due_date|long_date }}``: 25 November 2026."""
    return formats.long_date(value)


@register.filter
def long_datetime(value) -> str:
    """``{{ event.at|long_datetime }}``: 25 November 2026, 14:05."""
    return formats.long_datetime(value)
