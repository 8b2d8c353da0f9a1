"""The case pages: changing the pseudonymised details and the chronology."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case
from tests.factories import CaseFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(north, agencies):
    return CaseFactory(partnership=north, reference="NCC-2026-003")


def test_the_business_team_changes_the_pseudonymised_details(client, manager, case, agencies):
    log_in(client, manager)
    response = client.post(
        reverse("cases:case-edit", args=[case.pk]),
        {
            "child_initials": "J.S.",
            "child_age_years": "7",
            "child_sex": "male",
            "child_ethnicity": "Mixed",
            "outcome": "died",
            "incident_date": "2026-03-10",
            "looked_after": "on",
            "agencies": [agencies["police"].pk],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.child_age_years, case.outcome, case.looked_after) == (7, "died", True)
    assert list(case.agencies.all()) == [agencies["police"]]


def test_an_age_of_18_or_more_is_refused_on_the_field(client, manager, case):
    log_in(client, manager)
    response = client.post(
        reverse("cases:case-edit", args=[case.pk]),
        {
            "child_initials": "J.S.",
            "child_age_years": "19",
            "child_sex": "male",
            "outcome": "died",
            "incident_date": "2026-03-10",
        },
    )
    html = response.content.decode()
    assert '<a href="#id_child_age_years">' in html
    case.refresh_from_db()
    assert case.child_age_years == 6 and case.outcome == "seriously_harmed"


def test_a_chronology_entry_needs_a_past_date_and_text(client, manager, case):
    log_in(client, manager)
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    html = client.post(
        reverse("cases:chronology-add", args=[case.pk]), {"date": future, "entry": ""}
    ).content.decode()
    assert "<title>Error:" in html
    assert "The date must be today or in the past" in html and "Describe what happened" in html
    assert not case.chronology.exists()


def test_a_withdrawn_case_cannot_be_changed(client, manager, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.WITHDRAWN)
    log_in(client, manager)
    response = client.post(
        reverse("cases:case-edit", args=[case.pk]),
        {
            "child_initials": "X.Y.",
            "child_sex": "male",
            "outcome": "died",
            "incident_date": "2026-03-10",
        },
    )
    assert "withdrawn" in response.content.decode()
    case.refresh_from_db()
    assert case.child_initials == "J.S."


def test_the_case_list_filters_by_reference_and_shows_the_stage(client, manager, north):
    CaseFactory(partnership=north, reference="NCC-2026-010")
    CaseFactory(partnership=north, reference="NCC-2026-011")
    log_in(client, manager)
    html = client.get(reverse("cases:case-list") + "?reference=010").content.decode()
    assert "NCC-2026-010" in html and "NCC-2026-011" not in html and "Case opened" in html


@pytest.mark.parametrize(
    "fields, shown",
    [
        ({"child_age_years": 1}, "1 year<"),
        ({"child_age_years": 6}, "6 years<"),
        ({"child_age_years": None, "child_unborn": True}, "Unborn<"),
        ({"child_age_years": None}, "Not recorded<"),
    ],
)
def test_the_case_page_gives_the_childs_age_in_plain_english(client, north, manager, fields, shown):
    case = CaseFactory(partnership=north, reference="NCC-2026-077", **fields)
    log_in(client, manager)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert shown in html.replace("\n", "").replace("  ", "")
