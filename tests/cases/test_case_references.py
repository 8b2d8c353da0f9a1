"""Case references: CODE-YEAR-NNN, one sequence per partnership and year."""

import datetime as dt

import pytest

from cases import services
from cases.models import Referral
from cspr.roles import Role
from tests.factories import CaseFactory, PartnershipFactory, ReferralFactory, member

pytestmark = pytest.mark.django_db


def test_references_count_up_per_partnership_and_year(north, agencies, practitioner, manager):
    year = dt.date.today().year
    CaseFactory(partnership=north, reference=f"NCC-{year - 1}-007")
    CaseFactory(partnership=north, reference=f"NCC-{year}-009")
    other = PartnershipFactory(code="SBC")
    CaseFactory(partnership=other, reference=f"SBC-{year}-050")
    referrals = [
        ReferralFactory(
            partnership=north,
            author=practitioner,
            referrer_agency=agencies["health"],
            status=Referral.Status.SUBMITTED,
        )
        for _ in range(2)
    ]
    refs = [services.accept_referral(actor=manager, referral=r).reference for r in referrals]
    assert refs == [f"NCC-{year}-010", f"NCC-{year}-011"]
    other_manager = member(other, Role.BUSINESS_MANAGER)
    other_referral = ReferralFactory(
        partnership=other, author=other_manager, status=Referral.Status.SUBMITTED
    )
    assert services.accept_referral(actor=other_manager, referral=other_referral).reference == (
        f"SBC-{year}-051"
    )


def test_the_first_case_of_a_year_is_number_001(north, agencies, practitioner, manager):
    referral = ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        status=Referral.Status.SUBMITTED,
        children__unborn=True,
        children__date_of_birth=None,
    )
    case = services.accept_referral(actor=manager, referral=referral)
    assert case.reference == f"NCC-{dt.date.today().year}-001"
    child = case.children.get()
    assert child.unborn is True and child.age_months is None and child.age_label == "Unborn"
