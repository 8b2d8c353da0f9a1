"""Roles and access in the kernel.

A user sees only partnerships they are a member of, and within one only what
their role allows. Each kind of object has one ``access_*``/``*_visible_to``
pair in its app's ``selectors``; they all start from the helpers here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from guardian.models import UserObjectPermission
from guardian.models.models import UserObjectPermissionBase

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
    return {m.partnership_id for m in _memberships(user) if wanted is None or m.role in wanted}


def has_role(user, partnership_id: int, *roles: str) -> bool:
    return any(
        m.partnership_id == partnership_id and (not roles or m.role in roles) for m in _memberships(user)
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


# ---------------------------------------------------------------------------
# The role matrix: what each role may do at each stage. Services and views check
# a capability with ``can``/``require``; docs/permissions.md is generated from
# this table (``python manage.py role_matrix``), so the document cannot drift
# from the code. Object-level grants (django-guardian) add access to one case or
# review for people who are not case managers; they are noted per capability.
# ---------------------------------------------------------------------------

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Capability:
    stage: str
    description: str
    roles: frozenset
    grants: str = ""  # who else may, through an object-level grant


CAPABILITIES: dict[str, Capability] = {
    "submit_referral": Capability("Referral", "Write, save as draft and submit a referral", ALL_ROLES),
    "triage_referral": Capability(
        "Referral", "Accept, decline or ask the referrer about a referral", CASE_MANAGERS
    ),
    "view_child_identity": Capability(
        "Case", "See the child's name, date of birth and address", CASE_MANAGERS
    ),
    "view_case": Capability(
        "Case",
        "See a case, its chronology and its clocks",
        CASE_MANAGERS,
        grants="panel liaison, lead reviewer or review team member added to the case",
    ),
    "edit_case": Capability("Case", "Change a case and add to its chronology", CASE_MANAGERS),
    "mark_case_brought_in": Capability(
        "Case",
        "Mark a case as brought in from before this system, with its source and reason, so its "
        "recorded dates may be older than 29 June 2018",
        CASE_MANAGERS,
    ),
    "record_notification": Capability(
        "Notification", "Record the serious incident notification to the Panel", CASE_MANAGERS
    ),
    "view_dfe_summary": Capability(
        "Notification",
        "See a case's copy-ready summary for the DfE online notification form",
        CASE_MANAGERS,
    ),
    "view_notification_figures": Capability(
        "Notification",
        "See the partnership's notifications by the national statistics' breakdowns (table and CSV)",
        CASE_MANAGERS,
    ),
    "report_care_leaver_death": Capability(
        "Notification",
        "Record the death of a care leaver (aged 18 to 24) and its notification to the "
        "Secretary of State and Ofsted",
        CASE_MANAGERS,
    ),
    "view_rapid_review": Capability(
        "Rapid review",
        "See every rapid review of the partnership from when it opens (the child by initials, "
        "never by name), and be told when a decision is recorded and when it is sent",
        CASE_MANAGERS | {Role.PANEL_LIAISON},
        grants="anyone added to the case",
    ),
    "manage_rapid_review": Capability(
        "Rapid review",
        "Record meetings, attendees, agency returns, safety actions and submission",
        CASE_MANAGERS,
    ),
    "record_decision": Capability(
        "Rapid review",
        "Record the partners' decision and its rationale",
        frozenset({Role.PARTNER_LEAD}),
    ),
    "export_rapid_review_pdf": Capability(
        "Rapid review",
        "Download the rapid review PDF for the Panel",
        CASE_MANAGERS | {Role.PANEL_LIAISON},
    ),
    "commission_review": Capability("Review", "Open the review the partners decided on", CASE_MANAGERS),
    "manage_review": Capability(
        "Review",
        "Record terms of reference, team, events, family involvement and drafts",
        CASE_MANAGERS,
        grants="lead reviewer added to the review",
    ),
    "view_review": Capability(
        "Review",
        "See a review",
        CASE_MANAGERS,
        grants="lead reviewer or review team member added to the review",
    ),
    "manage_recommendations": Capability(
        "Action plan",
        "Add, change and remove recommendations and actions (until completed), update progress",
        CASE_MANAGERS,
        grants="lead reviewer added to the review",
    ),
    "publish": Capability(
        "Publication",
        "Record copies to the Panel and Secretary of State, and publish",
        CASE_MANAGERS,
    ),
    "override_publication": Capability(
        "Publication",
        "Publish early, or take a report down inside its 12 months, with a reason",
        frozenset({Role.PARTNER_LEAD}),
    ),
    "record_yearly_report": Capability(
        "Yearly report",
        "Record the partnership's published yearly report and its copies sent on",
        CASE_MANAGERS,
    ),
    "view_learning_library": Capability(
        "Learning", "Search published reviews and 7-minute briefings", ALL_ROLES
    ),
    "view_dashboard": Capability(
        "Deadlines", "See every clock of the partnership on the dashboard", CASE_MANAGERS
    ),
    "waive_deadline": Capability(
        "Deadlines", "Waive a deadline, with a reason", frozenset({Role.PARTNER_LEAD})
    ),
    "view_audit_trail": Capability("Audit", "See and export the partnership's audit trail", CASE_MANAGERS),
    "review_access": Capability(
        "Information governance",
        "Review who has access to the partnership's records, and deactivate leavers",
        frozenset({Role.BUSINESS_MANAGER}),
    ),
    "place_legal_hold": Capability(
        "Information governance",
        "Place a legal hold on a case, or lift it, with a reason",
        frozenset({Role.PARTNER_LEAD}),
    ),
    "view_legal_holds": Capability(
        "Information governance",
        "See the legal holds and what was disposed of",
        CASE_MANAGERS,
    ),
    "build_subject_access_pack": Capability(
        "Information governance",
        "Build a subject access pack about one child for the data protection officer",
        frozenset({Role.BUSINESS_MANAGER}),
    ),
    "relax_two_factor": Capability(
        "Security",
        "Let practitioners who only make referrals sign in without two-factor (every other "
        "role, and every administrator, always enters a code)",
        frozenset({Role.BUSINESS_MANAGER}),
    ),
    "manage_member_api_tokens": Capability(
        "Security",
        "See and revoke the API tokens of the partnership's members (anyone may issue, see "
        "and revoke their own after two-factor sign-in)",
        frozenset({Role.BUSINESS_MANAGER}),
    ),
}


def can(user, capability: str, partnership_id: int) -> bool:
    """Whether ``user``'s roles in the partnership allow ``capability`` (grants aside)."""
    return has_role(user, partnership_id, *CAPABILITIES[capability].roles)


