"""The business manager's dashboard of every open clock, its filters and its export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from tests.factories import AgencyFactory, member, open_clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # Monday


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def clocks(team):
    p = team["partnership"]
    agency = AgencyFactory(partnership=p, name="Northshire Police")
    return {
        "overdue": open_clock(p, due_date=dt.date(2026, 11, 18), reference="NCC-2026-0001"),
        "today": open_clock(p, due_date=TODAY, reference="NCC-2026-0002"),
        "amber": open_clock(
            p, rule="rapid_review", due_date=dt.date(2026, 11, 27), reference="NCC-2026-0003", agency=agency
        ),
        "green": open_clock(
            p, rule="lcspr_final_report", due_date=dt.date(2027, 3, 1), reference="NCC-2026-0004"
        ),
        "hidden": open_clock(team["other"], due_date=dt.date(2026, 11, 24), reference="SBC-2026-0001"),
        "agency": agency,
    }


def test_a_business_manager_sees_every_open_clock_overdue_first_with_rag(client_for, team, clocks):
    html = client_for(team["manager"]).get(reverse("notifications:dashboard")).content.decode()
    overdue_section, upcoming = html.split("Coming up", 1)
    assert "NCC-2026-0001" in overdue_section and "NCC-2026-0002" not in overdue_section
    assert upcoming.index("NCC-2026-0002") < upcoming.index("NCC-2026-0003") < upcoming.index("NCC-2026-0004")
    assert "SBC-2026-0001" not in html
    assert "18 November 2026" in html
    assert "Children Act 2004 s16C(1); WT2023 ch5" in html  # the source, in the details
    assert 'app-rag--red">Red' in html and 'app-rag--amber">Amber' in html
    assert 'app-rag--green">Green' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">-3</td>' in html


def test_each_row_names_its_agency_and_owner_in_the_rule_details(client_for, team, clocks):
    owner = member(team["partnership"], Role.PRACTITIONER, username="owner")
    owner.first_name, owner.last_name = "Sam", "Owner"
    owner.save()
    open_clock(team["partnership"], due_date=dt.date(2026, 12, 4), owner=owner, reference="NCC-2026-0005")
    html = client_for(team["manager"]).get(reverse("notifications:dashboard")).content.decode()
    assert "Agency: Northshire Police." in html
    assert "Owner: Sam Owner." in html


def test_filters_by_stage_rule_agency_and_due_within(client_for, team, clocks):
    client = client_for(team["manager"])
    url = reverse("notifications:dashboard")

    def refs(**params):
        html = client.get(url, params).content.decode()
        return {r for r in ("0001", "0002", "0003", "0004") if f"NCC-2026-{r}" in html}

    assert refs(stage="rapid_review") == {"0003"}
    assert refs(rule="lcspr_final_report") == {"0004"}
    assert refs(agency=clocks["agency"].pk) == {"0003"}
    assert refs(due_within=4) == {"0001", "0002", "0003"}
    assert refs(due_within=0) == {"0001", "0002"}


def test_a_bad_filter_shows_an_error_and_no_rows(client_for, team, clocks):
    response = client_for(team["manager"]).get(reverse("notifications:dashboard"), {"due_within": "soon"})
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error:" in html
    assert "NCC-2026-0001" not in html


def test_counts_per_stage(client_for, team, clocks):
    response = client_for(team["manager"]).get(reverse("notifications:dashboard"))
    counts = {c["stage"]: (c["total"], c["overdue"]) for c in response.context["stage_counts"]}
    assert counts["notification"] == (2, 1)
    assert counts["rapid_review"] == (1, 0)
    assert counts["review"] == (1, 0)


def test_the_dashboard_runs_a_bounded_number_of_queries(client_for, team, django_assert_max_num_queries):
    for n in range(40):
        open_clock(
            team["partnership"],
            rule="rapid_review",
            due_date=TODAY + dt.timedelta(days=n),
            owner=team["practitioner"],
            agency=AgencyFactory(partnership=team["partnership"]),
        )
    client = client_for(team["manager"])
    # 16: with the device that verified the session (django-otp), one per request.
    with django_assert_max_num_queries(16):
        assert client.get(reverse("notifications:dashboard")).status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            client.get(
                reverse("notifications:dashboard"), {"stage": "rapid_review", "due_within": 30}
            ).status_code
            == 200
        )


def test_performance_over_time_shows_share_met_on_time_per_quarter(client_for, team):
    from cspr import services

    p = team["partnership"]
    on_time = open_clock(p, due_date=dt.date(2026, 8, 3))
    late = open_clock(p, due_date=dt.date(2026, 8, 4))
    services.meet_deadline(rule=on_time.rule, subject=on_time.subject, met_on=dt.date(2026, 8, 3))
    services.meet_deadline(rule=late.rule, subject=late.subject, met_on=dt.date(2026, 8, 10))
    response = client_for(team["manager"]).get(reverse("notifications:dashboard"))
    entry = next(e for e in response.context["performance"] if e["rule"].code == "notify_panel")
    point = next(p for p in entry["points"] if p["label"] == "2026 Q3")
    assert (point["on_time"], point["total"], point["percent"]) == (1, 2, 50)
    html = response.content.decode()
    assert "<svg" in html and "50%" in html


def test_a_practitioner_cannot_see_the_dashboard(client_for, team, clocks):
    client = client_for(team["practitioner"])
    assert client.get(reverse("notifications:dashboard")).status_code == 403
    assert client.get(reverse("notifications:dashboard-csv")).status_code == 403


def test_the_csv_export_holds_the_filtered_list_and_is_audited(client_for, team, clocks):
    response = client_for(team["manager"]).get(
        reverse("notifications:dashboard-csv"), {"stage": "notification"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Case reference", "Partnership", "Stage", "Rule"]
    assert [r[0] for r in rows[1:]] == ["NCC-2026-0001", "NCC-2026-0002"]
    assert rows[1][8] == "2026-11-18" and rows[1][9] == "-3" and rows[1][11] == "Red"
    event = AuditEvent.objects.get(action="export")
    assert event.actor == team["manager"] and event.partnership == team["partnership"]
    assert event.detail["rows"] == 2


def test_waiving_a_deadline_from_the_dashboard(client_for, team, clocks):
    client = client_for(team["lead"])
    url = reverse("notifications:deadline-waive", args=[clocks["overdue"].pk])
    assert url in client.get(reverse("notifications:dashboard")).content.decode()
    response = client.post(url, {"reason": "Notification withdrawn: criteria not met"})
    assert response.status_code == 302
    clocks["overdue"].refresh_from_db()
    assert clocks["overdue"].status == Deadline.Status.WAIVED
    assert AuditEvent.objects.filter(action="transition", detail__status="waived").exists()


def test_waiving_needs_a_reason(client_for, team, clocks):
    response = client_for(team["lead"]).post(
        reverse("notifications:deadline-waive", args=[clocks["overdue"].pk]), {"reason": " "}
    )
    assert "Enter the reason for waiving this deadline." in response.content.decode()
    clocks["overdue"].refresh_from_db()
    assert clocks["overdue"].status == Deadline.Status.OPEN


def test_only_a_partner_lead_of_the_partnership_can_waive(client_for, team, clocks):
    url = reverse("notifications:deadline-waive", args=[clocks["overdue"].pk])
    assert client_for(team["manager"]).post(url, {"reason": "x"}).status_code == 403
    outsider_lead = member(team["other"], Role.PARTNER_LEAD)
    assert client_for(outsider_lead).post(url, {"reason": "x"}).status_code == 404
    assert client_for(team["practitioner"]).get(url).status_code == 404
    clocks["overdue"].refresh_from_db()
    assert clocks["overdue"].status == Deadline.Status.OPEN


def test_a_publication_window_that_ran_its_twelve_months_leaves_the_dashboard(client_for, team):
    """The report stayed public for the whole window: the sweep meets the clock on its
    due date, so it is neither listed as overdue nor counted as a breach."""
    from deadlines.services import sweep_deadlines

    window = open_clock(
        team["partnership"],
        rule="publication_window",
        start_date=dt.date(2025, 11, 2),
        reference="NCC-2025-0009",
    )
    assert window.due_date < TODAY
    client = client_for(team["manager"])
    overdue_section = client.get(reverse("notifications:dashboard")).content.decode().split("Coming up")[0]
    assert "NCC-2025-0009" in overdue_section and "Date passed" in overdue_section

    assert sweep_deadlines(today=TODAY).windows_met == 1
    window.refresh_from_db()
    assert (window.status, window.met_on) == (Deadline.Status.MET, window.due_date)
    assert AuditEvent.objects.filter(subject_id=window.pk, detail__status="met").exists()
    assert "NCC-2025-0009" not in client.get(reverse("notifications:dashboard")).content.decode()
    assert sweep_deadlines(today=TODAY).windows_met == 0
