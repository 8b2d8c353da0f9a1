"""Requests the black-box audit answered with a 500 get a 4xx with a clear message:
a NUL in the calendar feed's address, a request body that is JSON but not an
object, JSON nested thousands of levels deep, and filters of the CSV export that
name no partnership of the user."""

import json

import pytest
from django.core.management import call_command

from cspr.models import Partnership
from rapid_review.models import AgencyReturn, Attendee, SafetyAction
from tests.factories import api_authorization, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="manager")
    return manager


@pytest.fixture
def api(client, demo):
    client.defaults["HTTP_AUTHORIZATION"] = api_authorization(demo)
    return client


def test_a_nul_in_the_calendar_address_is_not_found(client):
    response = client.get("/deadlines/calendar/%00.ics")
    assert response.status_code == 404


def _child_urls():
    editable = ["open", "meeting_held", "decided"]
    attendee = Attendee.objects.filter(
        meeting__review__case__partnership__code="NCC", meeting__review__status__in=editable
    ).first()
    agency_return = AgencyReturn.objects.filter(
        review__case__partnership__code="NCC", review__status__in=editable
    ).first()
    action = SafetyAction.objects.filter(
        review__case__partnership__code="NCC", review__status__in=editable
    ).first()
    urls = []
    if attendee:
        urls.append(f"/api/v1/rapid-reviews/{attendee.meeting.review_id}/attendees/{attendee.pk}/")
    if agency_return:
        urls.append(f"/api/v1/rapid-reviews/{agency_return.review_id}/agency-returns/{agency_return.pk}/")
    if action:
        urls.append(f"/api/v1/rapid-reviews/{action.review_id}/safety-actions/{action.pk}/")
    return urls


@pytest.mark.parametrize("body", ["[]", '"x"', "1", "null", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_refused(api, body):
    urls = _child_urls()
    assert len(urls) == 3, urls
    for url in urls:
        response = api.patch(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content[:300])
        assert "JSON object" in response.json()["detail"]


def test_deeply_nested_json_is_refused(api):
    url = _child_urls()[0]
    for depth in (100, 10_000):
        body = '{"name": ' + "[" * depth + "]" * depth + "}"
        response = api.patch(url, body, content_type="application/json")
        assert response.status_code == 400, depth
        assert "nested" in response.json()["detail"]
    response = api.post("/api/v1/referrals/", "[" * 10_000 + "]" * 10_000, content_type="application/json")
    assert response.status_code == 400


def test_sensible_nesting_still_parses(api):
    url = _child_urls()[0]
    response = api.patch(url, json.dumps({"role": "Detective Sergeant"}), content_type="application/json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["abc", "other", "999999", "\x00"])
def test_export_filters_that_are_not_the_users_are_a_clear_400(client, demo, value):
    if value == "other":
        value = str(Partnership.objects.get(code="SBC").pk)
    log_in(client, demo)
    response = client.get("/deadlines/export.csv", {"partnership": value})
    assert response.status_code == 400
    assert "partnership" in response.content.decode().lower()


def test_export_with_valid_filters_still_downloads(client, demo):
    log_in(client, demo)
    pk = Partnership.objects.get(code="NCC").pk
    response = client.get("/deadlines/export.csv", {"partnership": pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
