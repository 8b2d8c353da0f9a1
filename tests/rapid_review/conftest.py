"""A partnership with a notified case (notified Thursday 2 April 2026), its business
team, a practitioner, and a user of another partnership."""

import datetime as dt
from types import SimpleNamespace

import pytest

from cases.models import Referral, ReferralChild
from cspr.models import Agency
from cspr.roles import Role
from rapid_review import services
from rapid_review.models import RapidReview
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    PartnershipFactory,
    SeriousIncidentNotificationFactory,
    member,
)

D = dt.date
CHILD_NAME = "Jordan Quillfeather"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests sign users in with force_login: no need for a slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    partnership = PartnershipFactory(
        name="Northshire Safeguarding Children Partnership",
        code="NCC",
        local_authority_area="Northshire County Council",
    )
    police = AgencyFactory(partnership=partnership, name="Northshire Police", kind=Agency.Kind.POLICE)
    health = AgencyFactory(
        partnership=partnership, name="Northshire Hospitals NHS Trust", kind=Agency.Kind.HEALTH_PROVIDER
    )
    lead = member(partnership, Role.PARTNER_LEAD, username="lead")
    manager = member(partnership, Role.BUSINESS_MANAGER, username="manager")
    practitioner = member(partnership, Role.PRACTITIONER, agency=health, username="practitioner")
    other = PartnershipFactory(name="Southport Borough Safeguarding Partnership", code="SBC")
    outsider = member(other, Role.BUSINESS_MANAGER, username="outsider")
    referral = Referral.objects.create(
        partnership=partnership,
        author=practitioner,
        status=Referral.Status.ACCEPTED,
    )
    ReferralChild.objects.create(referral=referral, ordinal=1, name=CHILD_NAME, address="1 Secret Lane")
    case = CaseFactory(
        partnership=partnership,
        reference="NCC-2026-014",
        referral=referral,
        children=[
            {
                "initials": "J.Q.",
                "age_months": 3 * 12,
                "ethnicity": "white",
                "ethnicity_detail": "White British",
                "nature": "seriously_harmed",
            },
            {"initials": "A.Q.", "age_months": 8, "nature": "seriously_harmed"},
        ],
    )
    case.agencies.set([police, health])
    notification = SeriousIncidentNotificationFactory(
        case=case,
        aware_on=D(2026, 3, 30),
        notified_panel_on=D(2026, 4, 2),
        panel_reference="SIN-2026-0042",
    )
    return SimpleNamespace(
        partnership=partnership,
        police=police,
        health=health,
        lead=lead,
        manager=manager,
        practitioner=practitioner,
        other=other,
        outsider=outsider,
        case=case,
        notification=notification,
        referral=referral,
    )


def advance(world, to: str, *, review=None) -> RapidReview:
    """Bring the world's case's rapid review to status ``to`` through the services."""
    review = review or services.open_rapid_review(case=world.case, actor=world.manager)
    order = ["open", "meeting_held", "decided", "submitted", "panel_responded"]
    if order.index(to) >= 1:
        meeting = services.add_meeting(review=review, actor=world.manager, date=D(2026, 4, 14))
        services.add_attendee(
            review=review,
            actor=world.manager,
            meeting=meeting,
            name="Dana Okafor",
            role="Detective Inspector",
            agency=world.police,
        )
        services.mark_meeting_held(review=review, actor=world.manager)
    if order.index(to) >= 2:
        services.update_rapid_review(
            review=review, actor=world.manager, criterion_agencies_working_together=True
        )
        services.record_decision(
            review=review,
            actor=world.lead,
            decision="local_cspr",
            rationale="Two agencies did not share information.",
            decided_on=D(2026, 4, 15),
        )
    if order.index(to) >= 3:
        services.submit_to_panel(review=review, actor=world.manager, sent_on=D(2026, 4, 21))
    if order.index(to) >= 4:
        services.record_panel_response(
            review=review,
            actor=world.manager,
            response="agrees",
            responded_on=D(2026, 5, 5),
            text="The Panel agrees.",
        )
    review.refresh_from_db()
    return review
