"""Hostile input to the kernel's forms (script tags, SQL, 100,000 characters,
bytes that are not UTF-8) gets validation errors or escaped output, never a 500;
error pages show nothing of the machinery."""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HOSTILE = [
    SCRIPT,
    "'; DROP TABLE cspr_auditevent; --",
    "1' OR '1'='1",
    "x" * 100_000,
    "nul\x00byte",
    "\u202eright-to-left",
]
INVALID_UTF8 = b"\xff\xfe\xc3\x28\xa0\xa1"


def assert_safe(response):
    assert response.status_code < 500
    html = response.content.decode("utf-8", "replace")
    assert SCRIPT not in html
    assert "Traceback" not in html


@pytest.fixture
def manager():
    return member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")


@pytest.mark.parametrize("value", HOSTILE)
def test_the_sign_in_form_answers_hostile_values_with_an_error(client, manager, value):
    response = client.post(reverse("login"), {"username": value, "password": value})
    assert_safe(response)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("value", HOSTILE)
def test_the_admin_sign_in_form_answers_hostile_values_with_an_error(client, value):
    response = client.post("/admin/login/", {"username": value, "password": value})
    assert_safe(response)
    assert response.status_code in (200, 429)


def test_the_sign_in_form_answers_bytes_that_are_not_utf8(client, manager):
    body = b"username=" + INVALID_UTF8 + b"&password=%ff%fe%00"
    response = client.generic(
        "POST", reverse("login"), body, content_type="application/x-www-form-urlencoded"
    )
    assert_safe(response)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_password_change_form_answers_hostile_values_with_an_error(client, manager, value):
    log_in(client, manager)
    response = client.post(
        reverse("password_change"),
        {"old_password": value, "new_password1": value, "new_password2": value},
    )
    assert_safe(response)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password("correct-horse-battery")


@pytest.mark.parametrize("value", HOSTILE)
def test_the_audit_filters_answer_hostile_values(client, manager, value):
    log_in(client, manager)
    query = {
        "reference": value,
        "action": value,
        "actor": value,
        "date_from": value,
        "date_to": value,
        "page": value,
    }
    for name in ("audit-trail", "audit-trail-export"):
        response = client.get(reverse(name), query)
        assert_safe(response)


def test_the_audit_filter_shows_a_script_reference_escaped(client, manager):
    log_in(client, manager)
    html = client.get(reverse("audit-trail"), {"reference": SCRIPT}).content.decode()
    assert "&lt;script&gt;" in html
    assert SCRIPT not in html


def test_the_audit_filters_answer_bytes_that_are_not_utf8(client, manager):
    log_in(client, manager)
    response = client.get(reverse("audit-trail") + "?reference=%ff%fe&action=%c3%28")
    assert_safe(response)


def test_the_two_factor_code_form_answers_hostile_values(client, manager):
    log_in(client, manager)
    for value in HOSTILE:
        assert_safe(client.post(reverse("two-factor-setup"), {"code": value}))


def _boom(request):
    raise RuntimeError("SECRET_KEY=leaked DATABASES password")


urlpatterns = [path("boom/", _boom), path("", include("cspr.urls"))]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_page_shows_no_stack_trace_or_settings():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    for leak in ("Traceback", "SECRET_KEY", "DATABASES", "leaked", "RuntimeError", "settings"):
        assert leak not in html, leak


def test_not_found_and_forbidden_pages_show_nothing_of_the_machinery(client):
    response = client.get("/no-such-page/?q=<script>")
    assert response.status_code == 404
    html = response.content.decode()
    assert "URLconf" not in html and "Traceback" not in html and "<script>" not in html
    log_in(client, member(PartnershipFactory(), Role.PRACTITIONER))
    forbidden = client.get(reverse("audit-trail"))
    assert forbidden.status_code == 403
    assert "Traceback" not in forbidden.content.decode()


def test_debug_is_off_in_tests_and_production(settings):
    assert settings.DEBUG is False
    assert HttpResponse  # the test client uses the production handlers
