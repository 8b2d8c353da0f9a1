"""Lateness is never hidden: a clock met after its due date shows "Met late: N working
days" (counted by the one calendar) on the case page and in the API, and a correction
that turns a clock late or on time says so."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr import services
from cspr.deadlines import lateness
from cspr.models import AuditEvent
from notifications import services as notification_services
from tests.factories import CaseFactory, log_in

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("notifications.services._today", lambda: D(2027, 1, 29))


@pytest.fixture
def notified(north, manager):
    case = CaseFactory(partnership=north, incident_date=D(2026, 12, 20))
    notification = notification_services.record_notification(
        actor=manager, case=case, aware_on=D(2026, 12, 23), incident_local_authority="North"
    )
    # Due Monday 4 January 2027; notified Wednesday 6 January: 2 working days late.
    notification_services.record_panel_notification(
        actor=manager, notification=notification, notified_panel_on=D(2027, 1, 6), panel_reference="SIN-1"
    )
    return notification


def test_the_kernel_counts_working_days_late_across_a_bank_holiday(north):
    clock = services.open_deadline(
        rule="notify_panel", subject=north, partnership=north, start_date=D(2026, 12, 22), reference="X"
    )
    assert clock.due_date == D(2026, 12, 31)
    services.meet_deadline(rule="notify_panel", subject=north, met_on=D(2027, 1, 4))
    clock.refresh_from_db()
    late = lateness(clock)
    assert (late.met_late, late.working_days_late) == (True, 1)  # 1 January is a holiday
    assert late.label == "Met late: 1 working day"


def test_the_case_page_and_the_case_api_show_met_late(notified, manager, client):
    log_in(client, manager)
    html = client.get(reverse("cases:case-detail", args=[notified.case.pk])).content.decode()
    assert "Met late: 2 working days" in html
    clocks = client.get(reverse("api:case-detail", args=[notified.case.pk])).json()["deadlines"]
    by_rule = {c["rule"]: c for c in clocks}
    assert (by_rule["notify_panel"]["met_late"], by_rule["notify_panel"]["working_days_late"]) == (True, 2)
    assert (by_rule["tell_partners"]["met_late"], by_rule["tell_partners"]["working_days_late"]) == (
        False,
        None,
    )


def test_the_deadlines_api_carries_the_fields(north, manager, client):
    services.open_deadline(
        rule="notify_panel",
        subject=north,
        partnership=north,
        start_date=D(2027, 1, 4),
        reference="NCC-2027-001",
    )
    log_in(client, manager)
    row = client.get(reverse("api:deadline-list")).json()["results"][0]
    assert (row["met_late"], row["working_days_late"]) == (False, None)


def test_a_correction_that_turns_a_clock_on_time_says_so_and_audits_it(notified, manager, client):
    log_in(client, manager)
    response = client.post(
        reverse("notifications:notification-correct", args=[notified.pk]),
        {
            "aware_on": "2026-12-23",
            "notified_panel_on": "2027-01-04",
            "panel_reference": "SIN-1",
            "reason": "Typed wrongly",
        },
        follow=True,
    )
    assert "now met on time" in response.content.decode()
    event = AuditEvent.objects.filter(detail__has_key="lateness").get()
    assert event.detail["lateness"] == "now met on time"


def test_a_correction_that_turns_a_clock_late_says_so(notified, manager):
    correction = notification_services.correct_notification(
        actor=manager, notification=notified, reason="Typed wrongly", aware_on=D(2026, 12, 30)
    )
    # Awareness 30 December: due 7 January; notified 6 January, now on time.
    panel = next(c for c in correction.clocks if c.deadline.rule == "notify_panel")
    assert panel.lateness_change == "now met on time"
    correction = notification_services.correct_notification(
        actor=manager, notification=notified, reason="Typed wrongly again", aware_on=D(2026, 12, 21)
    )
    panel = next(c for c in correction.clocks if c.deadline.rule == "notify_panel")
    assert panel.lateness_change == "now met late: 4 working days"
