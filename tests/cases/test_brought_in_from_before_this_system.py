"""A case brought in from before this system (an import, a case already under way) may
carry dates older than 29 June 2018, when the review regulations began, once the
business team marks it so with a source and a reason (audited). A live case refuses
such a date with a message naming it. Either way the order of events still holds and
no date of something that happened may be in the future. Page and API alike."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case
from cspr.models import AuditEvent
from cspr.roles import Role
from notifications import services as notification_services
from notifications.models import SeriousIncidentNotification
from reviews.models import Review
from tests.factories import CaseFactory, api_authorization, log_in, member

pytestmark = pytest.mark.django_db
D = dt.date

TOO_OLD = (
    "The date the local authority became aware (1 June 2017) must be on or after 29 June 2018, "
    "when the review regulations began"
)


@pytest.fixture
def case(north):
    return CaseFactory(partnership=north, reference="NCC-2017-003", incident_date=D(2017, 5, 20))


def mark(client, case, **data):
    return client.post(reverse("cases:case-brought-in", args=[case.pk]), data)


def notify_on_the_page(client, case, aware_on: str):
    return client.post(
        reverse("notifications:notification-create", args=[case.pk]),
        {"aware_on": aware_on, "incident_local_authority": "Northshire County Council"},
    )


def test_a_live_case_refuses_a_2017_date_naming_it_on_the_page_and_in_the_api(case, manager, client):
    log_in(client, manager)
    assert TOO_OLD in notify_on_the_page(client, case, "2017-06-01").content.decode()
    response = client.post(
        "/api/v1/notifications/",
        {"case": case.pk, "aware_on": "2017-06-01", "incident_local_authority": "Northshire"},
        content_type="application/json",
    )
    assert response.status_code == 409 and TOO_OLD in str(response.json()["aware_on"])
    assert not SeriousIncidentNotification.objects.exists()


def test_marked_on_the_page_it_accepts_a_2017_date_and_the_mark_is_audited(case, manager, client):
    log_in(client, manager)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Mark as brought in from before this system" in page
    response = mark(client, case, brought_in="on", source="Spreadsheet export", reason="Under way in 2017")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.brought_in, case.brought_in_source, case.brought_in_reason) == (
        True,
        "Spreadsheet export",
        "Under way in 2017",
    )
    event = AuditEvent.objects.get(action="change", subject_id=case.pk, detail__has_key="brought_in")
    assert event.actor == manager and event.detail["brought_in"] == [False, True]
    assert event.detail["source"] == "Spreadsheet export" and event.detail["reason"] == "Under way in 2017"
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Brought in from before this system" in page and "Spreadsheet export" in page

    assert notify_on_the_page(client, case, "2017-06-01").status_code == 302
    assert SeriousIncidentNotification.objects.get(case=case).aware_on == D(2017, 6, 1)


def test_marked_through_the_api_its_review_may_be_dated_2017_but_still_in_order(case, manager, client):
    auth = {"HTTP_AUTHORIZATION": api_authorization(manager)}
    response = client.post(
        f"/api/v1/cases/{case.pk}/brought-in/",
        {"brought_in": True, "source": "Paper file", "reason": "Case from 2017"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    assert (response.json()["brought_in"], response.json()["brought_in_source"]) == (True, "Paper file")

    body = {
        "case": case.pk,
        "kind": "local_cspr",
        "decided_on": "2017-07-03",
        "commissioned_on": "2017-07-01",
    }
    response = client.post("/api/v1/reviews/", body, content_type="application/json", **auth)
    assert response.status_code == 409
    assert (
        "The date the review was commissioned (1 July 2017) must be on or after the date of the decision (3 July 2017)"
        in str(response.json())
    )
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        "/api/v1/reviews/", {**body, "commissioned_on": future}, content_type="application/json", **auth
    )
    assert response.status_code == 409 and "must be today or in the past" in str(response.json())
    assert not Review.objects.exists()

    response = client.post(
        "/api/v1/reviews/", {**body, "commissioned_on": "2017-07-10"}, content_type="application/json", **auth
    )
    assert response.status_code == 201 and response.json()["commissioned_on"] == "2017-07-10"


def test_order_and_the_future_still_apply_to_a_case_brought_in(case, manager):
    from django.core.exceptions import ValidationError

    from cases import services

    services.set_brought_in(
        actor=manager, case=case, brought_in=True, source="Paper file", reason="2017 case"
    )
    case.refresh_from_db()
    with pytest.raises(
        ValidationError, match=r"must be on or after the date of the incident \(20 May 2017\)"
    ):
        notification_services.record_notification(
            actor=manager, case=case, aware_on=D(2017, 5, 1), incident_local_authority="North"
        )
    with pytest.raises(ValidationError, match="must be today or in the past"):
        notification_services.record_notification(
            actor=manager,
            case=case,
            aware_on=dt.date.today() + dt.timedelta(days=1),
            incident_local_authority="North",
        )
    notification = notification_services.record_notification(
        actor=manager, case=case, aware_on=D(2017, 6, 1), incident_local_authority="North"
    )
    with pytest.raises(
        ValidationError, match=r"must be on or after the date the local authority became aware"
    ):
        notification_services.record_panel_notification(
            actor=manager,
            notification=notification,
            notified_panel_on=D(2017, 5, 30),
            panel_reference="SIN-1",
        )


def test_marking_without_a_source_or_a_reason_is_refused_and_nothing_is_saved(case, manager, client):
    log_in(client, manager)
    html = mark(client, case, brought_in="on", source="", reason="").content.decode()
    assert "There is a problem" in html
    assert "Enter where the case was brought in from" in html
    assert "Enter why the case&#x27;s dates may be older than 29 June 2018" in html
    response = client.post(
        f"/api/v1/cases/{case.pk}/brought-in/",
        {"brought_in": True, "source": "Paper file"},
        content_type="application/json",
    )
    assert response.status_code == 409 and "reason" in response.json()
    case.refresh_from_db()
    assert not case.brought_in and not AuditEvent.objects.filter(detail__has_key="brought_in").exists()


def test_unmarking_needs_a_reason_and_then_old_dates_are_refused_again(case, manager, client):
    from cases import services

    services.set_brought_in(
        actor=manager, case=case, brought_in=True, source="Paper file", reason="2017 case"
    )
    log_in(client, manager)
    assert "Enter why the case is no longer marked" in mark(client, case, reason="").content.decode()
    assert mark(client, case, reason="Marked by mistake").status_code == 302
    case.refresh_from_db()
    assert (case.brought_in, case.brought_in_source) == (False, "")
    assert TOO_OLD in notify_on_the_page(client, case, "2017-06-01").content.decode()


def test_only_the_business_team_of_the_partnership_may_mark_a_case(case, north, outsider, client):
    practitioner = member(north, Role.PRACTITIONER, username="pat")
    data = {"brought_in": True, "source": "Paper file", "reason": "2017"}
    for user, refused in ((practitioner, 404), (outsider, 404)):
        log_in(client, user)
        assert mark(client, case, **data).status_code == refused
        assert client.post(f"/api/v1/cases/{case.pk}/brought-in/", data).status_code == refused
    assert not Case.objects.get(pk=case.pk).brought_in
