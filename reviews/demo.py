"""Demo data: one local CSPR in progress with its team, events, two
recommendations and their actions. Invented names only. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from cases.models import Case
from cspr.models import Agency

from . import services
from .models import Review

DEMO_REFERENCE = "NCC-2026-901"


def _case(partnership, reference, incident):
    case, _ = Case.objects.get_or_create(
        reference=reference,
        defaults={"partnership": partnership, "child_initials": "A.B.", "outcome": "seriously_harmed",
                  "incident_date": incident, "child_age_years": 1},
    )
    return case


def seed(context: dict) -> None:
    partnership = context["partnership"]
    users, agencies = context["users"], context["agencies"]
    manager = users["manager"]
    case = _case(partnership, DEMO_REFERENCE, dt.date(2026, 3, 2))
    review = Review.objects.filter(case=case).first()
    if review is None:
        review = services.commission_review(case=case, kind=Review.Kind.LOCAL_CSPR,
                                            decided_on=dt.date(2026, 4, 1), actor=manager)
        services.start_review(review=review, actor=manager, started_on=dt.date(2026, 4, 20))
        services.update_terms_of_reference(
            review=review, actor=manager, scope="Agencies' work with the family in the year before the incident.",
            period_from=dt.date(2025, 3, 1), period_to=dt.date(2026, 3, 2),
            key_lines_of_enquiry="How did agencies share concerns about bruising?\nWas the father figure known?",
            methodology="Systems methodology, with a practitioners' event.",
        )
        services.add_lead_reviewer(review=review, actor=manager, user=users["reviewer"],
                                   organisation="Independent reviewer")
        services.add_team_member(review=review, actor=manager, user=users["teammember"],
                                 agency=agencies[Agency.Kind.POLICE], role_on_team="Police safeguarding lead")
        services.add_practitioner_event(
            review=review, actor=manager, date=dt.date(2026, 6, 10),
            agencies=[agencies[Agency.Kind.POLICE], agencies[Agency.Kind.HEALTH_PROVIDER]],
            attendee_count=14, notes="Practitioners described workload and handover pressures.",
        )
        services.record_family_involvement(review=review, actor=manager, family_role="mother",
                                           invited_on=dt.date(2026, 5, 1), met_on=dt.date(2026, 5, 20))
        first = services.add_recommendation(
            review=review, actor=manager, target_date=dt.date(2027, 3, 31),
            text="Partners adopt a bruising in non-mobile babies protocol across all health settings.",
            agencies=[agencies[Agency.Kind.HEALTH_PROVIDER], agencies[Agency.Kind.ICB]],
        )
        services.add_action(recommendation=first, actor=manager, description="Publish the protocol",
                            owner_agency=agencies[Agency.Kind.ICB], owner_role="Designated nurse",
                            due_date=dt.date(2026, 12, 18),
                            evidence_of_impact="Audit of referrals for bruised non-mobile babies")
        services.add_action(recommendation=first, actor=manager, description="Train emergency staff",
                            owner_agency=agencies[Agency.Kind.HEALTH_PROVIDER],
                            due_date=dt.date(2027, 2, 26))
        second = services.add_recommendation(
            review=review, actor=manager, target_date=dt.date(2027, 6, 30),
            text="Agencies ask about every adult in the household, including male carers.",
            agencies=[agencies[Agency.Kind.CHILDRENS_SOCIAL_CARE], agencies[Agency.Kind.POLICE]],
        )
        services.add_action(recommendation=second, actor=manager,
                            description="Add household questions to the assessment form",
                            owner_agency=agencies[Agency.Kind.CHILDRENS_SOCIAL_CARE],
                            due_date=dt.date(2027, 1, 29))
    context["demo_review"] = review
