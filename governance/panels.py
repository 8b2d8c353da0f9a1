"""The governance panel on the case page: legal holds, and the subject access pack."""

from cspr.permissions import can

from .models import LegalHold


def case_panel(request, case):
    user = request.user
    if not can(user, "view_legal_holds", case.partnership_id):
        return None
    holds = list(LegalHold.objects.filter(case=case).select_related("placed_by", "lifted_by"))
    return {
        "case": case,
        "holds": holds,
        "live": [hold for hold in holds if hold.is_live],
        "may_hold": can(user, "place_legal_hold", case.partnership_id),
        "may_pack": can(user, "build_subject_access_pack", case.partnership_id),
    }
