"""Reads of reviews, recommendations and actions, filtered by who may see them.

A review is visible to the partner leads and business managers of its
partnership, and to people granted access to that one review (django-guardian
``view_review``: its lead reviewers and review team members), as long as they
are still members of the partnership. Recommendations and actions follow their
review.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import Case
from cspr import audit
from cspr.permissions import can, partnership_ids, partnership_ids_for
from cspr.roles import CASE_MANAGERS

from .models import (
    Action,
    DraftVersion,
    FamilyInvolvement,
    InformationRequest,
    LeadReviewer,
    PractitionerEvent,
    Recommendation,
    Review,
    ReviewUserObjectPermission,
    TeamMember,
)


def _granted(user, codename: str):
    return ReviewUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )


def reviews_visible_to(user) -> QuerySet[Review]:
    if not getattr(user, "is_authenticated", False):
        return Review.objects.none()
    managed = partnership_ids(user, CASE_MANAGERS)
    return Review.objects.filter(
        Q(partnership_id__in=managed)
        | Q(pk__in=_granted(user, "view_review"), partnership_id__in=partnership_ids(user))
    ).select_related("case", "partnership")


def access_review(user, pk, *, parts: bool = False, record_view: bool = False) -> Review:
    """The review, if the user may see it; 404 otherwise.

    ``parts``: with everything its page shows, in a bounded number of queries.
    ``record_view``: the caller shows the review to the user (its page, the API's
    detail), so the view is written to the audit trail here, once for both."""
    queryset = with_parts(reviews_visible_to(user)) if parts else reviews_visible_to(user)
    try:
        review = queryset.get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None
    if record_view:
        audit.record(actor=user, action=audit.Action.VIEW, subject=review)
    return review


def with_parts(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Add what the review's page shows: its team, record, drafts and action plan."""
    return queryset.prefetch_related(
        Prefetch("lead_reviewers__user"),
        Prefetch("team_members__user"),
        "team_members__agency",
        "events__agencies",
        "family_involvement",
        "information_requests",
        "drafts__uploaded_by",
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                "agencies",
                Prefetch("actions", queryset=Action.objects.select_related("owner_user", "owner_agency")),
            ),
        ),
    )


# -- the parts of one review: one way in each, for the pages and the API --------------
#
# Each finds the part among those of the review the user may see (404 for a part of
# another review, or of a review the user may not see). May the user change it? The
# caller asks ``can_on_review``, the service checks it again.


def _part(queryset: QuerySet, review: Review, pk, what: str):
    try:
        part = queryset.filter(review=review).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}.") from None
    part.review = review
    return part


def access_lead_reviewer(user, review_pk, lead_pk) -> LeadReviewer:
    review = access_review(user, review_pk)
    return _part(LeadReviewer.objects.select_related("user"), review, lead_pk, "lead reviewer")


def access_team_member(user, review_pk, member_pk) -> TeamMember:
    review = access_review(user, review_pk)
    return _part(TeamMember.objects.select_related("user", "agency"), review, member_pk, "team member")


def access_practitioner_event(user, review_pk, event_pk) -> PractitionerEvent:
    review = access_review(user, review_pk)
    return _part(
        PractitionerEvent.objects.prefetch_related("agencies"), review, event_pk, "practitioner event"
    )


def access_family_involvement(user, review_pk, entry_pk) -> FamilyInvolvement:
    review = access_review(user, review_pk)
    return _part(FamilyInvolvement.objects.all(), review, entry_pk, "family involvement entry")


def access_information_request(user, review_pk, request_pk) -> InformationRequest:
    """A written request to the reviewer (regulation 14)."""
    review = access_review(user, review_pk)
    return _part(InformationRequest.objects.all(), review, request_pk, "written request")


def access_draft(user, review_pk, draft_pk) -> DraftVersion:
    review = access_review(user, review_pk)
    return _part(DraftVersion.objects.all(), review, draft_pk, "draft")


def can_on_review(user, capability: str, review: Review) -> bool:
    """Whether the user may ``capability`` ("view_review", "manage_review",
    "manage_recommendations") on this review: by role, or by a grant on it."""
    if can(user, capability, review.partnership_id):
        return True
    if review.partnership_id not in partnership_ids(user):
        return False
    cache = getattr(user, "_cspr_review_grants", None)
    if cache is None:
        cache = user._cspr_review_grants = {}
    if review.pk not in cache:
        cache[review.pk] = set(
            ReviewUserObjectPermission.objects.filter(user=user, content_object=review).values_list(
                "permission__codename", flat=True
            )
        )
    return capability in cache[review.pk]


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(review__in=reviews_visible_to(user).values("pk"))
        .select_related("review__case", "review__partnership")
        .prefetch_related(
            "agencies",
            Prefetch("actions", queryset=Action.objects.select_related("owner_user", "owner_agency")),
        )
    )


def access_recommendation(user, pk) -> Recommendation:
    try:
        return recommendations_visible_to(user).get(pk=pk)
    except (Recommendation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such recommendation.") from None


def actions_visible_to(user) -> QuerySet[Action]:
    return (
        Action.objects.filter(recommendation__review__in=reviews_visible_to(user).values("pk"))
        .select_related(
            "recommendation__review__case",
            "recommendation__review__partnership",
            "owner_user",
            "owner_agency",
        )
        .prefetch_related("updates__author")
    )


def access_action(user, pk) -> Action:
    try:
        return actions_visible_to(user).get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action.") from None


def cases_for_commissioning(user):
    """Open cases of the partnerships where the user may commission a review."""
    return Case.objects.filter(
        partnership_id__in=partnership_ids_for(user, "commission_review"),
        status=Case.Status.OPEN,
    ).select_related("partnership")
