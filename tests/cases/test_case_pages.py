"""The case pages: changing the pseudonymised details and the chronology."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.test_case_children import child_form as case_child_form
from tests.factories import CaseFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(north, agencies):
    return CaseFactory(partnership=north, reference="NCC-2026-003")


def child_form(**overrides):
    """A child at 7 who died, looked after in foster care."""
    return case_child_form(
        **{
            "initials": "J.S.",
            "age_years": "7",
            "age_extra_months": None,
            "gender": "male",
            "ethnicity": "mixed",
            "disability": "not_known",
            "nature": "died",
            "looked_after": "yes",
            "placement_type": "foster",
            "child_protection_plan": "no",
            "known_to_agencies": "yes",
            **overrides,
        }
    )


def test_the_business_team_changes_the_incident_and_a_child(client, manager, case, agencies):
    log_in(client, manager)
    response = client.post(
        reverse("cases:case-edit", args=[case.pk]),
        {"incident_date": "2026-03-10", "agencies": [agencies["police"].pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:case-child-edit", args=[case.pk, 1]),
        child_form(agencies=[agencies["police"].pk]),
    )
    assert response.status_code == 302, response.content.decode()
    child = case.children.get()
    assert (child.age_months, child.nature, child.looked_after, child.placement_type) == (
        84,
        "died",
        "yes",
        "foster",
    )
    assert list(child.agencies.all()) == [agencies["police"]]
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    for shown in ("Child death", "Foster placement", "Mixed or Multiple ethnic groups", "6 to 10"):
        assert shown in html


def test_an_age_of_18_or_more_is_refused_on_the_field(client, manager, case):
    log_in(client, manager)
    html = client.post(
        reverse("cases:case-child-edit", args=[case.pk, 1]), child_form(age_years="18")
    ).content.decode()
    assert "<title>Error:" in html
    assert '<a href="#id_age_years">' in html
    assert "Child 1 must have been under 18 at the time of the incident" in html
    child = case.children.get()
    assert child.age_months == 72 and child.nature == "seriously_harmed"


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
    response = client.post(reverse("cases:case-edit", args=[case.pk]), {"incident_date": "2026-03-10"})
    assert "withdrawn" in response.content.decode()
    response = client.post(reverse("cases:case-child-edit", args=[case.pk, 1]), child_form(initials="X.Y."))
    assert "withdrawn" in response.content.decode()
    case.refresh_from_db()
    assert case.incident_date == dt.date(2026, 3, 27)
    assert case.children.get().initials == "J.S."


def test_the_case_list_filters_by_reference_and_shows_the_stage(client, manager, north):
    CaseFactory(partnership=north, reference="NCC-2026-010")
    CaseFactory(partnership=north, reference="NCC-2026-011")
    log_in(client, manager)
    html = client.get(reverse("cases:case-list") + "?reference=010").content.decode()
    assert "NCC-2026-010" in html and "NCC-2026-011" not in html and "Case opened" in html


@pytest.mark.parametrize(
    "fields, shown",
    [
        ({"age_months": 1}, "1 month<"),
        ({"age_months": 8}, "8 months<"),
        ({"age_months": 23}, "23 months<"),
        ({"age_months": 24}, "2 years<"),
        ({"age_months": 6 * 12 + 5}, "6 years<"),
        ({"age_months": None, "unborn": True}, "Unborn<"),
        ({"age_months": None}, "Not known<"),
    ],
)
def test_the_case_page_gives_the_childs_age_in_plain_english(client, north, manager, fields, shown):
    case = CaseFactory(
        partnership=north, reference="NCC-2026-077", **{f"children__{k}": v for k, v in fields.items()}
    )
    log_in(client, manager)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert shown in html.replace("\n", "").replace("  ", "")
