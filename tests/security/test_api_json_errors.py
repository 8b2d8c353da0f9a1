"""Every answer under /api/ is JSON, also the errors Django gives before the API's
views (an unknown address, a server error); a missing or bad token is a 401 that says
which scheme to use (a refusal by role stays a 403: tests/security/test_role_matrix.py)."""

import pytest
from django.test import Client

from cspr.roles import Role
from tests.factories import PartnershipFactory, api_authorization, member

pytestmark = pytest.mark.django_db


def _json_error(response, code):
    assert response.status_code == code, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert "default-src 'self'" in response["Content-Security-Policy"]  # other headers kept


@pytest.fixture
def token():
    return api_authorization(member(PartnershipFactory(), Role.BUSINESS_MANAGER))


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/nothing", "/api/v1/cases/abc/"])
def test_an_unknown_api_address_is_a_json_404(client, token, path):
    _json_error(client.get(path, HTTP_AUTHORIZATION=token), 404)
    _json_error(client.get(path), 404 if not path.startswith("/api/v1/cases/") else 401)


def test_a_method_the_operation_does_not_take_is_a_json_405_with_allow(client, token):
    response = client.delete("/api/v1/cases/", HTTP_AUTHORIZATION=token)
    _json_error(response, 405)
    assert "GET" in response["Allow"]


def test_a_server_error_is_a_json_500(token, monkeypatch):
    import cases.api

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(cases.api, "case_detail_queryset", broken)
    response = Client(raise_request_exception=False).get("/api/v1/cases/", HTTP_AUTHORIZATION=token)
    _json_error(response, 500)
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize("authorization", [None, "Token not-a-token", "Bearer something"])
def test_a_missing_or_bad_token_is_a_401_naming_the_scheme(client, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/api/v1/cases/", **headers)
    _json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")
