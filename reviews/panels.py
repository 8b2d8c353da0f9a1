"""The commissioned review's panels on the case page and on the rapid review page
(registered in apps.py): reviews may import rapid_review, not the other way round."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from cspr.permissions import can

from .models import Review
from .selectors import reviews_visible_to
from .services import kind_from_rapid_review


def case_panel(request, case: Case) -> dict | None:
    """The case's reviews the user may see (one query); nothing for a user who may
    neither see nor commission a review of the partnership."""
    user = request.user
    reviews = list(reviews_visible_to(user).filter(case=case).order_by("decided_on", "pk"))
    if not reviews and not can(user, "view_review", case.partnership_id):
        return None
    return {"case": case, "reviews": reviews}


def rapid_review_panel(request, rapid_review) -> dict | None:
    """On a decided rapid review: the review it led to, or the "Commission the
    review" button (capability commission_review) when its outcome calls for one."""
    user = request.user
    case = rapid_review.case
    may_commission = can(user, "commission_review", case.partnership_id)
    reviews = list(reviews_visible_to(user).filter(case=case).order_by("decided_on", "pk"))
    if not reviews and not may_commission:
        return None
    panel = {
        "rapid_review": rapid_review,
        "reviews": reviews,
        "kind": "",
        "reason": "",
        "can_commission": False,
        "methods": [],
        "today": timezone.localdate(),
    }
    try:
        kind, _decided_on = kind_from_rapid_review(rapid_review)
    except ValidationError as error:
        panel["reason"] = " ".join(error.messages)
        return panel
    panel["kind"] = Review.Kind(kind).label
    # Another learning review needs its method: the rapid review does not record one.
    panel["methods"] = Review.Method.choices if kind == Review.Kind.OTHER_LEARNING else []
    panel["can_commission"] = may_commission and not any(r.kind == kind for r in reviews)
    return panel
