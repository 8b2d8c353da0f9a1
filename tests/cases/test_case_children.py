"""One incident, up to four children: adding, changing and taking off a case's
children, on the pages and through the API, and the bad input each refuses with
nothing half-saved (no child, a fifth child, a child of 18 or over, a value outside
a coded list, another partnership's agency)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import CaseChild
from cspr.audit import AuditEvent
from tests.factories import AgencyFactory, CaseFactory, PartnershipFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(north):
    return CaseFactory(partnership=north, reference="NCC-2026-040")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def child_form(**overrides):
    data = {
        "initials": "A.B.",
        "age_years": "0",
        "age_extra_months": "8",
        "gender": "female",
        "ethnicity": "black",
        "disability": "no",
        "nature": "seriously_harmed",
        "looked_after": "no",
        "child_protection_plan": "yes",
        "child_in_need": "yes",
        "known_to_agencies": "not_known",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(case):
    return list(case.children.order_by("ordinal").values_list("ordinal", "initials", "age_months", "nature"))


# --- pages --------------------------------------------------------------------


def test_a_second_child_is_added_and_shown_in_months(client, manager, case):
    log_in(client, manager)
    response = client.post(reverse("cases:case-child-add", args=[case.pk]), child_form())
    assert response.status_code == 302, response.content.decode()
    assert snapshot(case) == [(1, "J.S.", 72, "seriously_harmed"), (2, "A.B.", 8, "seriously_harmed")]
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Child 2" in html and "8 months" in html and "Under 1" in html
    assert "Black, African, Caribbean or Black British" in html
    event = AuditEvent.objects.filter(action="change", subject_id=case.pk).latest("pk")
    assert event.detail == {"fields": ["children"], "child": 2, "added": True}
    assert "A.B." not in str(event.detail)


def test_a_fifth_child_is_refused_on_the_page(client, manager, north):
    case = CaseFactory(
        partnership=north, children=[{"initials": f"C.{n}.", "nature": "died"} for n in range(4)]
    )
    log_in(client, manager)
    response = client.get(reverse("cases:case-child-add", args=[case.pk]))
    assert response.status_code == 302
    html = client.post(
        reverse("cases:case-child-add", args=[case.pk]), child_form(), follow=True
    ).content.decode()
    assert "Name at most 4 children" in html
    assert case.children.count() == 4
    assert (
        "Add another child" not in client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"age_years": "18", "age_extra_months": ""}, "age_years", "Child 2 must have been under 18"),
        ({"ethnicity": "martian"}, "ethnicity", "Select a valid choice"),
        ({"nature": ""}, "nature", "Select whether child 2 died, was seriously harmed, or other"),
        ({"looked_after": "yes"}, "placement_type", "Select the placement type of child 2"),
        ({"disability_kind": "Autism"}, "disability_kind", "Leave the kind of disability empty"),
    ],
)
def test_bad_input_for_a_child_is_refused_on_its_field_and_nothing_is_saved(
    client, manager, case, overrides, field, message
):
    log_in(client, manager)
    html = client.post(
        reverse("cases:case-child-add", args=[case.pk]), child_form(**overrides)
    ).content.decode()
    assert "<title>Error:" in html
    assert f'href="#id_{field}' in html
    assert message in html
    assert snapshot(case) == [(1, "J.S.", 72, "seriously_harmed")]


def test_another_partnerships_agency_is_refused(client, manager, case):
    elsewhere = AgencyFactory(partnership=PartnershipFactory())
    log_in(client, manager)
    html = client.post(
        reverse("cases:case-child-edit", args=[case.pk, 1]), child_form(agencies=[elsewhere.pk])
    ).content.decode()
    assert "<title>Error:" in html
    assert not case.children.get().agencies.exists()


def test_taking_a_child_off_renumbers_and_the_last_child_stays(client, manager, north):
    case = CaseFactory(
        partnership=north,
        children=[{"initials": i, "nature": "seriously_harmed"} for i in ("A.A.", "B.B.", "C.C.")],
    )
    log_in(client, manager)
    response = client.post(reverse("cases:case-child-remove", args=[case.pk, 2]))
    assert response.status_code == 302
    assert [(c.ordinal, c.initials) for c in case.children.all()] == [(1, "A.A."), (2, "C.C.")]
    client.post(reverse("cases:case-child-remove", args=[case.pk, 2]))
    html = client.post(reverse("cases:case-child-remove", args=[case.pk, 1])).content.decode()
    assert "A case names at least one child" in html
    assert [c.initials for c in case.children.all()] == ["A.A."]


def test_others_cannot_change_a_child(client, practitioner, outsider, case):
    for user in (practitioner, outsider):
        log_in(client, user)
        assert client.post(reverse("cases:case-child-add", args=[case.pk]), child_form()).status_code == 404
    assert case.children.count() == 1


# --- API ----------------------------------------------------------------------


def test_the_api_replaces_the_children_and_documents_them(manager, case, agencies):
    response = api(manager).patch(
        f"/api/v1/cases/{case.pk}/",
        {
            "children": [
                {"initials": "J.S."},
                {
                    "initials": "K.S.",
                    "unborn": True,
                    "nature": "died",
                    "agencies": [agencies["health"].pk],
                    "known_to_agencies": "yes",
                },
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    children = response.json()["children"]
    assert [(c["ordinal"], c["initials"], c["age"], c["age_group"]) for c in children] == [
        (1, "J.S.", "6 years", "6_to_10"),
        (2, "K.S.", "Unborn", "unborn"),
    ]
    assert children[1]["agencies"] == [agencies["health"].pk]
    schema = api(manager).get("/api/schema/", {"format": "json"}).json()
    case_schema = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert case_schema["children"]["type"] == "array"
    assert "age_group" in schema["components"]["schemas"]["CaseChild"]["properties"]


@pytest.mark.parametrize(
    "children, key, message",
    [
        ([], "children", "Name at least one child"),
        ([{"nature": "died"}] * 5, "children", "Name at most 4 children"),
        (
            [{}, {"age_months": 18 * 12, "nature": "died"}],
            "child_2_age_months",
            "Child 2 must have been under 18",
        ),
        ([{}, {"gender": "robot", "nature": "died"}], "children", None),
    ],
)
def test_bad_children_are_refused_by_the_api_and_nothing_is_half_saved(manager, case, children, key, message):
    before = snapshot(case)
    response = api(manager).patch(
        f"/api/v1/cases/{case.pk}/",
        {"incident_date": "2026-03-01", "children": [{"initials": "Z.Z.", **c} for c in children]},
        format="json",
    )
    # 400: a value outside a coded list breaks the schema; 409: a rule refused it.
    assert response.status_code == (400 if message is None else 409)
    assert key in response.json()
    if message:
        assert message in response.json()[key][0]
    case.refresh_from_db()
    assert snapshot(case) == before
    assert str(case.incident_date) == "2026-03-27"


def test_a_second_partnerships_agency_in_a_child_is_refused_by_the_api(manager, case):
    elsewhere = AgencyFactory(partnership=PartnershipFactory())
    response = api(manager).patch(
        f"/api/v1/cases/{case.pk}/", {"children": [{"agencies": [elsewhere.pk]}]}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"child_1_agencies": ["Select agencies of this partnership"]}
    assert not CaseChild.objects.get(case=case).agencies.exists()


def test_case_lists_filter_by_a_childs_nature(client, manager, north):
    CaseFactory(partnership=north, reference="NCC-2026-061")
    CaseFactory(
        partnership=north,
        reference="NCC-2026-062",
        children=[{"nature": "seriously_harmed"}, {"nature": "died", "unborn": True, "age_months": None}],
    )
    log_in(client, manager)
    html = client.get(reverse("cases:case-list"), {"nature": "died"}).content.decode()
    assert "NCC-2026-062" in html and "NCC-2026-061" not in html
    listed = api(manager).get("/api/v1/cases/", {"child_nature": "died"}).json()["results"]
    assert [c["reference"] for c in listed] == ["NCC-2026-062"]
    assert len(listed[0]["children"]) == 2
