"""The partnership's yearly report: a running clock from its settings, met by recording
a published report (which starts the next 12 months and the 7 days to send it on)."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.models import Deadline
from reporting import services
from reporting.models import YearlyReport
from tests.factories import log_in, pdf_upload

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2027, 1, 8)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("reporting.services._today", lambda: TODAY)


@pytest.fixture
def started(north):
    north.yearly_report_period_start = D(2025, 12, 1)
    north.save()
    return services.ensure_yearly_report_clock(partnership=north)


def test_the_first_clock_runs_12_months_from_the_partnerships_setting_and_is_idempotent(north, started):
    assert (started.rule, started.start_date, started.due_date) == (
        "yearly_report",
        D(2025, 12, 1),
        D(2026, 12, 1),
    )
    assert services.ensure_yearly_report_clock(partnership=north).pk == started.pk
    north.yearly_report_period_start = D(2026, 1, 1)
    north.save()
    moved = services.ensure_yearly_report_clock(partnership=north)
    assert moved.pk == started.pk and moved.due_date == D(2027, 1, 1)
    assert Deadline.objects.count() == 1
    assert "s16G" in moved.rule_definition.source and "ch2" in moved.rule_definition.source


def test_no_clock_without_a_start_date(north):
    assert services.ensure_yearly_report_clock(partnership=north) is None
    assert not Deadline.objects.exists()


def test_recording_a_report_meets_the_clock_late_and_opens_the_next_and_the_copies(north, manager, started):
    report = services.record_yearly_report(
        actor=manager,
        partnership=north,
        period_start=D(2025, 12, 1),
        period_end=D(2026, 11, 30),
        published_on=D(2026, 12, 4),
        url="https://example.org/r",
    )
    started.refresh_from_db()
    assert (started.status, started.met_on) == ("met", D(2026, 12, 4))
    clocks = {d.rule: d for d in Deadline.objects.filter(subject_id=report.pk).exclude(pk=started.pk)}
    assert clocks["yearly_report"].due_date == D(2027, 12, 4)
    assert clocks["yearly_report_copies"].due_date == D(2026, 12, 11)
    services.record_yearly_report_copies_sent(actor=manager, report=report, copies_sent_on=D(2026, 12, 10))
    clocks["yearly_report_copies"].refresh_from_db()
    assert clocks["yearly_report_copies"].status == "met"


BAD = [
    ({"published_on": TODAY + dt.timedelta(days=1)}, "published_on", "must be today or in the past"),
    (
        {"published_on": D(2025, 11, 30)},
        "published_on",
        "The date the report was published (30 November 2025) must be on or after the first day "
        "of the period it covers (1 December 2025)",
    ),
    ({"period_end": D(2025, 11, 1)}, "period_end", "must be after the first day"),
    ({"url": ""}, "url", "Give a link to the published report, or upload it"),
    ({"published_on": None}, "published_on", "Enter the date the report was published"),
]


def _body(changes):
    data = {
        "period_start": "2025-12-01",
        "period_end": "2026-11-30",
        "published_on": "2026-12-04",
        "url": "https://example.org/r",
    }
    data.update({k: v.isoformat() if isinstance(v, D) else v for k, v in changes.items()})
    return data


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_input_on_the_page_saves_nothing(north, manager, client, started, changes, field, message):
    log_in(client, manager)
    data = {k: "" if v is None else v for k, v in _body(changes).items()}
    response = client.post(reverse("reporting:yearly-report-create"), data)
    html = response.content.decode()
    target = f"id_{field}" if field == "url" else f"id_{field}-day"  # a date: its first box
    assert message in html and f'href="#{target}"' in html
    assert not YearlyReport.objects.exists()
    assert Deadline.objects.get().status == "open"


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_input_through_the_api_saves_nothing(north, manager, client, started, changes, field, message):
    log_in(client, manager)
    # An upload: multipart (a part left out for no value).
    body = {key: "" if value is None else value for key, value in _body(changes).items()}
    response = client.post(reverse("api:yearly-report-list"), body)
    assert response.status_code == 409, response.content
    assert any(message in text for text in response.json()[field])
    assert not YearlyReport.objects.exists()


def test_a_report_uploaded_on_the_page_and_sent_on_late_shows_met_late(north, manager, client, started):
    log_in(client, manager)
    response = client.post(
        reverse("reporting:yearly-report-create"),
        {
            "period_start": "2025-12-01",
            "period_end": "2026-11-30",
            "published_on": "2026-12-04",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 302
    report = YearlyReport.objects.get()
    assert report.file
    response = client.post(
        reverse("reporting:yearly-report-sent", args=[report.pk]), {"copies_sent_on": "2026-12-15"}
    )
    html = client.get(response["Location"]).content.decode()
    # Due Friday 11 December; sent Tuesday 15: Monday 14 and Tuesday 15 late.
    assert "Met late: 2 working days" in html
    api = client.get(reverse("api:yearly-report-detail", args=[report.pk])).json()
    copies = next(c for c in api["deadlines"] if c["rule"] == "yearly_report_copies")
    assert (copies["met_late"], copies["working_days_late"]) == (True, 2)
    assert client.get(reverse("reporting:yearly-report-file", args=[report.pk])).status_code == 200


def test_another_partnership_and_a_practitioner_get_nothing(
    north, manager, practitioner, outsider, client, started
):
    report = services.record_yearly_report(
        actor=manager,
        partnership=north,
        period_start=D(2025, 12, 1),
        period_end=D(2026, 11, 30),
        published_on=D(2026, 12, 4),
        url="https://example.org/r",
    )
    for user in (outsider, practitioner):
        log_in(client, user)
        for name in (
            "reporting:yearly-report-detail",
            "api:yearly-report-detail",
            "reporting:yearly-report-file",
        ):
            assert client.get(reverse(name, args=[report.pk])).status_code == 404
        assert (
            client.post(
                reverse("api:yearly-report-sent", args=[report.pk]),
                {"copies_sent_on": "2026-12-10"},
                content_type="application/json",
            ).status_code
            == 404
        )
    log_in(client, outsider)
    assert client.get(reverse("api:yearly-report-list")).json()["results"] == []
    assert "Northshire" not in client.get(reverse("reporting:yearly-report-list")).content.decode()


def test_the_lists_run_a_bounded_number_of_queries(
    north, manager, client, started, django_assert_max_num_queries
):
    for year in range(2019, 2026):
        services.record_yearly_report(
            actor=manager,
            partnership=north,
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            published_on=D(year + 1, 1, 15),
            url="https://example.org/r",
        )
    log_in(client, manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reporting:yearly-report-list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("api:yearly-report-list")).json()["results"]) == 7
