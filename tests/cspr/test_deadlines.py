"""Statutory clocks: the rule table, due dates, and opening, meeting and waiving a deadline."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cspr import services
from cspr.deadlines import RULES, Unit, compute_due_date, get_rule
from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from cspr.services import mark_missed_deadlines
from tests.factories import PartnershipFactory, member

D = dt.date


def test_every_rule_names_its_source_whom_it_binds_and_its_trigger():
    for rule in RULES.values():
        assert rule.source and rule.binds and rule.trigger and rule.title, rule.code


def test_the_clocks_of_domain_md_are_all_in_the_table():
    expected = {
        "notify_panel": (5, Unit.WORKING_DAYS),
        "tell_partners": (5, Unit.WORKING_DAYS),
        "notify_ofsted_looked_after_death": (5, Unit.WORKING_DAYS),
        "notify_care_leaver_death": (5, Unit.WORKING_DAYS),
        "rapid_review": (15, Unit.WORKING_DAYS),
        "lcspr_final_report": (6, Unit.CALENDAR_MONTHS),
        "copies_before_publication": (7, Unit.WORKING_DAYS_BEFORE),
        "publication_window": (12, Unit.CALENDAR_MONTHS),
        "yearly_report": (12, Unit.CALENDAR_MONTHS),
    }
    for code, (duration, unit) in expected.items():
        assert (RULES[code].duration, RULES[code].unit) == (duration, unit), code


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="Unknown deadline rule"):
        get_rule("tomorrow")


@pytest.mark.django_db
def test_local_cspr_months_and_copies_lead_time_are_partnership_settings():
    partnership = PartnershipFactory(lcspr_months=9, copies_before_publication_working_days=10)
    lcspr = get_rule("lcspr_final_report")
    assert compute_due_date(lcspr, D(2026, 8, 31), partnership=partnership) == D(2027, 5, 31)
    assert compute_due_date(lcspr, D(2026, 8, 31)) == D(2027, 2, 28)
    copies = get_rule("copies_before_publication")
    # Ten working days before Friday 15 January 2027, skipping Christmas and New Year.
    assert compute_due_date(copies, D(2027, 1, 15), partnership=partnership) == D(2026, 12, 31)


@pytest.mark.django_db
def test_opening_a_deadline_twice_keeps_one_row_and_moves_its_dates():
    partnership = PartnershipFactory()
    subject = partnership  # any model instance can start a clock
    first = services.open_deadline(
        rule="notify_panel",
        subject=subject,
        partnership=partnership,
        start_date=D(2026, 11, 23),
        reference="NCC-2026-001",
    )
    assert first.due_date == D(2026, 11, 30)
    again = services.open_deadline(
        rule="notify_panel",
        subject=subject,
        partnership=partnership,
        start_date=D(2026, 11, 24),
        reference="NCC-2026-001",
    )
    assert again.pk == first.pk
    assert Deadline.objects.get().due_date == D(2026, 12, 1)
    assert AuditEvent.objects.filter(subject_id=first.pk, action="change").exists()


@pytest.mark.django_db
def test_meeting_a_deadline_records_the_day_and_whether_it_was_on_time():
    partnership = PartnershipFactory()
    services.open_deadline(
        rule="notify_panel",
        subject=partnership,
        partnership=partnership,
        start_date=D(2026, 11, 23),
        reference="NCC-2026-001",
    )
    deadline = services.meet_deadline(rule="notify_panel", subject=partnership, met_on=D(2026, 12, 2))
    assert deadline.status == Deadline.Status.MET
    assert deadline.met_on == D(2026, 12, 2)
    event = AuditEvent.objects.filter(subject_id=deadline.pk, action="transition").get()
    assert event.detail["on_time"] is False


@pytest.mark.django_db
def test_overdue_open_deadlines_are_marked_missed_once():
    partnership = PartnershipFactory()
    services.open_deadline(
        rule="notify_panel",
        subject=partnership,
        partnership=partnership,
        start_date=D(2026, 11, 2),
        reference="NCC-2026-001",
    )
    assert mark_missed_deadlines(today=D(2026, 11, 25)) == 1
    assert mark_missed_deadlines(today=D(2026, 11, 25)) == 0
    assert Deadline.objects.get().status == Deadline.Status.MISSED


@pytest.mark.django_db
def test_only_a_partner_lead_can_waive_and_must_give_a_reason():
    partnership = PartnershipFactory()
    deadline = services.open_deadline(
        rule="tell_partners",
        subject=partnership,
        partnership=partnership,
        start_date=D(2026, 11, 23),
        reference="NCC-2026-001",
    )
    manager = member(partnership, Role.BUSINESS_MANAGER)
    lead = member(partnership, Role.PARTNER_LEAD)
    with pytest.raises(ValidationError, match="Only a partner lead"):
        services.waive_deadline(deadline=deadline, actor=manager, reason="Not needed")
    with pytest.raises(ValidationError, match="reason"):
        services.waive_deadline(deadline=deadline, actor=lead, reason="  ")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN
    services.waive_deadline(deadline=deadline, actor=lead, reason="Partners told at the strategy meeting")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WAIVED
    assert deadline.waived_by == lead


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted():
    event = AuditEvent.objects.create(action="view", subject_label="NCC-2026-001")
    event.subject_label = "something else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get().subject_label == "NCC-2026-001"
