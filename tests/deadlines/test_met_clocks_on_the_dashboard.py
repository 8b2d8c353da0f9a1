"""Lateness is never hidden on the dashboard: a business manager can list the clocks
already met, or only those met late, and each says "Met late: N working days" on the
page, in the CSV (Met on, Met late, Working days late) and in the API (``met_late``,
``working_days_late``), with the same filter (``status``) everywhere."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cspr import services
from tests.factories import open_clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # Monday
DASHBOARD = "notifications:dashboard"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def met(partnership, *, due_date, met_on, reference):
    clock = open_clock(partnership, due_date=due_date, reference=reference)
    services.meet_deadline(rule=clock.rule, subject=clock.subject, met_on=met_on)
    clock.refresh_from_db()
    return clock


@pytest.fixture
def clocks(team):
    p = team["partnership"]
    return {
        # Due Monday 2 November, met Thursday 5 November: 3 working days late.
        "late": met(p, due_date=dt.date(2026, 11, 2), met_on=dt.date(2026, 11, 5), reference="NCC-2026-0101"),
        "on_time": met(
            p, due_date=dt.date(2026, 11, 10), met_on=dt.date(2026, 11, 9), reference="NCC-2026-0102"
        ),
        "running": open_clock(p, due_date=dt.date(2026, 11, 30), reference="NCC-2026-0103"),
        "elsewhere": met(
            team["other"],
            due_date=dt.date(2026, 11, 2),
            met_on=dt.date(2026, 11, 6),
            reference="SBC-2026-0101",
        ),
    }


def test_the_dashboard_lists_running_clocks_by_default_and_met_ones_on_request(client_for, team, clocks):
    client = client_for(team["manager"])
    html = client.get(reverse(DASHBOARD)).content.decode()
    assert "NCC-2026-0103" in html
    assert "NCC-2026-0101" not in html and "NCC-2026-0102" not in html

    html = client.get(reverse(DASHBOARD), {"status": "met"}).content.decode()
    assert "NCC-2026-0103" not in html and "SBC-2026-0101" not in html
    # The most recently met first, each saying whether it was late and by how much.
    assert html.index("NCC-2026-0102") < html.index("NCC-2026-0101")
    late_row = html[html.index("NCC-2026-0101") :]
    assert "Met late: 3 working days" in late_row and "5 November 2026" in late_row
    on_time_row = html[html.index("NCC-2026-0102") : html.index("NCC-2026-0101")]
    assert "Met on time" in on_time_row and "Met late" not in on_time_row

    html = client.get(reverse(DASHBOARD), {"status": "met_late"}).content.decode()
    assert "NCC-2026-0101" in html and "Met late: 3 working days" in html
    assert "NCC-2026-0102" not in html and "NCC-2026-0103" not in html


def test_the_met_view_counts_met_and_met_late_clocks_per_stage(client_for, team, clocks):
    response = client_for(team["manager"]).get(reverse(DASHBOARD), {"status": "met"})
    counts = {c["stage"]: (c["total"], c["late"]) for c in response.context["stage_counts"]}
    assert counts["notification"] == (2, 1)
    assert "Met clocks per stage" in response.content.decode()


def test_the_other_filters_still_apply_to_met_clocks(client_for, team, clocks):
    client = client_for(team["manager"])

    def listed(**params):
        html = client.get(reverse(DASHBOARD), {"status": "met_late", **params}).content.decode()
        return "NCC-2026-0101" in html

    assert listed(stage="notification") and listed(rule="notify_panel")
    assert not listed(stage="rapid_review") and not listed(rule="rapid_review")


def test_a_bad_status_is_an_error_not_a_list(client_for, team, clocks):
    client = client_for(team["manager"])
    html = client.get(reverse(DASHBOARD), {"status": "late-ish"}).content.decode()
    assert "There is a problem" in html and "NCC-2026-0101" not in html and "NCC-2026-0103" not in html
    assert client.get(reverse("notifications:dashboard-csv"), {"status": "late-ish"}).status_code == 400
    assert client.get("/api/v1/deadlines/", {"status": "late-ish"}).status_code == 400


def test_the_csv_carries_met_on_met_late_and_working_days_late(client_for, team, clocks):
    client = client_for(team["manager"])
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("notifications:dashboard-csv"), {"status": "met"}).content.decode()
            )
        )
    )
    by_ref = {r["Case reference"]: r for r in rows}
    assert set(by_ref) == {"NCC-2026-0101", "NCC-2026-0102"}
    late, on_time = by_ref["NCC-2026-0101"], by_ref["NCC-2026-0102"]
    assert (late["Met on"], late["Met late"], late["Working days late"]) == ("2026-11-05", "Yes", "3")
    assert (on_time["Met on"], on_time["Met late"], on_time["Working days late"]) == ("2026-11-09", "No", "")
    assert late["Status"] == "Met" and late["Working days left"] == "" and late["RAG"] == ""

    running = list(
        csv.DictReader(io.StringIO(client.get(reverse("notifications:dashboard-csv")).content.decode()))
    )
    assert [r["Case reference"] for r in running] == ["NCC-2026-0103"]
    assert (running[0]["Met on"], running[0]["Met late"], running[0]["Working days late"]) == ("", "", "")
    assert running[0]["Working days left"] == "5"


def test_the_api_lists_met_late_clocks_with_the_same_filter(client_for, team, clocks):
    client = client_for(team["manager"])
    default = client.get("/api/v1/deadlines/").json()["results"]
    assert [r["reference"] for r in default] == ["NCC-2026-0103"]
    assert (default[0]["met_late"], default[0]["working_days_late"]) == (False, None)

    rows = client.get("/api/v1/deadlines/", {"status": "met"}).json()["results"]
    assert [r["reference"] for r in rows] == ["NCC-2026-0102", "NCC-2026-0101"]
    late = client.get("/api/v1/deadlines/", {"status": "met_late"}).json()["results"]
    assert [r["reference"] for r in late] == ["NCC-2026-0101"]
    assert (late[0]["met_late"], late[0]["working_days_late"], late[0]["met_on"]) == (True, 3, "2026-11-05")
    assert (late[0]["working_days_left"], late[0]["rag"]) == (None, None)


def test_the_met_views_run_a_bounded_number_of_queries(client_for, team, django_assert_max_num_queries):
    for n in range(40):
        due = dt.date(2026, 9, 1) + dt.timedelta(days=n)
        met(
            team["partnership"],
            due_date=due,
            met_on=due + dt.timedelta(days=n % 3),
            reference=f"NCC-2026-{n:04d}",
        )
    client = client_for(team["manager"])
    # The dashboard's 16 (docs/benchmarks.md): 15 and django-otp's read of the device.
    with django_assert_max_num_queries(16):
        assert client.get(reverse(DASHBOARD), {"status": "met"}).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse(DASHBOARD), {"status": "met_late"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/deadlines/", {"status": "met_late"}).status_code == 200
