"""People added to one case (object-level grants): they see that case only, and lose
it the moment they are removed; each change is audited."""

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from tests.factories import CaseFactory, PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(north):
    return {
        "case": CaseFactory(partnership=north, reference="NCC-2026-040"),
        "other_case": CaseFactory(partnership=north, reference="NCC-2026-041"),
        "manager": member(north, Role.BUSINESS_MANAGER, username="bm"),
        "liaison": member(north, Role.PANEL_LIAISON, username="liaison"),
    }


def test_a_panel_liaison_added_to_a_case_sees_it_and_only_it_until_removed(client, world):
    case, liaison = world["case"], world["liaison"]
    log_in(client, liaison)
    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 404

    log_in(client, world["manager"])
    page = client.get(reverse("cases:case-access", args=[case.pk]))
    assert "liaison" in page.content.decode() or liaison.get_full_name() in page.content.decode()
    response = client.post(reverse("cases:case-access", args=[case.pk]), {"user": liaison.pk})
    assert response.status_code == 302

    log_in(client, liaison)
    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:case-detail", args=[world["other_case"].pk])).status_code == 404
    listed = client.get("/api/v1/cases/").json()["results"]
    assert [row["reference"] for row in listed] == ["NCC-2026-040"]

    log_in(client, world["manager"])
    grant_pk = client.get(reverse("cases:case-access", args=[case.pk])).context["grants"][0].pk
    response = client.post(reverse("cases:case-access-remove", args=[case.pk, grant_pk]))
    assert response.status_code == 302

    log_in(client, liaison)
    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 404
    events = AuditEvent.objects.filter(action="permission", subject_label="NCC-2026-040")
    assert sorted(next(iter(e.detail.keys() - {"user_id"})) for e in events) == ["granted", "revoked"]


def test_adding_someone_twice_or_from_another_partnership_is_refused(client, world):
    case = world["case"]
    stranger = member(PartnershipFactory(code="SBC"), Role.PANEL_LIAISON)
    log_in(client, world["manager"])
    response = client.post(reverse("cases:case-access", args=[case.pk]), {"user": stranger.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    client.post(reverse("cases:case-access", args=[case.pk]), {"user": world["liaison"].pk})
    again = client.post(reverse("cases:case-access", args=[case.pk]), {"user": world["liaison"].pk})
    assert "There is a problem" in again.content.decode()
    assert len(client.get(reverse("cases:case-access", args=[case.pk])).context["grants"]) == 1


def test_only_the_business_team_can_add_people(client, world, north):
    practitioner = member(north, Role.PRACTITIONER)
    log_in(client, world["liaison"])
    assert client.get(reverse("cases:case-access", args=[world["case"].pk])).status_code == 404
    log_in(client, practitioner)
    assert client.get(reverse("cases:case-access", args=[world["case"].pk])).status_code == 404
    outsider = member(PartnershipFactory(code="OTH"), Role.BUSINESS_MANAGER)
    log_in(client, outsider)
    assert client.get(reverse("cases:case-access", args=[world["case"].pk])).status_code == 404


def test_someone_added_to_a_case_finds_it_under_cases_in_the_menu(client, world):
    from cases.services import grant_case_access

    cases_link = f'href="{reverse("cases:case-list")}">Cases</a>'
    log_in(client, world["liaison"])
    assert cases_link not in client.get(reverse("home")).content.decode()

    grant_case_access(actor=world["manager"], case=world["case"], user=world["liaison"])
    home = client.get(reverse("home")).content.decode()
    assert cases_link in home
    # A panel liaison sees every rapid review of the partnership, grant or not.
    assert reverse("rapid_review:list") in home
    listing = client.get(reverse("cases:case-list")).content.decode()
    assert "NCC-2026-040" in listing and "NCC-2026-041" not in listing
