"""Demo data: a rapid review under way for a notified demo case (invented data only).

Uses a case the cases/notifications demo made, where one has a Panel notification
date; otherwise makes its own (get_or_create, so safe to run twice).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.codes import Ethnicity, Gender, Nature, YesNoNotKnown
from cases.models import Case, CaseChild
from cspr.models import Agency
from cspr.workdays import add_working_days
from notifications.models import SeriousIncidentNotification

from . import services
from .models import RapidReview


def _demo_case(partnership, manager) -> Case:
    case = (
        Case.objects.filter(
            partnership=partnership,
            status=Case.Status.OPEN,
            notification__notified_panel_on__isnull=False,
            rapid_review__isnull=True,
        )
        .order_by("created_at")
        .first()
    )
    if case is not None:
        return case
    today = timezone.localdate()
    notified = add_working_days(today, -6)
    case, _ = Case.objects.get_or_create(
        reference=f"{partnership.code}-{notified.year}-090",
        defaults={
            "partnership": partnership,
            "incident_date": notified - dt.timedelta(days=8),
            "opened_by": manager,
        },
    )
    CaseChild.objects.get_or_create(
        case=case,
        ordinal=1,
        defaults={
            "initials": "R.T.",
            "age_months": 8,
            "gender": Gender.MALE,
            "ethnicity": Ethnicity.MIXED,
            "ethnicity_detail": "White and Black Caribbean",
            "nature": Nature.SERIOUSLY_HARMED,
            "looked_after": YesNoNotKnown.NO,
            "child_protection_plan": YesNoNotKnown.YES,
            "child_in_need": YesNoNotKnown.YES,
            "known_to_agencies": YesNoNotKnown.YES,
        },
    )
    SeriousIncidentNotification.objects.get_or_create(
        case=case,
        defaults={
            "status": SeriousIncidentNotification.Status.NOTIFIED,
            "aware_on": notified - dt.timedelta(days=3),
            "notified_panel_on": notified,
            "panel_reference": "SIN-DEMO-0090",
            "incident_local_authority": partnership.local_authority_area,
            "residence_local_authority": partnership.local_authority_area,
            "created_by": manager,
        },
    )
    return case


def seed(context: dict) -> None:
    partnership = context["partnership"]
    manager = context["users"]["manager"]
    if RapidReview.objects.filter(case__partnership=partnership).exists():
        return
    case = _demo_case(partnership, manager)
    review = services.open_rapid_review(case=case, actor=manager)
    agencies = context.get("agencies", {})
    police = agencies.get(Agency.Kind.POLICE)
    health = agencies.get(Agency.Kind.HEALTH_PROVIDER)
    today = timezone.localdate()
    meeting = services.add_meeting(review=review, actor=manager, date=add_working_days(today, -1))
    services.add_attendee(
        review=review,
        actor=manager,
        meeting=meeting,
        name="Morgan Manager",
        role="Partnership business manager",
    )
    if police:
        services.add_attendee(
            review=review,
            actor=manager,
            meeting=meeting,
            name="Dana Okafor",
            role="Detective Inspector, public protection",
            agency=police,
        )
        services.add_agency_return(
            review=review,
            actor=manager,
            agency=police,
            requested_on=review.anchor_date,
            received_on=add_working_days(review.anchor_date, 3),
            summary="Two call-outs to the address in the last year.",
        )
    if health:
        services.add_agency_return(
            review=review, actor=manager, agency=health, requested_on=review.anchor_date, summary=""
        )
    services.add_safety_action(
        review=review,
        actor=manager,
        action="Strategy discussion for the child's sibling",
        owner="Children's social care",
        due_on=review.anchor_date,
        done_on=review.anchor_date,
    )
    services.update_rapid_review(
        review=review,
        actor=manager,
        household_composition="Mother, mother's partner, one sibling aged 6.",
        chronology_summary="Health visitor contacts in the three months before the incident.",
        other_processes=["police_investigation"],
        criterion_agencies_working_together=True,
    )
    services.mark_meeting_held(review=review, actor=manager)
    context["rapid_review"] = review
