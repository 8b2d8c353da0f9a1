"""Reads of rapid reviews, filtered by who may see them.

A rapid review is visible to the partnership's roles with ``view_rapid_review``
(the business team, and the panel liaison from when the review opens: the child by
initials, never by name), and to whoever may see its case (``cases.selectors``:
people granted ``view_case`` on the case). Changing it needs
``manage_rapid_review``; the PDF needs ``export_rapid_review_pdf``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import CaseUserObjectPermission
from cases.selectors import cases_visible_to
from cspr import audit
from cspr.permissions import can, has_role, partnership_ids_for
from cspr.roles import Role
from cspr.selectors import clock_of

from .models import AgencyReturn, Attendee, RapidReview, RapidReviewMeeting, SafetyAction

RULE = "rapid_review"


def rapid_reviews_visible_to(user) -> QuerySet[RapidReview]:
    """Rapid reviews of the cases the user may see, with their clock (due date and
    status) annotated and what a list needs joined."""
    if not getattr(user, "is_authenticated", False):
        return RapidReview.objects.none()
    return (
        RapidReview.objects.filter(
            Q(case__partnership_id__in=partnership_ids_for(user, "view_rapid_review"))
            | Q(case__in=cases_visible_to(user).values("pk"))
        )
        .select_related("case__partnership", "case__notification")
        .annotate(
            due_date=clock_of(RapidReview, rule=RULE, field="due_date"),
            deadline_status=clock_of(RapidReview, rule=RULE, field="status"),
        )
        .order_by("due_date", "id")
    )


def panel_liaisons_of(partnership_id: int) -> QuerySet:
    """The active users who are panel liaisons of the partnership."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__partnership_id=partnership_id,
            memberships__role=Role.PANEL_LIAISON,
        )
        .distinct()
        .order_by("pk")
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
        "case__children",
    )


def access_rapid_review(user, pk, *, parts: bool = True, record_view: bool = False) -> RapidReview:
    """The rapid review, if the user may see it; 404 otherwise (never 403).

    ``record_view``: the caller shows the review to the user (its page, the API's
    detail), so the view is written to the audit trail here, once for both."""
    queryset = rapid_reviews_visible_to(user)
    if parts:
        queryset = with_parts(queryset)
    try:
        review = queryset.get(pk=pk)
    except (RapidReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rapid review.") from None
    if record_view:
        audit.record(actor=user, action=audit.Action.VIEW, subject=review)
    return review


# -- the parts of one rapid review: one way in each, for the pages and the API ---------
#
# Each finds the part among those of the rapid review the user may see (404 for a
# part of another rapid review, or of a rapid review the user may not see). May the
# user change it? The caller asks ``can_manage``, the service checks it again.


def _part(queryset: QuerySet, pk, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}.") from None


def access_meeting(user, rapid_review_pk, meeting_pk) -> RapidReviewMeeting:
    """A meeting of the rapid review, its attendees prefetched."""
    review = access_rapid_review(user, rapid_review_pk, parts=False)
    meeting = _part(
        RapidReviewMeeting.objects.filter(review=review).prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("agency"))
        ),
        meeting_pk,
        "meeting",
    )
    meeting.review = review
    return meeting


def access_attendee(user, rapid_review_pk, attendee_pk) -> Attendee:
    """An attendee of one of the rapid review's meetings."""
    review = access_rapid_review(user, rapid_review_pk, parts=False)
    attendee = _part(
        Attendee.objects.filter(meeting__review=review).select_related("meeting", "agency"),
        attendee_pk,
        "attendee",
    )
    attendee.meeting.review = review
    return attendee


def access_agency_return(user, rapid_review_pk, return_pk) -> AgencyReturn:
    review = access_rapid_review(user, rapid_review_pk, parts=False)
    item = _part(
        AgencyReturn.objects.filter(review=review).select_related("agency"), return_pk, "agency return"
    )
    item.review = review
    return item


def access_safety_action(user, rapid_review_pk, action_pk) -> SafetyAction:
    review = access_rapid_review(user, rapid_review_pk, parts=False)
    item = _part(SafetyAction.objects.filter(review=review), action_pk, "action")
    item.review = review
    return item


def can_manage(user, review: RapidReview) -> bool:
    return can(user, "manage_rapid_review", review.case.partnership_id)


def can_decide(user, review: RapidReview) -> bool:
    return can(user, "record_decision", review.case.partnership_id)


def can_see_case(user, review: RapidReview) -> bool:
    """Whether the user may open the review's case (a panel liaison sees the rapid
    review, not the case, unless added to it)."""
    return cases_visible_to(user).filter(pk=review.case_id).exists()


def can_export_pdf(user, review: RapidReview) -> bool:
    """Case managers and panel liaisons of the partnership; a panel liaison granted
    ``view_case`` on the case (kept for grants made before the role showed them all)."""
    partnership_id = review.case.partnership_id
    if can(user, "export_rapid_review_pdf", partnership_id):
        return True
    return has_role(user, partnership_id, Role.PANEL_LIAISON) and (
        CaseUserObjectPermission.objects.filter(
            user=user, permission__codename="view_case", content_object_id=review.case_id
        ).exists()
    )
