"""The publication's panel on the case page (registered in apps.py)."""

from __future__ import annotations

from cases.models import Case
from cspr.permissions import can

from .selectors import publications_visible_to


def case_panel(request, case: Case) -> dict | None:
    """The case's final reports and whether each is published (one query)."""
    user = request.user
    publications = list(publications_visible_to(user).filter(review__case=case).order_by("pk"))
    if not publications and not can(user, "publish", case.partnership_id):
        return None
    return {"case": case, "publications": publications}
