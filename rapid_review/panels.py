"""The rapid review's panel on the case page (registered in apps.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cases.models import Case
from cspr.permissions import can

from .selectors import rapid_reviews_visible_to
from .services import anchor_for


def case_panel(request, case: Case) -> dict | None:
    """The case's rapid review (status, due date, link), or the button that opens
    it once the case is notified. One query (the review with its clock)."""
    user = request.user
    review = rapid_reviews_visible_to(user).filter(case=case).first()
    panel = {"case": case, "review": review, "can_open": False, "reason": ""}
    if (
        review is None
        and case.status == Case.Status.OPEN
        and can(user, "manage_rapid_review", case.partnership_id)
    ):
        try:
            anchor_for(case)
        except ValidationError as error:
            panel["reason"] = " ".join(error.messages)
        else:
            panel["can_open"] = True
    return panel
