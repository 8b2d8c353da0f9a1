"""The serious incident notification starts, meets and waives the statutory clocks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from cspr.models import Deadline
from notifications import services
from notifications.models import SeriousIncidentNotification as Notification
from tests.factories import LOOKED_AFTER_CHILD_DIED, CaseFactory, log_in

pytestmark = pytest.mark.django_db
D = dt.date


TODAY = D(2027, 1, 8)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The clocks are checked in winter 2026/27: "today" is Friday 8 January 2027."""
    monkeypatch.setattr("notifications.services._today", lambda: TODAY)


@pytest.fixture
def case(north):
    return CaseFactory(partnership=north, reference="NCC-2026-001", incident_date=D(2026, 12, 20))


def test_awareness_on_wednesday_23_december_2026_makes_the_panel_due_on_monday_4_january_2027(case, manager):
    notification = services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
    )
    deadlines = {d.rule: d for d in Deadline.objects.all()}
    assert set(deadlines) == {"notify_panel", "tell_partners"}
    assert deadlines["notify_panel"].due_date == D(2027, 1, 4)
    assert deadlines["notify_panel"].reference == "NCC-2026-001"
    case.refresh_from_db()
    assert case.stage == Case.Stage.NOTIFICATION
    assert notification.residence_local_authority == "Northshire"


def test_a_looked_after_childs_death_also_starts_the_ofsted_clock_which_the_ofsted_date_meets(north, manager):
    case = CaseFactory(partnership=north, children=[LOOKED_AFTER_CHILD_DIED], incident_date=D(2026, 11, 20))
    with pytest.raises(ValidationError) as exc:
        services.record_notification(
            actor=manager, case=case, aware_on=D(2026, 11, 23), incident_local_authority="Northshire"
        )
    assert "ofsted_required" in exc.value.message_dict
    notification = services.record_notification(
        actor=manager,
        case=case,
        aware_on=D(2026, 11, 23),
        incident_local_authority="Northshire",
        ofsted_required=True,
    )
    assert Deadline.objects.get(rule="notify_ofsted_looked_after_death").due_date == D(2026, 11, 30)
    services.record_panel_notification(
        actor=manager,
        notification=notification,
        notified_panel_on=D(2026, 11, 25),
        panel_reference="SIN-9",
        notified_ofsted_on=D(2026, 11, 26),
    )
    statuses = {d.rule: (d.status, d.met_on) for d in Deadline.objects.all()}
    assert statuses["notify_panel"] == ("met", D(2026, 11, 25))
    assert statuses["notify_ofsted_looked_after_death"] == ("met", D(2026, 11, 26))
    assert statuses["tell_partners"] == ("open", None)


@pytest.mark.parametrize(
    "bad, message",
    [
        (D(2026, 12, 22), "must be on or after the date the local authority became aware"),
        (TODAY + dt.timedelta(days=1), "must be today or in the past"),
    ],
)
def test_a_panel_date_before_awareness_or_in_the_future_is_refused_on_the_field(
    case, manager, client, bad, message
):
    notification = services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
    )
    log_in(client, manager)
    response = client.post(
        reverse("notifications:notification-panel", args=[notification.pk]),
        {"notified_panel_on": bad.isoformat(), "panel_reference": "SIN-1"},
    )
    html = response.content.decode()
    assert message in html and '<a href="#id_notified_panel_on-day">' in html
    notification.refresh_from_db()
    assert notification.status == Notification.Status.AWARE
    assert Deadline.objects.get(rule="notify_panel").status == "open"


def test_recording_the_panel_notification_twice_is_refused(case, manager):
    notification = services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
    )
    services.record_panel_notification(
        actor=manager, notification=notification, notified_panel_on=D(2026, 12, 24), panel_reference="A"
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_panel_notification(
            actor=manager, notification=notification, notified_panel_on=D(2026, 12, 29), panel_reference="B"
        )
    notification.refresh_from_db()
    assert notification.panel_reference == "A"


def test_a_second_notification_for_a_case_is_refused(case, manager):
    services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_notification(
            actor=manager, case=case, aware_on=D(2026, 12, 24), incident_local_authority="Northshire"
        )


def test_withdrawing_withdraws_the_case_and_waives_its_open_clocks_with_the_reason(case, manager, client):
    notification = services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
    )
    log_in(client, manager)
    url = reverse("notifications:notification-withdraw", args=[notification.pk])
    assert "There is a problem" in client.post(url, {"reason": ""}).content.decode()
    assert Deadline.objects.filter(status="open").count() == 2
    client.post(url, {"reason": "No abuse or neglect suspected after the strategy meeting."})
    notification.refresh_from_db()
    case.refresh_from_db()
    assert notification.status == Notification.Status.WITHDRAWN
    assert case.status == Case.Status.WITHDRAWN
    for deadline in Deadline.objects.all():
        assert deadline.status == "waived"
        assert "No abuse or neglect suspected" in deadline.waived_reason
        assert deadline.waived_by == manager
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_notification(actor=manager, notification=notification, reason="again")


def test_a_practitioner_cannot_record_a_notification(case, practitioner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_notification(
            actor=practitioner, case=case, aware_on=D(2026, 12, 23), incident_local_authority="Northshire"
        )
    assert not Deadline.objects.exists()
