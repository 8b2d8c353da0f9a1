"""The accessibility statement: public, in the GOV.UK model, linked from every footer."""

import pytest

from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_with_the_govuk_models_sections(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Accessibility statement" in html
    for heading in (
        "Accessibility statement for",
        "How accessible this service is",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
    ):
        assert heading in html, heading
    assert "Equality Advisory and Support Service" in html
    assert "partially compliant" in html


def test_the_footer_links_to_the_statement_on_the_sign_in_and_home_pages(client):
    link = 'href="/accessibility/">Accessibility statement</a>'
    assert link in client.get("/accounts/login/").content.decode()
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    assert link in client.get("/").content.decode()


def test_public_pages_do_not_link_to_the_api_documentation_and_it_asks_to_sign_in(client):
    for path in ("/accounts/login/", "/accessibility/", "/privacy/", "/published/"):
        assert "/api/docs/" not in client.get(path).content.decode(), path
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/docs/")
    log_in(client, member(PartnershipFactory(), Role.PRACTITIONER))
    assert 'href="/api/docs/">API documentation</a>' in client.get("/").content.decode()
    assert client.get("/api/docs/").status_code == 200


def test_the_phase_banner_is_inside_the_pages_header_landmark(client):
    for path in ("/accounts/login/", "/accessibility/"):
        html = client.get(path).content.decode()
        header = html[html.index("<header>") : html.index("</header>")]
        assert 'class="govuk-phase-banner"' in header, path
        assert html.count("<header") == 1, path
