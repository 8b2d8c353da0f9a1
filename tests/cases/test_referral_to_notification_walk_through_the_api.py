"""The same journey as the pages, through /api/v1/ with token authentication."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from cases.models import Case, Referral
from cspr.models import Deadline
from tests.factories import api_authorization

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=api_authorization(user))
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
            "children": [{"name": "Jordan Lee Smith"}],
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
            "children": [
                {
                    "name": "Jordan Lee Smith",
                    "date_of_birth": "2020-03-01",
                    "gender": "male",
                    "address": "1 Example Street",
                    "nature": "seriously_harmed",
                },
                {
                    "name": "Robin Smith",
                    "date_of_birth": "2025-07-01",
                    "gender": "female",
                    "ethnicity": "white",
                    "address": "1 Example Street",
                    "nature": "seriously_harmed",
                },
            ],
            "incident_date": "2026-03-10",
            "incident_description": "Unexplained injuries.",
            "abuse_or_neglect": "suspected",
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
    # The author no longer sees the identity; the initials stay.
    assert [set(child) & {"name", "date_of_birth", "address"} for child in response.json()["children"]] == [
        set(),
        set(),
    ]
    assert [child["initials"] for child in response.json()["children"]] == ["J.L.S.", "R.S."]
    assert (
        author.patch(
            f"/api/v1/referrals/{referral_id}/", {"children": [{"name": "X"}]}, format="json"
        ).status_code
        == 409  # a submitted referral is no longer the author's to change
    )

    team = api(manager)
    listed = team.get("/api/v1/referrals/", {"status": "submitted"}).json()
    assert [r["id"] for r in listed["results"]] == [referral_id]
    assert [c["name"] for c in listed["results"][0]["children"]] == ["Jordan Lee Smith", "Robin Smith"]
    response = team.post(f"/api/v1/referrals/{referral_id}/accept/")
    assert response.status_code == 200, response.json()
    reference = response.json()["case_reference"]
    assert reference == f"NCC-{dt.date.today().year}-001"
    assert team.post(f"/api/v1/referrals/{referral_id}/accept/").json() == {
        "non_field_errors": ["This referral has already been accepted."]
    }

    case = Case.objects.get(reference=reference)
    detail = team.get(f"/api/v1/cases/{case.pk}/").json()
    first, second = detail["children"]
    assert (first["initials"], first["age_months"], first["age"], first["age_group"]) == (
        "J.L.S.",
        72,
        "6 years",
        "6_to_10",
    )
    assert (second["initials"], second["age"], second["age_group"]) == ("R.S.", "8 months", "under_1")
    assert [c["name"] for c in detail["children_identity"]] == ["Jordan Lee Smith", "Robin Smith"]
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
        f"/api/v1/cases/{case.pk}/",
        {
            "children": [
                {"looked_after": "yes", "placement_type": "foster", "ethnicity": "white"},
                {},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    first = response.json()["children"][0]
    assert (first["looked_after"], first["placement_type"], first["ethnicity"]) == ("yes", "foster", "white")
    assert response.json()["children"][1]["initials"] == "R.S."
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
