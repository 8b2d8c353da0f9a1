"""Each reference on the dashboard's rows links to its case, from the rows' own query."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr import services
from cspr.models import Deadline
from tests.factories import open_clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_a_cases_reference_links_to_the_case_and_a_yearly_reports_does_not(client_for, team):
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
