import datetime as dt

import pytest

from cspr.roles import Role
from tests.factories import PartnershipFactory, member

#: Monday 30 November 2026: reminders on 23 (5 working days before), 26 (2), 27 (1) and 30 (due day).
DUE = dt.date(2026, 11, 30)


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
