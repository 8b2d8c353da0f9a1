"""The same journey as the pages, through /api/v1/ with token authentication."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import Case, Referral
from cspr.models import Deadline

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_referral_goes_from_draft_to_a_notified_case_through_the_api(
    north, agencies, practitioner, manager
):
    author = api(practitioner)
    response = author.post(
        "/api/v1/referrals/",
        {
            "partnership": north.pk,
            "referrer_name": "Pat Practitioner",
            "child_name": "Jordan Lee Smith",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    referral_id = response.json()["id"]
    assert response.json()["status"] == "draft"

    # Incomplete: submitting names every missing field.
    response = author.post(f"/api/v1/referrals/{referral_id}/submit/")
    assert response.status_code == 409
    errors = response.json()
    assert errors["incident_date"] == ["Enter the date of the incident"]
    assert "agencies_involved" in errors and "referrer_agency" in errors

    response = author.patch(
        f"/api/v1/referrals/{referral_id}/",
        {
            "referrer_agency": agencies["health"].pk,
            "referrer_role": "Health visitor",
            "referrer_contact": "pat@example.org",
            "child_date_of_birth": "2020-03-01",
            "child_sex": "male",
            "child_address": "1 Example Street",
            "incident_date": "2026-03-10",
            "incident_description": "Unexplained injuries.",
            "abuse_or_neglect": "suspected",
            "outcome": "seriously_harmed",
            "why_criteria_met": "Serious injury.",
            "agencies_involved": [agencies["health"].pk, agencies["police"].pk],
            "childrens_social_care_aware": "yes",
            "other_processes": ["police_investigation"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["other_processes"] == ["police_investigation"]
    response = author.post(f"/api/v1/referrals/{referral_id}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert "child_name" not in response.json()  # the author no longer sees the identity
    assert (
        author.patch(f"/api/v1/referrals/{referral_id}/", {"child_name": "X"}, format="json").status_code
        == 409
    )

    team = api(manager)
    listed = team.get("/api/v1/referrals/", {"status": "submitted"}).json()
    assert [r["id"] for r in listed["results"]] == [referral_id]
    assert listed["results"][0]["child_name"] == "Jordan Lee Smith"
    response = team.post(f"/api/v1/referrals/{referral_id}/accept/")
    assert response.status_code == 200, response.json()
    reference = response.json()["case_reference"]
    assert reference == f"NCC-{dt.date.today().year}-001"
    assert team.post(f"/api/v1/referrals/{referral_id}/accept/").json() == {
        "non_field_errors": ["This referral has already been accepted."]
    }

    case = Case.objects.get(reference=reference)
    detail = team.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["child_initials"] == "J.L.S." and detail["child_age_years"] == 6
    assert detail["child_identity"]["name"] == "Jordan Lee Smith"
    response = team.post(
        f"/api/v1/cases/{case.pk}/chronology/",
        {
            "date": "2026-03-09",
            "agency": agencies["police"].pk,
            "entry": "Police called.",
        },
        format="json",
    )
    assert response.status_code == 201
    response = team.patch(
        f"/api/v1/cases/{case.pk}/", {"looked_after": True, "child_ethnicity": "White British"}, format="json"
    )
    assert response.json()["looked_after"] is True
    assert response.json()["chronology"][0]["entry"] == "Police called."

    response = team.post(
        "/api/v1/notifications/",
        {
            "case": case.pk,
            "aware_on": "2026-03-11",
            "incident_local_authority": "Northshire",
            "ofsted_required": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    notification_id = response.json()["id"]
    response = team.post(
        f"/api/v1/notifications/{notification_id}/record-panel-notification/",
        {
            "notified_panel_on": "2026-03-10",
            "panel_reference": "SIN-1",
            "notified_ofsted_on": "2026-03-12",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "notified_panel_on" in response.json()
    response = team.post(
        f"/api/v1/notifications/{notification_id}/record-panel-notification/",
        {
            "notified_panel_on": "2026-03-12",
            "panel_reference": "SIN-1",
            "notified_ofsted_on": "2026-03-12",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "notified"
    assert {d["rule"]: d["status"] for d in body["deadlines"]} == {
        "notify_panel": "met",
        "tell_partners": "open",
    }
    assert Deadline.objects.get(rule="notify_panel").met_on == dt.date(2026, 3, 12)
    assert Referral.objects.get().status == Referral.Status.ACCEPTED


def test_the_schema_generates_without_warnings(client):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
