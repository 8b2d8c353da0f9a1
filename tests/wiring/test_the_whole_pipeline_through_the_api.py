"""The same journey through /api/v1/ with token authentication: referral to the
review the Panel's response calls for, the case's stage moving at each step."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from cases.models import Case
from cspr.models import Deadline
from rapid_review.models import RapidReview
from reviews.models import Review
from tests.factories import api_authorization

pytestmark = pytest.mark.django_db
D = dt.date


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=api_authorization(user))
    return client


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json()


def test_a_case_goes_from_referral_to_a_national_review_through_the_api(people):
    author, team, lead = api(people.practitioner), api(people.manager), api(people.lead)
    referral = ok(
        author.post(
            "/api/v1/referrals/",
            {
                "partnership": people.north.pk,
                "referrer_name": "Pat Practitioner",
                "children": [
                    {
                        "name": "Jordan Lee Smith",
                        "date_of_birth": "2020-03-01",
                        "gender": "male",
                        "address": "1 Example Street",
                        "nature": "seriously_harmed",
                    }
                ],
                "referrer_agency": people.health.pk,
                "referrer_role": "Health visitor",
                "referrer_contact": "pat@example.org",
                "incident_date": "2026-03-10",
                "incident_description": "Unexplained injuries.",
                "abuse_or_neglect": "suspected",
                "why_criteria_met": "Serious injury.",
                "agencies_involved": [people.health.pk, people.police.pk],
                "childrens_social_care_aware": "yes",
                "other_processes": [],
            },
            format="json",
        ),
        201,
    )
    ok(author.post(f"/api/v1/referrals/{referral['id']}/submit/"))
    accepted = ok(team.post(f"/api/v1/referrals/{referral['id']}/accept/"))
    case = Case.objects.get(reference=accepted["case_reference"])

    def stage():
        return ok(team.get(f"/api/v1/cases/{case.pk}/"))["stage"]

    assert stage() == "opened"
    notification = ok(
        team.post(
            "/api/v1/notifications/",
            {
                "case": case.pk,
                "aware_on": "2026-03-11",
                "incident_local_authority": "Northshire",
            },
            format="json",
        ),
        201,
    )
    assert stage() == "notification"
    ok(
        team.post(
            f"/api/v1/notifications/{notification['id']}/record-panel-notification/",
            {"notified_panel_on": "2026-03-12", "panel_reference": "SIN-1"},
            format="json",
        )
    )
    notify = Deadline.objects.get(rule="notify_panel")
    assert (notify.status, notify.met_on) == ("met", D(2026, 3, 12))

    review = ok(team.post("/api/v1/rapid-reviews/", {"case": case.pk}, format="json"), 201)
    base = f"/api/v1/rapid-reviews/{review['id']}"
    assert stage() == "rapid_review"
    meeting = ok(team.post(f"{base}/meetings/", {"date": "2026-03-24"}, format="json"), 201)
    ok(
        team.post(
            f"{base}/attendees/",
            {
                "meeting": meeting["id"],
                "name": "Dana Okafor",
                "agency": people.police.pk,
                "role": "Inspector",
            },
            format="json",
        ),
        201,
    )
    ok(
        team.post(
            f"{base}/agency-returns/",
            {"agency": people.health.pk, "requested_on": "2026-03-13"},
            format="json",
        ),
        201,
    )
    ok(team.post(f"{base}/record-meeting/"))
    # Not decided yet: nothing to commission.
    refused = team.post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json")
    assert refused.status_code == 409 and "not decided yet" in str(refused.json())
    ok(
        lead.post(
            f"{base}/decide/",
            {
                "decision": "no_further_review",
                "rationale": "Better learnt nationally.",
                "national_review_may_be_appropriate": True,
                "national_review_reasons": "Several areas and an institutional setting.",
                "decided_on": "2026-03-25",
            },
            format="json",
        )
    )
    assert stage() == "decision"
    ok(team.post(f"{base}/submit/", {"sent_on": "2026-03-31"}, format="json"))
    rapid_clock = Deadline.objects.get(
        rule="rapid_review",
        subject_type=ContentType.objects.get_for_model(RapidReview),
        subject_id=review["id"],
    )
    assert (rapid_clock.status, rapid_clock.met_on) == ("met", D(2026, 3, 31))
    # The partners think a national review may fit better: wait for the Panel.
    refused = team.post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json")
    assert refused.status_code == 409 and "record the Panel's response" in str(refused.json())
    ok(
        team.post(
            f"{base}/record-panel-response/",
            {"panel_response": "national_review", "responded_on": "2026-04-14"},
            format="json",
        )
    )

    # A practitioner and another partnership cannot; the business manager can, once.
    assert (
        api(people.practitioner)
        .post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json")
        .status_code
        == 404
    )
    assert (
        api(people.outsider)
        .post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json")
        .status_code
        == 404
    )
    body = ok(
        team.post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json"), 201
    )
    assert (body["kind"], body["decided_on"], body["case"]) == ("national", "2026-04-14", case.pk)
    assert stage() == "review"
    again = team.post("/api/v1/reviews/from-rapid-review/", {"rapid_review": review["id"]}, format="json")
    assert again.status_code == 409 and "already commissioned" in str(again.json())
    assert Review.objects.count() == 1
    assert ok(team.get(f"/api/v1/reviews/{body['id']}/"))["status"] == "commissioned"
