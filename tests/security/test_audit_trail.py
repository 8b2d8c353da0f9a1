"""The audit trail: business managers and partner leads see, filter and export
their own partnerships' events; the database refuses to change or delete any;
permission changes are recorded."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from cspr import audit
from cspr.models import AuditEvent, Membership
from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def north():
    return PartnershipFactory(name="Northshire", code="NCC")


@pytest.fixture
def manager(north):
    return member(north, Role.BUSINESS_MANAGER, username="morgan")


def event(partnership, label, action=AuditEvent.Action.VIEW, actor=None, days_ago=0):
    return AuditEvent.objects.create(
        partnership=partnership,
        subject_label=label,
        action=action,
        actor=actor,
        at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_a_business_manager_sees_only_their_partnerships_events(client, north, manager):
    south = PartnershipFactory(name="Southport", code="SBC")
    event(north, "NCC-2026-001")
    event(south, "SBC-2026-009")
    log_in(client, manager)
    html = client.get(reverse("audit-trail")).content.decode()
    assert "NCC-2026-001" in html
    assert "SBC-2026-009" not in html
    assert 'href="/audit/"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.LEAD_REVIEWER, Role.PANEL_LIAISON])
def test_other_roles_are_refused_the_audit_trail_and_its_export(client, north, role):
    log_in(client, member(north, role))
    assert client.get(reverse("audit-trail")).status_code == 403
    assert client.get(reverse("audit-trail-export")).status_code == 403
    assert 'href="/audit/"' not in client.get(reverse("home")).content.decode()


def test_the_trail_filters_by_action_dates_reference_and_actor(client, north, manager):
    lead = member(north, Role.PARTNER_LEAD, username="priya")
    event(north, "NCC-2026-001", actor=lead, action=AuditEvent.Action.EXPORT)
    event(north, "NCC-2026-002", actor=manager, days_ago=10)
    event(north, "NCC-2026-003", actor=manager)
    log_in(client, manager)

    def labels(**query):
        html = client.get(reverse("audit-trail"), query).content.decode()
        return {f"NCC-2026-00{i}" for i in (1, 2, 3) if f"NCC-2026-00{i}" in html}

    assert labels(action="export") == {"NCC-2026-001"}
    assert labels(reference="2026-002") == {"NCC-2026-002"}
    assert labels(actor=lead.pk) == {"NCC-2026-001"}
    today = timezone.localdate()
    assert labels(date_from=(today - dt.timedelta(days=2)).isoformat()) == {"NCC-2026-001", "NCC-2026-003"}
    assert labels(date_to=(today - dt.timedelta(days=5)).isoformat()) == {"NCC-2026-002"}


def test_a_date_range_the_wrong_way_round_gets_a_field_message(client, north, manager):
    log_in(client, manager)
    response = client.get(reverse("audit-trail"), {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "must be the same as or after" in html
    assert "<title>Error:" in html


def test_the_actor_filter_offers_only_members_of_the_users_partnerships(client, north, manager):
    stranger = member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="stranger")
    log_in(client, manager)
    response = client.get(reverse("audit-trail"), {"actor": stranger.pk})
    assert "Select a valid choice" in response.content.decode()


def test_the_trail_is_paginated_and_runs_a_bounded_number_of_queries(
    client, north, manager, django_assert_max_num_queries
):
    actors = [member(north, Role.PRACTITIONER) for _ in range(5)]
    for i in range(120):
        event(north, f"NCC-2026-{i:03d}", actor=actors[i % 5])
    log_in(client, manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("audit-trail"))
    html = response.content.decode()
    assert "Page 1 of 3" in html
    assert html.count('<tr class="govuk-table__row">') == 51  # header + 50
    with django_assert_max_num_queries(14):
        assert "Page 3 of 3" in client.get(reverse("audit-trail"), {"page": 3}).content.decode()


def test_the_export_is_a_csv_of_the_filtered_events_and_is_itself_audited(
    client, north, manager, django_assert_max_num_queries
):
    event(north, "NCC-2026-001", actor=manager)
    event(north, "=HYPERLINK(evil)", actor=manager)
    event(north, "NCC-2026-777", action=AuditEvent.Action.EXPORT)
    event(PartnershipFactory(), "XXX-2026-001")
    log_in(client, manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("audit-trail-export"), {"action": "view"})
        body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["When", "Partnership", "What happened", "Object"]
    objects = {row[3] for row in rows[1:]}
    assert objects == {"NCC-2026-001", "'=HYPERLINK(evil)"}  # formulas are not run
    export = AuditEvent.objects.get(action="export", actor=manager)
    assert export.partnership == north
    assert export.detail == {"filters": {"action": "view"}}


def test_the_database_refuses_to_update_or_delete_audit_events(north):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    row = event(north, "NCC-2026-001")
    for sql in (
        "UPDATE cspr_auditevent SET subject_label = 'changed' WHERE id = %s",
        "DELETE FROM cspr_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=row.pk).update(subject_label="changed")
    row.refresh_from_db()
    assert row.subject_label == "NCC-2026-001"


def test_membership_changes_are_permission_events_with_the_actor(north, manager):
    token = audit.set_current_actor(manager)
    try:
        newcomer = member(north, Role.PRACTITIONER, username="newcomer")
        membership = Membership.objects.get(user=newcomer)
        membership.role = Role.LEAD_REVIEWER
        membership.save()
        membership.delete()
    finally:
        audit.reset_current_actor(token)
    events = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION, partnership=north).order_by("id")
    )
    changes = [e.detail["change"] for e in events if e.detail["user_id"] == newcomer.pk]
    assert changes == ["created", "changed", "deleted"]
    changed = [e for e in events if e.detail["change"] == "changed"][0]
    assert changed.detail["fields"] == {"role": {"from": "practitioner", "to": "lead_reviewer"}}
    assert all(e.actor == manager for e in events if e.detail["user_id"] == newcomer.pk)
    assert all("newcomer" not in e.subject_label for e in events)


def test_a_membership_added_in_the_admin_is_audited_as_done_by_the_admin(admin_client, admin_user, north):
    user = member(PartnershipFactory(), Role.PRACTITIONER)
    response = admin_client.post(
        "/admin/cspr/membership/add/",
        {"user": user.pk, "partnership": north.pk, "role": Role.PRACTITIONER, "agency": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(
        action="permission", partnership=north, actor=admin_user, detail__change="created"
    ).exists()
