"""The rapid review's state machine through the REST API: the same services, the
same refusals, as 400 JSON that changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.models import Deadline
from rapid_review.models import RapidReview
from tests.factories import log_in

from .conftest import D, advance

pytestmark = pytest.mark.django_db


def url(name, review, **kwargs):
    return reverse(f"api:rapid-review-{name}", args=[review.pk], kwargs=kwargs or None)


def api_post(client, name, review, data=None):
    return client.post(url(name, review), data or {}, content_type="application/json")


def test_a_case_goes_from_opening_to_the_panels_response_through_the_api(world, client):
    log_in(client, world.manager)
    response = client.post(
        reverse("api:rapid-review-list"), {"case": world.case.pk}, content_type="application/json"
    )
    review = RapidReview.objects.get(pk=response.json()["id"])
    meeting = api_post(client, "meetings", review, {"date": "2026-04-14"}).json()
    response = api_post(
        client,
        "attendees",
        review,
        {
            "meeting": meeting["id"],
            "name": "Dana Okafor",
            "agency": world.police.pk,
            "role": "Detective Inspector",
        },
    )
    assert response.status_code == 201, response.content
    item = api_post(
        client, "agency-returns", review, {"agency": world.health.pk, "requested_on": "2026-04-03"}
    ).json()
    response = client.patch(
        reverse("api:rapid-review-agency-return", args=[review.pk, item["id"]]),
        {"received_on": "2026-04-08", "summary": "Known to the GP."},
        content_type="application/json",
    )
    assert response.json()["summary"] == "Known to the GP."
    action = api_post(client, "safety-actions", review, {"action": "Safety plan", "owner": "Police"}).json()
    response = client.patch(
        reverse("api:rapid-review-safety-action", args=[review.pk, action["id"]]),
        {"done_on": "2026-04-10"},
        content_type="application/json",
    )
    assert response.json()["done_on"] == "2026-04-10"
    response = client.patch(
        url("detail", review),
        {
            "key_practice_episodes": "Missed follow-up.",
            "criterion_recurring_themes": True,
            "other_processes": ["inquest"],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert api_post(client, "record-meeting", review).json()["status"] == "meeting_held"
    log_in(client, world.lead)
    response = api_post(
        client,
        "decide",
        review,
        {
            "decision": "other_learning_review",
            "rationale": "Of national importance.",
            "national_review_may_be_appropriate": True,
            "national_review_reasons": "The same pattern in three areas.",
            "decided_on": "2026-04-15",
        },
    )
    assert response.json()["status"] == "decided"
    assert response.json()["national_review_may_be_appropriate"] is True
    response = api_post(client, "submit", review, {"sent_on": "2026-04-21"})
    assert response.json()["status"] == "submitted"
    response = api_post(
        client,
        "record-panel-response",
        review,
        {"panel_response": "national_review", "responded_on": "2026-05-05", "text": "We will review."},
    )
    body = response.json()
    assert body["status"] == "panel_responded" and body["panel_response_working_days"] == 9
    body = client.get(url("detail", review)).json()
    assert body["meetings"][0]["attendees"][0]["name"] == "Dana Okafor"
    assert body["agency_returns"][0]["agency_name"] == "Northshire Hospitals NHS Trust"
    assert body["other_processes"] == ["inquest"] and body["criterion_recurring_themes"] is True
    assert Deadline.objects.get(rule="rapid_review").met_on == D(2026, 4, 21)


def _refused(response, text, field="non_field_errors", code=409):
    """Refused by a rule (409), or (``code=400``) as a request the schema allows not."""
    assert response.status_code == code, response.content
    assert text in " ".join(response.json()[field])


def test_recording_the_meeting_without_one_is_a_400(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    _refused(api_post(client, "record-meeting", review), "Add the date of a rapid review meeting")
    api_post(client, "meetings", review, {"date": "2026-04-14"})
    _refused(api_post(client, "record-meeting", review), "Add who attended")
    assert RapidReview.objects.get().status == "open"


def test_recording_the_meeting_twice_is_a_400(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    _refused(api_post(client, "record-meeting", review), "already recorded as held")


def test_deciding_before_the_meeting_is_a_400(world, client):
    review = advance(world, "open")
    log_in(client, world.lead)
    _refused(
        api_post(client, "decide", review, {"decision": "local_cspr", "rationale": "R"}),
        "Record the rapid review meeting as held before recording the decision.",
    )
    assert RapidReview.objects.get().decision == ""


def test_deciding_without_a_rationale_is_a_field_error(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    _refused(
        api_post(client, "decide", review, {"decision": "local_cspr"}),
        "Enter the reasons for the decision.",
        field="rationale",
    )
    assert RapidReview.objects.get().status == "meeting_held"


def test_a_business_manager_cannot_decide_through_the_api(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    response = api_post(client, "decide", review, {"decision": "local_cspr", "rationale": "R"})
    assert response.status_code == 403
    assert "partner lead" in response.json()["detail"]
    assert RapidReview.objects.get().status == "meeting_held"


def test_sending_before_deciding_and_twice_are_400s(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    _refused(api_post(client, "submit", review, {"sent_on": "2026-04-21"}), "Record the decision")
    log_in(client, world.lead)
    api_post(
        client,
        "decide",
        review,
        {"decision": "no_further_review", "rationale": "Known learning.", "decided_on": "2026-04-15"},
    )
    log_in(client, world.manager)
    assert api_post(client, "submit", review, {"sent_on": "2026-04-21"}).status_code == 200
    _refused(
        api_post(client, "submit", review, {"sent_on": "2026-04-22"}),
        "already sent to the Panel on 21 April 2026",
    )
    assert RapidReview.objects.get().submitted_on == D(2026, 4, 21)


def test_a_sent_review_cannot_be_changed_through_the_api(world, client):
    review = advance(world, "submitted")
    log_in(client, world.manager)
    response = client.patch(
        url("detail", review), {"good_practice": "Changed"}, content_type="application/json"
    )
    _refused(response, "can no longer be changed")
    _refused(api_post(client, "meetings", review, {"date": "2026-04-20"}), "can no longer be changed")
    _refused(
        api_post(client, "safety-actions", review, {"action": "A", "owner": "B"}), "can no longer be changed"
    )
    assert RapidReview.objects.get().good_practice == ""


def test_the_panels_response_before_sending_is_a_400(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    _refused(
        api_post(
            client,
            "record-panel-response",
            review,
            {"panel_response": "agrees", "responded_on": "2026-05-05"},
        ),
        "Send the rapid review to the Panel before recording its response.",
    )


def test_bad_input_gets_field_level_messages(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    response = api_post(client, "meetings", review, {"date": "not a date"})
    assert response.status_code == 400 and "date" in response.json()
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = api_post(client, "agency-returns", review, {"agency": world.health.pk, "requested_on": future})
    _refused(response, "must be today or in the past", field="requested_on")
    other_agency = world.other.agencies.create(name="Elsewhere Police", kind="police")
    response = api_post(
        client, "agency-returns", review, {"agency": other_agency.pk, "requested_on": "2026-04-03"}
    )
    _refused(response, "Choose an agency of this partnership.", field="agency", code=400)
    assert not review.agency_returns.exists()


def test_the_list_filters_by_status_partnership_and_due_date(world, client):
    advance(world, "open")
    log_in(client, world.manager)
    base = reverse("api:rapid-review-list")
    assert client.get(base).json()["count"] == 1
    assert client.get(base, {"status": "submitted"}).json()["count"] == 0
    assert client.get(base, {"status": "open"}).json()["count"] == 1
    assert client.get(base, {"partnership": world.partnership.pk}).json()["count"] == 1
    assert client.get(base, {"partnership": world.other.pk}).json()["count"] == 0
    assert client.get(base, {"due_before": "2026-04-28"}).json()["count"] == 1
    assert client.get(base, {"due_before": "2026-04-27"}).json()["count"] == 0
    assert client.get(base).json()["results"][0]["due_date"] == "2026-04-27"


def test_a_pending_decision_can_be_sent_through_the_api_and_completed_later(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    _refused(
        api_post(client, "decide", review, {"pending": True}),
        "Enter the date the decision is expected.",
        field="expected_on",
    )
    expected = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    body = api_post(client, "decide", review, {"pending": True, "expected_on": expected}).json()
    assert (body["status"], body["decision_pending"], body["decision"]) == ("decided", True, "")
    assert api_post(client, "submit", review, {"sent_on": "2026-04-21"}).json()["status"] == "submitted"
    body = api_post(
        client, "decide", review, {"decision": "no_further_review", "rationale": "Learning already acted on."}
    ).json()
    assert (body["status"], body["decision_pending"], body["decision"]) == (
        "submitted",
        False,
        "no_further_review",
    )
