"""Roles and access in the kernel.

A user sees only partnerships they are a member of, and within one only what
their role allows. Each kind of object has one ``access_*``/``*_visible_to``
pair in its app's ``selectors``; they all start from the helpers here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Partnership
from .roles import CASE_MANAGERS, Role


def _memberships(user) -> list[Membership]:
    """The user's memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cspr_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("partnership", "agency"))
        user._cspr_memberships = cached
    return cached


def memberships(user) -> list[Membership]:
    return list(_memberships(user))


def partnership_ids(user, roles: Iterable[str] | None = None) -> set[int]:
    """Ids of the partnerships where ``user`` holds any of ``roles`` (any role if None)."""
    wanted = set(roles) if roles is not None else None
    return {
        m.partnership_id for m in _memberships(user) if wanted is None or m.role in wanted
    }


def has_role(user, partnership_id: int, *roles: str) -> bool:
    return any(
        m.partnership_id == partnership_id and (not roles or m.role in roles)
        for m in _memberships(user)
    )


def roles_in(user, partnership_id: int) -> set[str]:
    return {m.role for m in _memberships(user) if m.partnership_id == partnership_id}


def agency_ids(user, partnership_id: int | None = None) -> set[int]:
    return {
        m.agency_id
        for m in _memberships(user)
        if m.agency_id and (partnership_id is None or m.partnership_id == partnership_id)
    }


def is_case_manager(user, partnership_id: int) -> bool:
    return has_role(user, partnership_id, *CASE_MANAGERS)


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=partnership_ids(user))


def access_partnership(user, partnership_id: int, *roles: str) -> Partnership:
    """Fetch a partnership the user belongs to (with one of ``roles``), or 404."""
    if not has_role(user, partnership_id, *roles):
        raise Http404("No such partnership.")
    return Partnership.objects.get(pk=partnership_id)


def require_role(user, partnership_id: int, *roles: str, message: str | None = None) -> None:
    """Refuse (403) a member without one of ``roles`` in the partnership."""
    if not has_role(user, partnership_id, *roles):
        labels = ", ".join(Role(r).label.lower() for r in roles)
        raise PermissionDenied(message or f"Only a {labels} can do this.")
