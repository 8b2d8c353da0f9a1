"""What a signed-in user sees, every API response and every export carries
``Cache-Control: private, no-store``; public pages seen without a session may be
cached and vary on the cookie."""

import pytest
from django.urls import reverse

from cspr.roles import Role
from tests.factories import PartnershipFactory, api_authorization, log_in, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/deadlines/",
        "/deadlines/export.csv",
        "/audit/",
        "/published/",
        "/api/v1/cases/",
        "/no-such-page/",
    ],
)
def test_signed_in_responses_are_not_stored(client, manager, url):
    log_in(client, manager)
    response = client.get(url)
    assert response.status_code < 500, url
    assert no_store(response), (url, response.get("Cache-Control"))
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/referrals/", "/api/v1/no-such/"])
def test_api_responses_are_not_stored_with_a_token_or_without(client, manager, url):
    anonymous = client.get(url)
    assert no_store(anonymous), url
    response = client.get(url, HTTP_AUTHORIZATION=api_authorization(manager))
    assert no_store(response), url


@pytest.mark.parametrize("url", ["/published/", "/published/feed/", reverse("login")])
def test_public_pages_without_a_session_vary_on_the_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Cookie" in response.get("Vary", "")
    if url != reverse("login"):
        assert not no_store(response), url
