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

from cspr.permissions import can, partnership_ids
from cspr.roles import CASE_MANAGERS

from .models import Action, Recommendation, Review, ReviewUserObjectPermission


def _granted(user, codename: str):
    return ReviewUserObjectPermission.objects.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")


def reviews_visible_to(user) -> QuerySet[Review]:
    if not getattr(user, "is_authenticated", False):
        return Review.objects.none()
    managed = partnership_ids(user, CASE_MANAGERS)
    return Review.objects.filter(
        Q(partnership_id__in=managed)
        | Q(pk__in=_granted(user, "view_review"), partnership_id__in=partnership_ids(user))
    ).select_related("case", "partnership")


def access_review(user, pk) -> Review:
    """The review, if the user may see it; 404 otherwise."""
    try:
        return reviews_visible_to(user).get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None


def review_detail(user, pk) -> Review:
    """The review with everything its page shows, in a bounded number of queries."""
    access_review(user, pk)
    return (
        reviews_visible_to(user)
        .prefetch_related(
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
                    Prefetch("actions", queryset=Action.objects.select_related(
                        "owner_user", "owner_agency")),
                ),
            ),
        )
        .get(pk=pk)
    )


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
            ReviewUserObjectPermission.objects.filter(user=user, content_object=review)
            .values_list("permission__codename", flat=True)
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
        Action.objects.filter(
            recommendation__review__in=reviews_visible_to(user).values("pk")
        )
        .select_related(
            "recommendation__review__case", "recommendation__review__partnership",
            "owner_user", "owner_agency",
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
    from cases.models import Case
    from cspr.permissions import partnership_ids_for

    return Case.objects.filter(
        partnership_id__in=partnership_ids_for(user, "commission_review"),
        status=Case.Status.OPEN,
    ).select_related("partnership")
