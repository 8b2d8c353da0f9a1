"""Reads of referrals and cases, filtered by who may see them.

One pair per kind of object: ``*_visible_to(user)`` for lists and
``access_*(user, pk)`` for detail pages, the second built on the first, so there
is one definition of "accessible".

- Cases: the partner leads and business managers of the case's partnership see
  every case of it; anyone else sees a case only through an object-level grant
  (django-guardian ``view_case``: a panel liaison, a lead reviewer or review team
  member added to it).
- Referrals: the business team sees every submitted referral of its
  partnership; a practitioner sees the referrals they wrote, drafts included.
"""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cspr import audit
from cspr.permissions import can, partnership_ids, partnership_ids_for
from cspr.roles import CASE_MANAGERS

from .models import Case, CaseChild, CaseUserObjectPermission, ChronologyEntry, Referral


def cases_visible_to(user) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    managed = partnership_ids(user, CASE_MANAGERS)
    granted = CaseUserObjectPermission.objects.filter(user=user, permission__codename="view_case").values(
        "content_object_id"
    )
    return Case.objects.filter(
        Q(partnership_id__in=managed) | Q(pk__in=granted, partnership_id__in=partnership_ids(user))
    ).select_related("partnership")


def access_case(user, pk, *, detail: bool = False, record_view: bool = False) -> Case:
    """The case, if the user may see it; 404 otherwise (never 403: existence is secret).

    ``detail``: with what its page and the API's detail show (``case_detail_queryset``).
    ``record_view``: the caller shows the case to the user (its page, the API's
    detail): every such view is written to the audit trail, here, once for both."""
    queryset = case_detail_queryset(user) if detail else cases_visible_to(user)
    try:
        case = queryset.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None
    if record_view:
        audit.record(actor=user, action=audit.Action.VIEW, subject=case)
    return case


def can_see_child_identity(user, case_or_referral) -> bool:
    """The child's name, date of birth and address: the business team only."""
    return case_or_referral.partnership_id in partnership_ids(user, CASE_MANAGERS)


def referrals_visible_to(user) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    managed = partnership_ids(user, CASE_MANAGERS)
    return Referral.objects.filter(
        Q(author=user, partnership_id__in=partnership_ids(user))
        | (Q(partnership_id__in=managed) & ~Q(status=Referral.Status.DRAFT))
    ).select_related("partnership", "author", "referrer_agency")


def access_referral(user, pk, *, record_view: bool = False) -> Referral:
    """The referral, if the user may see it; 404 otherwise.

    ``record_view``: the caller shows the referral to the user (its page, the API's
    detail). A view that shows the child's name, date of birth and address to the
    business team is written to the audit trail, here, once for both."""
    try:
        referral = referrals_visible_to(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None
    if record_view and can(user, "view_child_identity", referral.partnership_id):
        audit.record(actor=user, action=audit.Action.VIEW, subject=referral, detail={"child_identity": True})
    return referral


def record_referral_views(user, referrals) -> None:
    """A list that shows referrals in full (the API's list) records a view of each
    one whose child's identity it shows, as ``access_referral`` does for one."""
    shown = [r for r in referrals if can(user, "view_child_identity", r.partnership_id)]
    audit.record_many(
        actor=user, action=audit.Action.VIEW, subjects=shown, detail={"child_identity": True, "list": True}
    )


def children_with_agencies() -> QuerySet[CaseChild]:
    """Children with the ids and names of the agencies that knew each, in the same
    query (``CaseChild.agency_pks``, ``agency_names``)."""
    known = Q(agencies__isnull=False)
    return CaseChild.objects.annotate(
        agency_id_list=ArrayAgg("agencies__id", filter=known, order_by="agencies__name"),
        agency_name_list=ArrayAgg("agencies__name", filter=known, order_by="agencies__name"),
    )


def case_detail_queryset(user) -> QuerySet[Case]:
    """``cases_visible_to`` with what the detail page and API need, in a fixed number of queries."""
    return (
        cases_visible_to(user)
        .select_related("referral", "opened_by")
        .prefetch_related(
            "agencies",
            Prefetch("children", queryset=children_with_agencies()),
            Prefetch("chronology", queryset=ChronologyEntry.objects.select_related("agency")),
        )
    )


def referrals_to_triage(user) -> QuerySet[Referral]:
    """Referrals waiting for the business team of the user's partnerships."""
    return referrals_visible_to(user).filter(
        partnership_id__in=partnership_ids_for(user, "triage_referral"),
        status=Referral.Status.SUBMITTED,
    )


def case_access_grants(case: Case):
    """The people added to one case (object-level grants), with their users."""
    return (
        CaseUserObjectPermission.objects.filter(content_object=case, permission__codename="view_case")
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def access_case_grant(user, case_pk, grant_pk) -> CaseUserObjectPermission:
    """A grant on a case the user may see; 404 otherwise."""
    case = access_case(user, case_pk)
    try:
        return case_access_grants(case).get(pk=grant_pk)
    except (CaseUserObjectPermission.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person on this case.") from None
