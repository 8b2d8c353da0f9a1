"""Who sees what: another partnership gets 404 everywhere; a practitioner sees only
their own referrals and cannot do the business team's work."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Referral
from cases.services import accept_referral
from notifications.services import record_notification
from tests.factories import ReferralFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(north, agencies, practitioner, manager):
    submitted = ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        status=Referral.Status.SUBMITTED,
    )
    accepted = ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        status=Referral.Status.SUBMITTED,
    )
    case = accept_referral(actor=manager, referral=accepted)
    import datetime as dt

    notification = record_notification(
        actor=manager, case=case, aware_on=dt.date(2026, 3, 11), incident_local_authority="Northshire"
    )
    return {"referral": submitted, "case": case, "notification": notification}


def pages(world):
    r, c, n = world["referral"].pk, world["case"].pk, world["notification"].pk
    return [
        ("get", reverse("cases:referral-detail", args=[r])),
        ("get", reverse("cases:referral-edit", args=[r])),
        ("get", reverse("cases:referral-check", args=[r])),
        ("post", reverse("cases:referral-accept", args=[r])),
        ("get", reverse("cases:referral-decline", args=[r])),
        ("get", reverse("cases:referral-request-information", args=[r])),
        ("get", reverse("cases:case-detail", args=[c])),
        ("get", reverse("cases:case-edit", args=[c])),
        ("post", reverse("cases:chronology-add", args=[c])),
        ("get", reverse("notifications:notification-create", args=[c])),
        ("get", reverse("notifications:notification-detail", args=[n])),
        ("post", reverse("notifications:notification-panel", args=[n])),
        ("get", reverse("notifications:notification-withdraw", args=[n])),
    ]


def endpoints(world):
    r, c, n = world["referral"].pk, world["case"].pk, world["notification"].pk
    return [
        ("get", f"/api/v1/referrals/{r}/"),
        ("patch", f"/api/v1/referrals/{r}/"),
        ("post", f"/api/v1/referrals/{r}/submit/"),
        ("post", f"/api/v1/referrals/{r}/accept/"),
        ("post", f"/api/v1/referrals/{r}/decline/"),
        ("post", f"/api/v1/referrals/{r}/request-information/"),
        ("get", f"/api/v1/cases/{c}/"),
        ("patch", f"/api/v1/cases/{c}/"),
        ("post", f"/api/v1/cases/{c}/chronology/"),
        ("get", f"/api/v1/notifications/{n}/"),
        ("post", f"/api/v1/notifications/{n}/record-panel-notification/"),
        ("post", f"/api/v1/notifications/{n}/withdraw/"),
    ]


def test_another_partnerships_user_gets_404_on_every_page(client, world, outsider):
    log_in(client, outsider)
    for method, url in pages(world):
        assert getattr(client, method)(url).status_code == 404, url
    for url in ("/referrals/", "/cases/", "/notifications/"):
        html = client.get(url).content.decode()
        assert (
            world["case"].reference not in html
            and "Referral " not in html.split("<main")[1].split("Your referrals")[0]
        )


def test_another_partnerships_user_gets_404_on_every_endpoint(world, outsider):
    api = APIClient()
    api.force_authenticate(outsider)
    for method, url in endpoints(world):
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url
    for url in ("/api/v1/referrals/", "/api/v1/cases/", "/api/v1/notifications/"):
        assert api.get(url).json()["count"] == 0, url
    response = api.post(
        "/api/v1/notifications/", {"case": world["case"].pk, "aware_on": "2026-03-11"}, format="json"
    )
    assert response.status_code == 404 and "case" in response.json()["detail"]


def test_a_practitioner_sees_only_the_referrals_they_wrote(north, agencies, practitioner, client):
    from cspr.roles import Role
    from tests.factories import member

    colleague = member(north, Role.PRACTITIONER, agency=agencies["police"])
    mine = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    theirs = ReferralFactory(
        partnership=north,
        author=colleague,
        referrer_agency=agencies["police"],
        status=Referral.Status.SUBMITTED,
    )
    log_in(client, practitioner)
    html = client.get(reverse("cases:referral-list")).content.decode()
    assert f"Referral {mine.pk}" in html and f"Referral {theirs.pk}" not in html
    assert client.get(reverse("cases:referral-detail", args=[theirs.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(practitioner)
    assert [r["id"] for r in api.get("/api/v1/referrals/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/referrals/{theirs.pk}/").status_code == 404


def test_a_practitioner_cannot_triage_or_see_cases(world, practitioner, client):
    log_in(client, practitioner)
    referral = world["referral"]
    assert client.post(reverse("cases:referral-accept", args=[referral.pk])).status_code == 403
    assert client.get(reverse("cases:referral-decline", args=[referral.pk])).status_code == 403
    assert client.get(reverse("cases:case-detail", args=[world["case"].pk])).status_code == 404
    html = client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert "Accept as a serious" not in html and "Jordan Lee Smith" not in html
    api = APIClient()
    api.force_authenticate(practitioner)
    assert api.post(f"/api/v1/referrals/{referral.pk}/accept/").status_code == 403
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    assert api.get("/api/v1/cases/").json()["count"] == 0


def test_a_business_manager_cannot_see_someone_elses_draft(north, agencies, practitioner, manager):
    draft = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    api = APIClient()
    api.force_authenticate(manager)
    assert api.get(f"/api/v1/referrals/{draft.pk}/").status_code == 404
    assert api.post(f"/api/v1/referrals/{draft.pk}/accept/").status_code == 404
