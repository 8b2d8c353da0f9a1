"""A care leaver's death and a yearly report belong to a partnership, not a case: one
kernel rule (``cspr.permissions.partnership_for``) says which, for the page and the API
of both. Left out, it is the user's one partnership where they may record it; a member
of several must choose; another partnership is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cspr.models import Membership
from cspr.permissions import partnership_for
from cspr.roles import Role
from notifications.models import CareLeaverDeathReport
from reporting.models import YearlyReport
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 1, 8)

DEATH = {"pseudonym": "Young person R", "age": 19, "died_on": "2026-12-21", "aware_on": "2026-12-23"}
YEARLY = {
    "period_start": "2025-12-01",
    "period_end": "2026-11-30",
    "published_on": "2026-12-04",
    "url": "https://example.org/r",
}
ENDPOINTS = [
    ("api:care-leaver-death-list", DEATH, CareLeaverDeathReport),
    ("api:yearly-report-list", YEARLY, YearlyReport),
]


def post(client, url, body):
    """The API's way for each: a yearly report is an upload (multipart), a care leaver's
    death JSON."""
    if url == "api:yearly-report-list":
        return client.post(reverse(url), body)
    return client.post(reverse(url), body, content_type="application/json")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("notifications.services._today", lambda: TODAY)
    monkeypatch.setattr("reporting.services._today", lambda: TODAY)


@pytest.fixture
def south(db):
    return PartnershipFactory(name="Southport Partnership", code="SBC")


def test_the_kernel_rule(north, south, manager):
    assert partnership_for(manager, "record_yearly_report") == north
    assert partnership_for(manager, "record_yearly_report", north) == north
    with pytest.raises(ValidationError, match="Choose one of your partnerships"):
        partnership_for(manager, "record_yearly_report", south)


@pytest.mark.parametrize("url, body, model", ENDPOINTS)
def test_left_out_it_is_the_one_partnership_where_the_user_may_record_it(
    client, north, south, manager, url, body, model
):
    log_in(client, manager)
    response = post(client, url, body)
    assert response.status_code == 201, response.json()
    assert model.objects.get().partnership == north


@pytest.mark.parametrize("url, body, model", ENDPOINTS)
def test_a_member_of_two_partnerships_must_choose_and_cannot_choose_another(
    client, north, south, url, body, model
):
    both = member(north, Role.BUSINESS_MANAGER, username="both")
    Membership.objects.create(user=both, partnership=south, role=Role.BUSINESS_MANAGER)
    log_in(client, both)
    response = post(client, url, body)
    assert response.status_code == 409 and "Choose the partnership" in str(response.json()["partnership"])
    assert not model.objects.exists()

    elsewhere = PartnershipFactory(name="Elsewhere", code="ELS")
    response = post(client, url, {**body, "partnership": elsewhere.pk})
    assert response.status_code == 404  # a partnership the user may not see, as by its address
    assert not model.objects.exists()

    response = post(client, url, {**body, "partnership": south.pk})
    assert response.status_code == 201 and model.objects.get().partnership == south
