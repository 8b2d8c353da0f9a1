"""Each case reference on the dashboard links to the page of the clock's subject,
which the subject's own app gives the kernel (``cspr.links``): the deadlines app
imports no stage and reads no stage's table, and the links cost no query."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cspr import links, services
from cspr.models import Deadline
from tests.factories import SeriousIncidentNotificationFactory, open_clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_a_cases_reference_links_to_the_case_and_a_partnerships_own_clock_has_no_link(client_for, team):
    p = team["partnership"]
    clock = open_clock(p, due_date=dt.date(2026, 11, 27), reference="NCC-2026-0007")
    services.open_deadline(
        rule="yearly_report",
        subject=p,
        partnership=p,
        start_date=dt.date(2026, 11, 2),
        reference=f"{p.code} yearly report",
    )
    assert Deadline.objects.filter(partnership=p).count() == 2
    html = client_for(team["manager"]).get(reverse("notifications:dashboard")).content.decode()
    case_url = reverse("cases:case-detail", args=[clock.subject_id])
    assert f'<a class="govuk-link" href="{case_url}">NCC-2026-0007</a>' in html
    assert f"{p.code} yearly report" in html
    assert f">{p.code} yearly report</a>" not in html


def test_a_notifications_clock_links_to_the_notification(client_for, team):
    notification = SeriousIncidentNotificationFactory(case__partnership=team["partnership"])
    services.open_deadline(
        rule="notify_panel",
        subject=notification,
        partnership=team["partnership"],
        start_date=dt.date(2026, 11, 20),
        reference=notification.case.reference,
    )
    html = client_for(team["manager"]).get(reverse("notifications:dashboard")).content.decode()
    url = reverse("notifications:notification-detail", args=[notification.pk])
    assert f'<a class="govuk-link" href="{url}">{notification.case.reference}</a>' in html


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:dashboard")).status_code == 200
    return len(queries)


def test_the_links_cost_no_query_however_many_rows(client_for, team, monkeypatch):
    client = client_for(team["manager"])
    open_clock(team["partnership"], due_date=dt.date(2026, 11, 27))
    client.get(reverse("notifications:dashboard"))  # caches warmed
    one_row = _dashboard_queries(client)
    for n in range(20):
        open_clock(team["partnership"], due_date=TODAY + dt.timedelta(days=n + 5))
    many_rows = _dashboard_queries(client)
    monkeypatch.setattr(links, "_URL_NAMES", {})  # as if no stage gave a link
    html = client.get(reverse("notifications:dashboard")).content.decode()
    assert '<a class="govuk-link" href="/cases/' not in html
    without_links = _dashboard_queries(client)
    assert one_row == many_rows == without_links
