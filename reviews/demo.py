"""Demo data: one local CSPR in progress with its team, events, two
recommendations and their actions. Invented names only. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.codes import Nature
from cases.models import Case, CaseChild
from cspr.models import Agency

from . import services
from .models import Action, InformationRequest, Review

#: A minimal one-page PDF for the demo draft (it passes the content check: it starts with %PDF-).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DEMO_REFERENCE = "NCC-2026-901"


def _case(partnership, reference, incident):
    case, _ = Case.objects.get_or_create(
        reference=reference,
        defaults={
            "partnership": partnership,
            "incident_date": incident,
        },
    )
    CaseChild.objects.get_or_create(
        case=case,
        ordinal=1,
        defaults={"initials": "A.B.", "age_months": 14, "nature": Nature.SERIOUSLY_HARMED},
    )
    return case


def seed(context: dict) -> None:
    partnership = context["partnership"]
    users, agencies = context["users"], context["agencies"]
    manager = users["manager"]
    case = _case(partnership, DEMO_REFERENCE, dt.date(2026, 3, 2))
    review = Review.objects.filter(case=case).first()
    if review is None:
        review = services.commission_review(
            case=case,
            kind=Review.Kind.LOCAL_CSPR,
            decided_on=dt.date(2026, 4, 1),
            commissioned_on=dt.date(2026, 4, 15),
            actor=manager,
        )
        services.start_review(review=review, actor=manager, started_on=dt.date(2026, 4, 20))
        services.update_terms_of_reference(
            review=review,
            actor=manager,
            scope="Agencies' work with the family in the year before the incident.",
            period_from=dt.date(2025, 3, 1),
            period_to=dt.date(2026, 3, 2),
            key_lines_of_enquiry=(
                "How did agencies share concerns about bruising?\nWas the father figure known?"
            ),
            methodology="Systems methodology, with a practitioners' event.",
        )
        services.add_lead_reviewer(
            review=review, actor=manager, user=users["reviewer"], organisation="Independent reviewer"
        )
        services.add_team_member(
            review=review,
            actor=manager,
            user=users["teammember"],
            agency=agencies[Agency.Kind.POLICE],
            role_on_team="Police safeguarding lead",
        )
        services.add_practitioner_event(
            review=review,
            actor=manager,
            date=dt.date(2026, 6, 10),
            agencies=[agencies[Agency.Kind.POLICE], agencies[Agency.Kind.HEALTH_PROVIDER]],
            attendee_count=14,
            notes="Practitioners described workload and handover pressures.",
        )
        services.record_family_involvement(
            review=review,
            actor=manager,
            family_role="mother",
            invited_on=dt.date(2026, 5, 1),
            met_on=dt.date(2026, 5, 20),
        )
        first = services.add_recommendation(
            review=review,
            actor=manager,
            target_date=dt.date(2027, 3, 31),
            text="Partners adopt a bruising in non-mobile babies protocol across all health settings.",
            agencies=[agencies[Agency.Kind.HEALTH_PROVIDER], agencies[Agency.Kind.ICB]],
        )
        services.add_action(
            recommendation=first,
            actor=manager,
            description="Publish the protocol",
            owner_agency=agencies[Agency.Kind.ICB],
            owner_role="Designated nurse",
            due_date=dt.date(2026, 12, 18),
            evidence_of_impact="Audit of referrals for bruised non-mobile babies",
        )
        services.add_action(
            recommendation=first,
            actor=manager,
            description="Train emergency staff",
            owner_agency=agencies[Agency.Kind.HEALTH_PROVIDER],
            due_date=dt.date(2027, 2, 26),
        )
        second = services.add_recommendation(
            review=review,
            actor=manager,
            target_date=dt.date(2027, 6, 30),
            text="Agencies ask about every adult in the household, including male carers.",
            agencies=[agencies[Agency.Kind.CHILDRENS_SOCIAL_CARE], agencies[Agency.Kind.POLICE]],
        )
        services.add_action(
            recommendation=second,
            actor=manager,
            description="Add household questions to the assessment form",
            owner_agency=agencies[Agency.Kind.CHILDRENS_SOCIAL_CARE],
            due_date=dt.date(2027, 1, 29),
        )
    if not review.information_requests.exists():
        request = services.record_information_request(
            review=review,
            actor=manager,
            requested_on=dt.date(2026, 7, 1),
            what=InformationRequest.What.DRAFT,
            detail="A first draft of the findings, before the practitioners' event.",
        )
        services.answer_information_request(request=request, actor=manager, answered_on=dt.date(2026, 7, 15))
    if not review.drafts.exists():
        services.upload_draft(
            review=review,
            actor=manager,
            notes="First draft for the review team",
            file=SimpleUploadedFile("draft-v1.pdf", DEMO_PDF, content_type="application/pdf"),
        )
    action = Action.objects.filter(recommendation__review=review).order_by("pk").first()
    if action is not None and not action.updates.exists():
        services.add_action_update(
            action=action,
            actor=manager,
            date=dt.date(2026, 11, 2),
            note="Draft protocol agreed by the designated nurses.",
        )
    context["demo_review"] = review
