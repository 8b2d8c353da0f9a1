"""Bad filter values on the publications API get a 400 with a message, never a 500
(found by the schemathesis run in tests/security)."""

import pytest

from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "-5", "10000", "twenty"])
def test_an_impossible_publication_year_is_refused_with_a_message(client, year):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    response = client.get("/api/v1/publications/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_real_year_filters(client):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    response = client.get("/api/v1/publications/", {"year": "2026"})
    assert response.status_code == 200
    assert response.json()["results"] == []
