"""API tokens (django-rest-knox): issued on the "API tokens" page only from a session
that passed two-factor sign-in, shown once, stored as a hash, expiring, revocable by
their owner and by a business manager of the owner's partnership, every issue and
revocation audited; the API answers a missing, bad, expired or revoked token with 401
and a ``WWW-Authenticate`` header."""

import datetime as dt
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from cspr.models import AuditEvent, Partnership
from cspr.roles import Role
from tests.factories import PartnershipFactory, api_authorization, log_in, member

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"


def issue(client) -> str:
    response = client.post(reverse("api-tokens"))
    assert response.status_code == 200
    return re.search(r'id="new-api-token"[^>]*>([0-9a-f]+)<', response.content.decode()).group(1)


def api_get(secret: str | None, url: str = API):
    headers = {"HTTP_AUTHORIZATION": f"Token {secret}"} if secret is not None else {}
    return Client().get(url, **headers)


def assert_refused_with_a_challenge(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_is_shown_once_stored_as_a_hash_and_expires_in_ninety_days(client, manager):
    log_in(client, manager)
    secret = issue(client)
    assert len(secret) == 64
    stored = AuthToken.objects.get(user=manager)
    assert stored.digest == hashlib.sha512(secret.encode()).hexdigest()
    assert stored.token_key == secret[:15]
    # Nowhere in the database in clear: not in the token table, not in the audit trail.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        assert not any(secret in str(value) for row in cursor.fetchall() for value in row)
    assert not any(secret in str(event.detail) for event in AuditEvent.objects.all())
    assert abs(stored.expiry - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=5)
    # The list shows when it was issued and expires, and the first characters only.
    listed = client.get(reverse("api-tokens")).content.decode()
    assert secret not in listed
    assert secret[:8] in listed
    assert stored.expiry.strftime("%-d %B %Y") in listed
    # It works, with the header scheme "Token".
    assert api_get(secret).status_code == 200
    event = AuditEvent.objects.get(subject_label="API token issued")
    assert event.actor == manager and event.partnership == manager.memberships.get().partnership
    assert event.detail["starts_with"] == secret[:8]


def test_a_session_without_two_factor_cannot_issue_a_token(client, north, practitioner):
    # A practitioner who only makes referrals, in a partnership that relaxed two-factor:
    # signed in with a password alone, they reach the page but cannot issue a token.
    Partnership.objects.filter(pk=north.pk).update(two_factor_optional_for_referrers=True)
    client.force_login(practitioner)
    page = client.get(reverse("api-tokens"))
    assert page.status_code == 200
    assert "Issue a new token" not in page.content.decode()
    assert "set up two-factor sign-in" in page.content.decode()
    assert client.post(reverse("api-tokens")).status_code == 403
    assert not AuthToken.objects.exists()


def test_a_business_manager_who_has_not_entered_a_code_cannot_issue_one(client, manager):
    client.force_login(manager)
    response = client.post(reverse("api-tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))
    assert not AuthToken.objects.exists()


def test_no_token_or_a_bad_one_is_answered_401_with_a_challenge(manager):
    assert_refused_with_a_challenge(api_get(None))
    assert_refused_with_a_challenge(api_get("0" * 64))
    assert_refused_with_a_challenge(Client().get(API, HTTP_AUTHORIZATION="Token"))
    secret = api_authorization(manager).split()[1]
    assert_refused_with_a_challenge(api_get(secret[:-1] + ("0" if secret[-1] != "0" else "1")))


def test_an_expired_token_is_answered_401(manager):
    secret = api_authorization(manager).split()[1]
    assert api_get(secret).status_code == 200
    AuthToken.objects.filter(user=manager).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert_refused_with_a_challenge(api_get(secret))


def test_the_owner_revokes_a_token_and_it_stops_working_at_once(client, manager):
    log_in(client, manager)
    secret = issue(client)
    keep = issue(client)
    token = AuthToken.objects.get(token_key=secret[:15])
    response = client.post(reverse("api-tokens-revoke"), {"token": token.digest})
    assert response["Location"] == reverse("api-tokens")
    assert_refused_with_a_challenge(api_get(secret))
    assert api_get(keep).status_code == 200
    event = AuditEvent.objects.get(subject_label="API token revoked")
    assert event.actor == manager and event.detail["starts_with"] == secret[:8]
    # The same revocation again finds nothing.
    assert client.post(reverse("api-tokens-revoke"), {"token": token.digest}).status_code == 404


def test_nobody_revokes_someone_elses_token_from_their_own_page(client, north, manager):
    other = member(north, Role.PRACTITIONER)
    secret = api_authorization(other).split()[1]
    log_in(client, manager)
    token = AuthToken.objects.get(user=other)
    assert client.post(reverse("api-tokens-revoke"), {"token": token.digest}).status_code == 404
    assert api_get(secret).status_code == 200


def test_a_business_manager_lists_and_revokes_a_members_token(
    client, north, manager, practitioner, django_assert_max_num_queries
):
    secret = api_authorization(practitioner).split()[1]
    for _ in range(5):
        api_authorization(member(north, Role.PANEL_LIAISON))
    api_authorization(member(PartnershipFactory(), Role.PRACTITIONER))  # another partnership's
    log_in(client, manager)
    url = reverse("api-tokens-members", args=[north.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    assert html.count('name="token"') == 6
    assert secret[:8] in html and secret not in html

    token = AuthToken.objects.get(user=practitioner)
    response = client.post(reverse("api-tokens-members-revoke", args=[north.pk]), {"token": token.digest})
    assert response["Location"] == url
    assert_refused_with_a_challenge(api_get(secret))
    event = AuditEvent.objects.get(subject_label="API token revoked")
    assert event.actor == manager and event.partnership == north
    assert event.detail["owner_id"] == practitioner.pk


def test_another_partnerships_business_manager_cannot_revoke_it(client, north, practitioner, outsider):
    secret = api_authorization(practitioner).split()[1]
    token = AuthToken.objects.get(user=practitioner)
    log_in(client, outsider)
    theirs = outsider.memberships.get().partnership
    assert client.get(reverse("api-tokens-members", args=[north.pk])).status_code == 404
    assert (
        client.post(
            reverse("api-tokens-members-revoke", args=[north.pk]), {"token": token.digest}
        ).status_code
        == 404
    )
    # Nor through their own partnership's page: the owner is not a member there.
    assert (
        client.post(
            reverse("api-tokens-members-revoke", args=[theirs.pk]), {"token": token.digest}
        ).status_code
        == 404
    )
    assert client.post(reverse("api-tokens-revoke"), {"token": token.digest}).status_code == 404
    assert api_get(secret).status_code == 200
    assert not AuditEvent.objects.filter(subject_label="API token revoked").exists()


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.PRACTITIONER, Role.PANEL_LIAISON])
def test_only_a_business_manager_sees_the_members_tokens(client, north, manager, role):
    api_authorization(manager)
    token = AuthToken.objects.get(user=manager)
    log_in(client, member(north, role))
    assert client.get(reverse("api-tokens-members", args=[north.pk])).status_code == 403
    revoke = reverse("api-tokens-members-revoke", args=[north.pk])
    assert client.post(revoke, {"token": token.digest}).status_code == 403
    assert AuthToken.objects.filter(user=manager).exists()


def test_the_schema_names_the_token_and_the_session_schemes(client):
    schemes = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"][
        "securitySchemes"
    ]
    assert schemes["knoxApiToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert "tokenAuth" not in schemes
