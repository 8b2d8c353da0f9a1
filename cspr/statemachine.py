"""A small helper for the per-aggregate state machines.

Each aggregate declares its allowed transitions as ``{to_status: {from_status, ...}}``
and calls ``require_transition`` inside its ``mark_as_*`` methods; an illegal step
raises ``ValidationError`` with a plain-English message, before anything is
changed. Views show the message; the API returns it as a 400.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def require_transition(
    obj, *, to: str, allowed: dict[str, set[str]], field: str = "status", message: str | None = None
) -> str:
    """Check ``obj`` may move from its current status to ``to``; return the old status."""
    current = getattr(obj, field)
    if current not in allowed.get(to, set()):
        labels = dict(obj._meta.get_field(field).choices)
        raise ValidationError(
            message
            or f"This cannot be done while the {obj._meta.verbose_name} is “{labels.get(current, current)}”."
        )
    return current
