import datetime as dt

import pytest

from cspr.models import Agency
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, member

#: Monday 30 November 2026: reminders on 23 (5 working days before), 26 (2), 27 (1) and 30 (due day).
DUE = dt.date(2026, 11, 30)


@pytest.fixture
def north(db):
    return PartnershipFactory(name="Northshire Safeguarding Children Partnership", code="NCC")


@pytest.fixture
def agencies(north):
    return {
        "health": AgencyFactory(partnership=north, name="Northshire Hospitals",
                                kind=Agency.Kind.HEALTH_PROVIDER),
        "police": AgencyFactory(partnership=north, name="Northshire Police",
                                kind=Agency.Kind.POLICE),
    }


@pytest.fixture
def practitioner(north, agencies):
    return member(north, Role.PRACTITIONER, agency=agencies["health"], username="pat")


@pytest.fixture
def manager(north):
    return member(north, Role.BUSINESS_MANAGER, username="morgan")


@pytest.fixture
def outsider(db):
    return member(PartnershipFactory(name="Southport Partnership", code="SBC"),
                  Role.BUSINESS_MANAGER, username="sam")


@pytest.fixture
def team(db):
    """A partnership with a partner lead, a business manager and a practitioner, and
    another partnership with its own business manager."""
    partnership = PartnershipFactory(code="NCC", name="Northshire Partnership")
    other = PartnershipFactory(code="SBC", name="Southport Partnership")
    return {
        "partnership": partnership,
        "lead": member(partnership, Role.PARTNER_LEAD, username="lead"),
        "manager": member(partnership, Role.BUSINESS_MANAGER, username="manager"),
        "practitioner": member(partnership, Role.PRACTITIONER, username="practitioner"),
        "other": other,
        "outsider": member(other, Role.BUSINESS_MANAGER, username="outsider"),
    }
