"""Content-Security-Policy: files from this site only, no inline script anywhere,
and the API documentation served from the project, not a CDN."""

import re

import pytest
from django.urls import reverse

from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    script = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in policy.get("style-src", policy["default-src"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def test_the_login_page_has_a_strict_policy_and_no_inline_script_or_style(client):
    response = client.get(reverse("login"))
    assert_strict(response)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_signed_in_pages_have_no_inline_script(client):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    for name in ("home", "audit-trail", "password_change", "two-factor-setup"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_strict(response)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), name
        assert not INLINE_STYLE.search(html), name


def test_the_api_documentation_loads_swagger_ui_from_the_project_without_inline_script(client):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    init = client.get("/api/docs/?script=")
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in init.content.decode()


def test_error_pages_carry_the_policy_too(client):
    assert_strict(client.get("/no-such-page/"))
