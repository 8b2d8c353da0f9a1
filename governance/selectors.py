"""Reads of information governance, and one ``access_*`` per kind of object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from cases.selectors import access_case
from cspr.models import Membership, Partnership
from cspr.permissions import access_partnership, can, partnership_ids_for
from cspr.roles import Role

from .models import DisposalRecord, LegalHold
from .services import grants_in


def access_review_partnership(user, partnership_pk) -> Partnership:
    """A partnership whose access the user may review; 404 otherwise."""
    try:
        return access_partnership(user, int(partnership_pk), Role.BUSINESS_MANAGER)
    except (TypeError, ValueError):
        raise Http404("No such partnership.") from None


@dataclass
class AccessRow:
    user: object
    roles: list[str] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)
    idle: bool = False


def access_review(partnership: Partnership, *, now: dt.datetime | None = None) -> list[AccessRow]:
    """Everyone with access to the partnership's records, by role and by grant, with
    their last sign-in; idle accounts flagged (``ACCESS_REVIEW_IDLE_DAYS``)."""
    now = now or timezone.now()
    idle_before = now - dt.timedelta(days=settings.ACCESS_REVIEW_IDLE_DAYS)
    rows: dict[int, AccessRow] = {}
    for membership in (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "agency")
        .order_by("user__last_name", "user__first_name", "role")
    ):
        row = rows.setdefault(membership.user_id, AccessRow(user=membership.user))
        role = membership.get_role_display()
        row.roles.append(f"{role} ({membership.agency.name})" if membership.agency else role)
    for grant in grants_in(partnership):
        row = rows.setdefault(grant.user_id, AccessRow(user=grant.user))
        target = grant.content_object
        row.grants.append(f"{grant.permission.name} – {getattr(target, 'audit_label', target)}")
    for row in rows.values():
        last = row.user.last_login or row.user.date_joined
        row.idle = row.user.is_active and last < idle_before
    return sorted(rows.values(), key=lambda r: (not r.idle, r.user.get_full_name().lower(), r.user.username))


def access_person(user, partnership: Partnership, person_pk):
    """A person with access to the partnership (membership or grant); 404 otherwise."""
    User = get_user_model()
    try:
        person = User.objects.get(pk=int(person_pk))
    except (User.DoesNotExist, TypeError, ValueError):
        raise Http404("No such person.") from None
    if not (
        Membership.objects.filter(user=person, partnership=partnership).exists()
        or grants_in(partnership, user=person)
    ):
        raise Http404("No such person in this partnership.")
    return person


def holds_visible_to(user):
    return LegalHold.objects.filter(
        case__partnership_id__in=partnership_ids_for(user, "view_legal_holds")
    ).select_related("case", "placed_by", "lifted_by")


def disposals_visible_to(user):
    return DisposalRecord.objects.filter(
        partnership_id__in=partnership_ids_for(user, "view_legal_holds")
    ).select_related("partnership")


def access_legal_hold(user, pk) -> LegalHold:
    try:
        return holds_visible_to(user).get(pk=pk)
    except (LegalHold.DoesNotExist, TypeError, ValueError):
        raise Http404("No such legal hold.") from None


def access_case_for(user, case_pk, capability: str):
    """The case, if the user may see it AND their role allows ``capability``; 404 for a
    case they may not see, 403 (with the reason) for one they may see."""
    from cspr.permissions import require

    case = access_case(user, case_pk)
    require(user, capability, case.partnership_id)
    return case


def may(user, capability: str, partnership_id: int) -> bool:
    return can(user, capability, partnership_id)
