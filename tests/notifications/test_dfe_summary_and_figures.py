"""The copy-ready summary for the DfE online notification form, and the partnership's
figures by the national statistics' breakdowns (table and CSV)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cspr.audit import AuditEvent
from cspr.roles import Role
from notifications.figures import figures
from notifications.models import SeriousIncidentNotification
from tests.factories import (
    CaseFactory,
    ReferralFactory,
    SeriousIncidentNotificationFactory,
    log_in,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified_case(north, practitioner, agencies):
    referral = ReferralFactory(
        partnership=north,
        author=practitioner,
        status="accepted",
        children=[
            {"name": "Jordan Lee Smith", "date_of_birth": dt.date(2020, 3, 1), "address": "1 Example Street"},
            {"name": "Robin Smith", "date_of_birth": dt.date(2025, 7, 1), "address": "1 Example Street"},
        ],
    )
    case = CaseFactory(
        partnership=north,
        reference="NCC-2026-050",
        referral=referral,
        children=[
            {"initials": "J.L.S.", "age_months": 72, "nature": "seriously_harmed", "gender": "male"},
            {
                "initials": "R.S.",
                "age_months": 8,
                "nature": "died",
                "gender": "female",
                "looked_after": "yes",
                "placement_type": "foster",
                "agencies": [agencies["police"]],
                "known_to_agencies": "yes",
            },
        ],
    )
    SeriousIncidentNotificationFactory(case=case, notified_panel_on=dt.date(2026, 4, 2))
    return case


def test_the_summary_lists_each_childs_answers_in_order_as_selectable_text_and_is_audited(
    client, manager, notified_case
):
    log_in(client, manager)
    html = client.get(reverse("notifications:case-dfe-summary", args=[notified_case.pk])).content.decode()
    # Each child in order, with the values to copy; ages under 2 in months.
    first, second = html.index("Child 1"), html.index("Child 2")
    assert first < html.index("Jordan Lee Smith") < second < html.index("Robin Smith")
    assert '<span id="child-2-age" class="app-copy-value">8 months</span>' in html
    assert "Child death" in html and "Foster placement" in html and "Northshire Police" in html
    # The copy buttons wait for JavaScript: without it the page is selectable text.
    assert 'data-copy-target="child-2-age" hidden' in html
    event = AuditEvent.objects.get(action="view", subject_id=notified_case.pk)
    assert event.detail == {"dfe_summary": True, "child_identity": True}
    assert "Jordan" not in str(event.detail) + event.subject_label


def test_the_summary_is_for_the_business_team_only(client, north, notified_case, practitioner, outsider):
    liaison = member(north, Role.PANEL_LIAISON)
    from cases.services import grant_case_access

    grant_case_access(actor=member(north, Role.BUSINESS_MANAGER), case=notified_case, user=liaison)
    url = reverse("notifications:case-dfe-summary", args=[notified_case.pk])
    for user, status in ((practitioner, 404), (outsider, 404), (liaison, 403)):
        log_in(client, user)
        assert client.get(url).status_code == status
    assert not AuditEvent.objects.filter(action="view", detail__dfe_summary=True).exists()


def test_figures_count_notifications_by_the_first_child_as_the_statistics_do(north, notified_case):
    # Another notification in the year, one outside it, one withdrawn.
    for notified_on, status in (
        (dt.date(2027, 3, 31), "notified"),
        (dt.date(2026, 3, 31), "notified"),
        (dt.date(2026, 6, 1), SeriousIncidentNotification.Status.WITHDRAWN),
    ):
        case = CaseFactory(
            partnership=north, children__nature="died", children__age_months=None, children__unborn=True
        )
        SeriousIncidentNotificationFactory(case=case, notified_panel_on=notified_on, status=status)

    result = figures(north.pk, 2026)
    assert result["total"] == 2
    by = {b["key"]: {r["category"]: r["number"] for r in b["rows"]} for b in result["breakdowns"]}
    assert by["nature"] == {"Child death": 1, "Serious harm": 1, "Other": 0}
    assert (
        by["age_group"]["Unborn"] == 1 and by["age_group"]["6 to 10"] == 1 and by["age_group"]["Under 1"] == 0
    )
    assert by["gender"] == {"Male": 2, "Female": 0, "Transgender": 0, "Not known": 0}

    children = figures(north.pk, 2026, "children")
    assert children["total"] == 3
    by = {b["key"]: {r["category"]: r["number"] for r in b["rows"]} for b in children["breakdowns"]}
    assert by["age_group"]["Under 1"] == 1
    assert by["placement_type"]["Foster placement"] == 1
    assert by["known_to_agencies"]["Yes"] == 1


def test_the_figures_page_and_csv_name_the_statistics_categories_in_a_fixed_number_of_queries(
    client, manager, north, notified_case, django_assert_max_num_queries
):
    log_in(client, manager)
    query = {"partnership": north.pk, "year": 2026, "unit": "notifications"}
    with django_assert_max_num_queries(12):
        html = client.get(reverse("notifications:notification-figures"), query).content.decode()
    assert "Northshire" in html and "2026-27" in html
    assert "each counted once, with its first child" in html  # the unit counted
    for category in (
        "Child death",
        "Serious harm",
        "Transgender",
        "Residential children&#x27;s home",
        "Unborn",
    ):
        assert category in html
    response = client.get(reverse("notifications:notification-figures-csv"), query)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["time_period", "partnership", "unit", "breakdown", "category", "number", "percentage"]
    serious_harm = next(row for row in rows if row[3:5] == ["Nature of notification", "Serious harm"])
    assert serious_harm == [
        "202627",
        north.name,
        "notifications",
        "Nature of notification",
        "Serious harm",
        "1",
        "100.0",
    ]
    assert AuditEvent.objects.filter(action="export", subject_label="notification figures CSV").exists()


def test_the_figures_are_for_the_business_team_of_the_partnership(client, practitioner, outsider, north):
    log_in(client, practitioner)
    assert client.get(reverse("notifications:notification-figures")).status_code == 403
    log_in(client, outsider)
    html = client.get(
        reverse("notifications:notification-figures"), {"partnership": north.pk}
    ).content.decode()
    assert "Select a valid choice" in html  # another partnership's figures: refused
