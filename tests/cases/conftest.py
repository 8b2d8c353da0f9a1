import pytest

from cspr.models import Agency
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, member


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
