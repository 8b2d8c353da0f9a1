"""The audit trail survives its owner: TRUNCATE is refused on PostgreSQL, and the
trail is sealed by a chain of hashes that ``manage.py verify_audit`` checks, so a
row changed by someone who can disable the triggers is found."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from cspr import auditseal
from cspr.models import AuditEvent, AuditSeal
from cspr.tasks import seal_audit_trail_task

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers of PostgreSQL")


def events(n, label="Case"):
    return [
        AuditEvent.objects.create(
            action=AuditEvent.Action.VIEW,
            subject_label=f"{label} {i}",
            detail={"rows": i, "b": [1, 2]},
            at=timezone.now() - dt.timedelta(hours=1),
        )
        for i in range(n)
    ]


def verify_output():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@postgres_only
@pytest.mark.parametrize("table", ["cspr_auditevent", "cspr_auditseal"])
def test_truncate_of_the_audit_trail_is_refused(table):
    events(2)
    auditseal.seal(grace=dt.timedelta(0))
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred: check them now, as a commit would.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Test databases may be emptied between tests; production's may not.
        cursor.execute("SET LOCAL cspr.audit_truncate_allowed = off")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() >= 2
    assert AuditSeal.objects.count() == 1


def test_seals_chain_and_verify():
    events(3)
    first = auditseal.seal(grace=dt.timedelta(0))
    assert first.row_count == AuditEvent.objects.count()
    assert first.previous is None
    assert auditseal.seal(grace=dt.timedelta(0)) is None  # nothing new
    events(2, label="Review")
    second = auditseal.seal(grace=dt.timedelta(0))
    assert second.previous == first and second.first_id == first.last_id + 1
    assert second.row_count == 2
    assert "All 2 seal(s) match" in verify_output()


def test_recent_events_wait_for_the_grace_period():
    AuditEvent.objects.create(action=AuditEvent.Action.VIEW, subject_label="just now")
    assert auditseal.seal() is None
    assert seal_audit_trail_task() == 0
    assert auditseal.seal(now=timezone.now() + dt.timedelta(hours=1)) is not None


@postgres_only
def test_a_row_changed_behind_the_triggers_breaks_its_seal():
    events(3)
    auditseal.seal(grace=dt.timedelta(0))
    victim = events(3, label="Review")[1]
    broken = auditseal.seal(grace=dt.timedelta(0))
    events(2, label="Later")
    auditseal.seal(grace=dt.timedelta(0))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE cspr_auditevent DISABLE TRIGGER cspr_auditevent_append_only")
        try:
            cursor.execute(
                "UPDATE cspr_auditevent SET subject_label = 'nothing to see' WHERE id = %s", [victim.pk]
            )
        finally:
            cursor.execute("ALTER TABLE cspr_auditevent ENABLE TRIGGER cspr_auditevent_append_only")
    with pytest.raises(CommandError, match=f"Seal {broken.pk} .*has changed"):
        call_command("verify_audit")


@postgres_only
def test_a_row_deleted_behind_the_triggers_breaks_its_seal():
    victim = events(3)[0]
    sealed = auditseal.seal(grace=dt.timedelta(0))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE cspr_auditevent DISABLE TRIGGER cspr_auditevent_append_only")
        try:
            cursor.execute("DELETE FROM cspr_auditevent WHERE id = %s", [victim.pk])
        finally:
            cursor.execute("ALTER TABLE cspr_auditevent ENABLE TRIGGER cspr_auditevent_append_only")
    with pytest.raises(CommandError, match=f"Seal {sealed.pk} .*events"):
        call_command("verify_audit")


def test_seals_are_append_only_in_the_model():
    events(1)
    sealed = auditseal.seal(grace=dt.timedelta(0))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        sealed.save()
    with pytest.raises(ValidationError):
        sealed.delete()