def require(user, capability: str, partnership_id: int) -> None:
    """Refuse (403, with the reason) a member whose roles do not allow ``capability``."""
    if not can(user, capability, partnership_id):
        cap = CAPABILITIES[capability]
        labels = " or ".join(sorted(Role(r).label.lower() for r in cap.roles))
        action = cap.description[0].lower() + cap.description[1:]
        raise PermissionDenied(f"Only a {labels} can {action}.")


def partnership_ids_for(user, capability: str) -> set[int]:
    """Partnerships where the user's roles allow ``capability``: the start of every list."""
    return partnership_ids(user, CAPABILITIES[capability].roles)


def partnership_for(user, capability: str, chosen: Partnership | None = None) -> Partnership:
    """The partnership a new record belongs to, for a record that is not part of a case
    (a care leaver's death, a yearly report): the one ``chosen``, which must be one where
    the user's roles allow ``capability``; left out, the user's only such partnership. A
    member of several must choose (``ValidationError`` on ``partnership``). The page and
    the API both ask here."""
    allowed = partnership_ids_for(user, capability)
    if chosen is not None:
        if chosen.pk not in allowed:
            raise ValidationError({"partnership": "Choose one of your partnerships"})
        return chosen
    if len(allowed) != 1:
        raise ValidationError({"partnership": "Choose the partnership"})
    return Partnership.objects.get(pk=next(iter(allowed)))


def grant_models() -> list[type]:
    """Every django-guardian direct grant model of the project (one per kind of object:
    a case, a review), found without importing the apps that define them."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, UserObjectPermissionBase)
        and not model._meta.abstract
        and model is not UserObjectPermission
    ]


def holds_object_grants(user) -> bool:
    """Whether ``user`` was added to any case or review (one query per kind of grant)."""
    return any(model.objects.filter(user=user).exists() for model in grant_models()) or (
        UserObjectPermission.objects.filter(user=user).exists()
    )
