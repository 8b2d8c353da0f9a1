"""Reads of rapid reviews, filtered by who may see them.

A rapid review is visible to whoever may see its case (``cases.selectors``): the
partnership's business team, and people granted ``view_case`` on the case (a
panel liaison added to it). Changing it needs ``manage_rapid_review``; the PDF
needs ``export_rapid_review_pdf`` or, for a panel liaison, the grant.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cases.models import CaseUserObjectPermission
from cases.selectors import cases_visible_to
from cspr.permissions import can, has_role
from cspr.roles import Role
from cspr.selectors import clock_of

from .models import AgencyReturn, Attendee, RapidReview, RapidReviewMeeting

RULE = "rapid_review"


def rapid_reviews_visible_to(user) -> QuerySet[RapidReview]:
    """Rapid reviews of the cases the user may see, with their clock (due date and
    status) annotated and what a list needs joined."""
    return (
        RapidReview.objects.filter(case__in=cases_visible_to(user).values("pk"))
        .select_related("case__partnership", "case__notification")
        .annotate(
            due_date=clock_of(RapidReview, rule=RULE, field="due_date"),
            deadline_status=clock_of(RapidReview, rule=RULE, field="status"),
        )
        .order_by("due_date", "id")
    )


def with_parts(queryset: QuerySet[RapidReview]) -> QuerySet[RapidReview]:
    """Add what a detail page, the API or the PDF needs, in a fixed number of queries."""
    return queryset.select_related("decided_by", "submitted_by").prefetch_related(
        Prefetch(
            "meetings",
            queryset=RapidReviewMeeting.objects.prefetch_related(
                Prefetch("attendees", queryset=Attendee.objects.select_related("agency"))
            ),
        ),
        Prefetch("agency_returns", queryset=AgencyReturn.objects.select_related("agency")),
        "safety_actions",
        "case__agencies",
    )


def access_rapid_review(user, pk, *, parts: bool = True) -> RapidReview:
    """The rapid review, if the user may see it; 404 otherwise (never 403)."""
    queryset = rapid_reviews_visible_to(user)
    if parts:
        queryset = with_parts(queryset)
    try:
        return queryset.get(pk=pk)
    except (RapidReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rapid review.") from None


def can_manage(user, review: RapidReview) -> bool:
    return can(user, "manage_rapid_review", review.case.partnership_id)


def can_decide(user, review: RapidReview) -> bool:
    return can(user, "record_decision", review.case.partnership_id)


def can_export_pdf(user, review: RapidReview) -> bool:
    """Case managers; a panel liaison granted ``view_case`` on the case."""
    partnership_id = review.case.partnership_id
    if can(user, "export_rapid_review_pdf", partnership_id):
        return True
    return has_role(user, partnership_id, Role.PANEL_LIAISON) and (
        CaseUserObjectPermission.objects.filter(
            user=user, permission__codename="view_case", content_object_id=review.case_id
        ).exists()
    )
