"""Each person sees in the navigation and on the home page only the links they
may use; the flags cost no query beyond the memberships already read."""

import re

import pytest

from cspr.context_processors import nav_flags
from cspr.permissions import memberships
from tests.factories import log_in

from .conftest import has_link

pytestmark = pytest.mark.django_db

NAV = [
    "Referrals",
    "Cases",
    "Deadlines",
    "Rapid reviews",
    "Reviews",
    "Publication",
    "Learning library",
    "Audit trail",
]


def navigation(page: str) -> list[str]:
    items = re.findall(r'class="govuk-service-navigation__link" href="[^"]*">([^<]+)</a>', page)
    return [i.strip() for i in items if i.strip() in NAV]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("practitioner", ["Referrals", "Learning library"]),
        ("manager", NAV),
        ("lead", NAV),
        ("reviewer", ["Reviews", "Learning library"]),
        ("team_member", ["Reviews", "Learning library"]),
    ],
)
def test_the_navigation_shows_each_role_its_links(people, client, who, expected):
    log_in(client, getattr(people, who))
    page = client.get("/").content.decode()
    assert navigation(page) == expected
    for label in expected:  # each link shown is one the person may open
        href = re.search(rf'href="([^"]*)">{re.escape(label)}</a>', page).group(1)
        assert client.get(href).status_code == 200, label


def test_a_practitioner_home_page_offers_a_referral_not_the_dashboard(people, client):
    log_in(client, people.practitioner)
    page = client.get("/").content.decode()
    assert has_link(page, "Make a referral") and has_link(page, "Your referrals")
    assert not has_link(page, "See every deadline of your partnership")
    assert not has_link(page, "Reviews and action plans")
    assert not has_link(page, "Final reports and publication")


def test_a_business_manager_home_page_offers_every_stage(people, client):
    log_in(client, people.manager)
    page = client.get("/").content.decode()
    for label in (
        "Make a referral",
        "See every deadline of your partnership",
        "Cases",
        "Rapid reviews",
        "Reviews and action plans",
        "Final reports and publication",
        "Learning library",
    ):
        assert has_link(page, label), label


def test_a_lead_reviewer_home_page_offers_reviews_and_the_library(people, client):
    log_in(client, people.reviewer)
    page = client.get("/").content.decode()
    assert has_link(page, "Reviews and action plans") and has_link(page, "Learning library")
    assert not has_link(page, "Make a referral") and not has_link(page, "Cases")


def test_the_flags_cost_no_query_once_the_memberships_are_read(people, django_assert_num_queries):
    user = people.manager
    memberships(user)
    with django_assert_num_queries(0):
        flags = nav_flags(user)
    assert all(flags.values())


def test_someone_signed_out_sees_no_pipeline_link(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert navigation(page) == []
