"""/api/v1/deadlines/: the dashboard's list and filters as JSON, and waiving."""

import datetime as dt

import pytest

from cspr.models import Deadline
from tests.factories import open_clock

pytestmark = pytest.mark.django_db


def test_the_list_has_the_same_filters_and_never_another_partnerships_clocks(client_for, team):
    a = open_clock(team["partnership"], rule="rapid_review", due_date=dt.date(2026, 11, 30))
    b = open_clock(team["partnership"], due_date=dt.date(2026, 11, 20))
    hidden = open_clock(team["other"], due_date=dt.date(2026, 11, 30))
    client = client_for(team["manager"])
    data = client.get("/api/v1/deadlines/").json()
    assert {r["reference"] for r in data["results"]} == {a.reference, b.reference}
    row = next(r for r in data["results"] if r["id"] == a.pk)
    assert row["rule_title"] == "Complete the rapid review and send it to the Panel"
    assert "working_days_left" in row and row["rag"] in {"red", "amber", "green"}
    assert [
        r["id"] for r in client.get("/api/v1/deadlines/", {"stage": "rapid_review"}).json()["results"]
    ] == [a.pk]
    assert client.get(f"/api/v1/deadlines/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/deadlines/{a.pk}/").json()["reference"] == a.reference


def test_a_partner_lead_waives_through_the_api_and_others_are_refused(client_for, team):
    deadline = open_clock(team["partnership"], due_date=dt.date(2026, 11, 30))
    url = f"/api/v1/deadlines/{deadline.pk}/waive/"
    assert client_for(team["manager"]).post(url, {"reason": "x"}).status_code == 403
    assert client_for(team["outsider"]).post(url, {"reason": "x"}).status_code == 404
    response = client_for(team["lead"]).post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client_for(team["lead"]).post(
        url, {"reason": "Duplicate notification"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "waived"
    again = client_for(team["lead"]).post(url, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 409
    assert "already waived" in str(again.json())
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WAIVED


def test_the_api_list_runs_a_bounded_number_of_queries(client_for, team, django_assert_max_num_queries):
    for n in range(30):
        open_clock(team["partnership"], due_date=dt.date(2026, 11, 2) + dt.timedelta(days=n))
    client = client_for(team["manager"])
    with django_assert_max_num_queries(10):  # with 30 rows, as with 1
        assert client.get("/api/v1/deadlines/").status_code == 200


def test_the_schema_still_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
