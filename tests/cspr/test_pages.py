"""Signing in, the home page, and the kernel's admin."""

import re

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, log_in, member, sign_in_with_code

pytestmark = pytest.mark.django_db


def test_login_page_is_served_with_the_govuk_frontend_assets_from_the_project(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in" in html
    assert 'href="#main-content"' in html  # skip link
    assert "/static/govuk/govuk-frontend.min.css" in html
    # Nothing is fetched from another host (a CDN); the page's random tokens may
    # spell anything, so look at the addresses, not the whole text.
    assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', html)
    css = client.get("/static/govuk/govuk-frontend.min.css")
    assert css.status_code == 200
    font = client.get("/static/govuk/assets/fonts/bold-b542beb274-v2.woff2")
    assert font.status_code == 200


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_in_shows_the_users_partnerships_and_roles(client):
    north = PartnershipFactory(name="Northshire Safeguarding Children Partnership")
    south = PartnershipFactory(name="Southport Safeguarding Partnership")
    hidden = PartnershipFactory(name="Elsewhere Partnership")
    agency = AgencyFactory(partnership=north, name="Northshire Police")
    user = member(north, Role.PRACTITIONER, agency=agency, username="pat")
    from cspr.models import Membership

    Membership.objects.create(user=user, partnership=south, role=Role.LEAD_REVIEWER)
    response = sign_in_with_code(client, user, follow=True)
    html = response.content.decode()
    assert "Northshire Safeguarding Children Partnership" in html
    assert "Practitioner (Northshire Police)" in html
    assert "Southport Safeguarding Partnership" in html
    assert "Lead reviewer" in html
    assert hidden.name not in html
    assert AuditEvent.objects.filter(action="login", actor=user).exists()


def test_a_wrong_password_shows_an_error_summary_and_is_audited_without_the_username(client):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    assert html.count("<title>Error:") == 1
    event = AuditEvent.objects.get(action="login_failed")
    assert "nobody" not in str(event.detail) + event.subject_label


def test_home_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    user = member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    for _ in range(15):
        from cspr.models import Membership

        Membership.objects.create(user=user, partnership=PartnershipFactory(), role=Role.PARTNER_LEAD)
    log_in(client, user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_password_change_page_has_labelled_fields(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER)
    log_in(client, user)
    html = client.get(reverse("password_change")).content.decode()
    assert '<label class="govuk-label govuk-label--s" for="id_old_password">' in html


def test_admin_offers_no_way_to_change_or_delete_audit_events(admin_client):
    event = AuditEvent.objects.create(action="view", subject_label="NCC-2026-001")
    assert admin_client.get(f"/admin/cspr/auditevent/{event.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/cspr/auditevent/{event.pk}/change/", {"subject_label": "changed"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.subject_label == "NCC-2026-001"


def test_health_check_answers_when_the_database_does(client):
    assert client.get("/health/").json() == {"status": "ok"}
