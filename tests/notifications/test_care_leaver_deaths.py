"""The death of a care leaver aged 18 to 24: its own report, its own clock (5 working days
to notify the Secretary of State and Ofsted), no rapid review; the same rules through the
page and the API."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.models import AuditEvent, Deadline
from notifications import services
from notifications.models import CareLeaverDeathReport
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2027, 1, 8)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("notifications.services._today", lambda: TODAY)


def _record(north, manager, **changes):
    fields = {
        "pseudonym": "Young person R",
        "age": 19,
        "died_on": D(2026, 12, 21),
        "aware_on": D(2026, 12, 23),
    }
    fields.update(changes)
    return services.record_care_leaver_death(actor=manager, partnership=north, **fields)


def test_awareness_starts_five_working_days_to_notify_the_secretary_of_state_and_ofsted(north, manager):
    report = _record(north, manager)
    clock = Deadline.objects.get()
    assert clock.rule == "notify_care_leaver_death"
    # Wednesday 23 December 2026: Christmas, Boxing Day (substitute Monday 28) and New
    # Year's Day do not count.
    assert clock.due_date == D(2027, 1, 4)
    assert clock.reference == report.reference == "NCC-CL-2026-001"
    assert "Secretary of State and Ofsted" in clock.rule_definition.title
    assert "Panel" not in clock.rule_definition.title
    assert report.RECIPIENTS == ("The Secretary of State for Education", "Ofsted")
    assert AuditEvent.objects.filter(subject_id=report.pk, action="create").exists()


def test_recording_the_notification_meets_the_clock_and_no_rapid_review_follows(north, manager):
    report = _record(north, manager)
    services.record_care_leaver_death_notified(
        actor=manager, report=report, notified_on=D(2027, 1, 6), notification_reference="DFE-1"
    )
    clock = Deadline.objects.get()
    assert (clock.status, clock.met_on) == ("met", D(2027, 1, 6))
    assert set(Deadline.objects.values_list("rule", flat=True)) == {"notify_care_leaver_death"}


BAD = [
    ({"age": 17}, "age", "Enter an age from 18 to 24"),
    ({"age": 25}, "age", "Enter an age from 18 to 24"),
    ({"age": None}, "age", "Enter the young person's age"),
    ({"pseudonym": " "}, "pseudonym", "Enter the young person's pseudonym"),
    (
        {"died_on": D(2026, 12, 24)},
        "aware_on",
        "The date the local authority became aware (23 December 2026) must be on or after the "
        "date of death (24 December 2026)",
    ),
    ({"aware_on": TODAY + dt.timedelta(days=1)}, "aware_on", "must be today or in the past"),
    ({"died_on": TODAY + dt.timedelta(days=1), "aware_on": TODAY}, "died_on", "must be today or in the past"),
    (
        {"notified_on": D(2026, 12, 22), "notification_reference": "DFE-1"},
        "notified_on",
        "The date the Secretary of State and Ofsted were notified (22 December 2026) must be on "
        "or after the date the local authority became aware (23 December 2026)",
    ),
    (
        {"notified_on": TODAY + dt.timedelta(days=1), "notification_reference": "DFE-1"},
        "notified_on",
        "must be today or in the past",
    ),
]


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_input_on_the_page_is_refused_on_its_field_and_nothing_is_saved(
    north, manager, client, changes, field, message
):
    data = {
        "pseudonym": "Young person R",
        "age": 19,
        "died_on": "2026-12-21",
        "aware_on": "2026-12-23",
        "notified_on": "",
        "notification_reference": "",
    }
    data.update(
        {k: "" if v is None else (v.isoformat() if isinstance(v, D) else v) for k, v in changes.items()}
    )
    log_in(client, manager)
    response = client.post(reverse("notifications:care-leaver-death-create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        message.replace("'", "&#x27;") in html
        and f'href="#id_{field}{"-day" if field.endswith("_on") else ""}"' in html
    )
    assert not CareLeaverDeathReport.objects.exists() and not Deadline.objects.exists()


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_input_through_the_api_is_refused_on_its_field_and_nothing_is_saved(
    north, manager, client, changes, field, message
):
    data = {"pseudonym": "Young person R", "age": 19, "died_on": "2026-12-21", "aware_on": "2026-12-23"}
    data.update({k: v.isoformat() if isinstance(v, D) else v for k, v in changes.items()})
    log_in(client, manager)
    response = client.post(reverse("api:care-leaver-death-list"), data, content_type="application/json")
    assert response.status_code == 409, response.content
    assert any(message in text for text in response.json()[field])
    assert not CareLeaverDeathReport.objects.exists() and not Deadline.objects.exists()


def test_the_page_records_a_death_and_then_the_notification(north, manager, client):
    log_in(client, manager)
    response = client.post(
        reverse("notifications:care-leaver-death-create"),
        {
            "pseudonym": "R.T.",
            "age": "22",
            "died_on": "2026-12-21",
            "aware_on": "2026-12-23",
        },
    )
    report = CareLeaverDeathReport.objects.get()
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "4 January 2027" in detail and "Ofsted" in detail
    response = client.post(
        reverse("notifications:care-leaver-death-notified", args=[report.pk]),
        {"notified_on": "2026-12-22", "notification_reference": "DFE-1"},
    )
    assert "must be on or after the date the local authority became aware" in (response.content.decode())
    response = client.post(
        reverse("notifications:care-leaver-death-notified", args=[report.pk]),
        {"notified_on": "2027-01-06", "notification_reference": "DFE-1"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Met late: 2 working days" in detail


def test_the_api_records_a_death_and_the_notification_with_lateness(north, manager, client):
    log_in(client, manager)
    created = client.post(
        reverse("api:care-leaver-death-list"),
        {
            "pseudonym": "R.T.",
            "age": 22,
            "died_on": "2026-12-21",
            "aware_on": "2026-12-23",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"] == "NCC-CL-2026-001"
    assert body["deadlines"][0]["due_date"] == "2027-01-04"
    bad = client.post(
        reverse("api:care-leaver-death-notified", args=[body["id"]]),
        {"notified_on": None, "notification_reference": ""},
        content_type="application/json",
    )
    assert bad.status_code == 409
    done = client.post(
        reverse("api:care-leaver-death-notified", args=[body["id"]]),
        {"notified_on": "2027-01-06", "notification_reference": "DFE-1"},
        content_type="application/json",
    )
    clock = done.json()["deadlines"][0]
    assert (clock["status"], clock["met_late"], clock["working_days_late"]) == ("met", True, 2)


def test_another_partnership_and_a_practitioner_get_nothing(north, manager, practitioner, outsider, client):
    report = _record(north, manager)
    log_in(client, outsider)
    for url in (
        reverse("notifications:care-leaver-death-detail", args=[report.pk]),
        reverse("api:care-leaver-death-detail", args=[report.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("api:care-leaver-death-notified", args=[report.pk]),
            {"notified_on": "2027-01-06", "notification_reference": "X"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get(reverse("api:care-leaver-death-list")).json()["results"] == []
    assert "NCC-CL" not in client.get(reverse("notifications:care-leaver-death-list")).content.decode()
    log_in(client, practitioner)
    assert client.get(reverse("notifications:care-leaver-death-list")).status_code == 403
    assert client.get(reverse("notifications:care-leaver-death-detail", args=[report.pk])).status_code == 404
    assert "Care leaver deaths" not in client.get(reverse("home")).content.decode()
    log_in(client, manager)
    assert "Care leaver deaths" in client.get(reverse("home")).content.decode()


def test_the_lists_run_a_bounded_number_of_queries(north, manager, client, django_assert_max_num_queries):
    for day in range(1, 8):
        _record(north, manager, died_on=D(2026, 12, day), aware_on=D(2026, 12, day + 1))
    log_in(client, manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:care-leaver-death-list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("api:care-leaver-death-list")).json()["results"]) == 7


def test_a_member_of_two_partnerships_chooses_one(north, manager, client):
    other = PartnershipFactory()
    both = member(north, "business_manager")
    from tests.factories import MembershipFactory

    MembershipFactory(user=both, partnership=other, role="business_manager")
    log_in(client, both)
    response = client.post(
        reverse("api:care-leaver-death-list"),
        {
            "pseudonym": "R.T.",
            "age": 22,
            "died_on": "2026-12-21",
            "aware_on": "2026-12-23",
        },
        content_type="application/json",
    )
    assert response.status_code == 409 and "partnership" in response.json()
