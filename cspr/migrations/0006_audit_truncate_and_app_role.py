"""The audit trail survives its owner's application: on PostgreSQL, TRUNCATE of the
audit events or their seals raises (a statement-level trigger; the row triggers of
0002 do not fire on TRUNCATE), the seals are append-only like the events, and the
application's role (``cspr_app``, when it exists) may only read and add rows.
The TRUNCATE trigger stops the owner's mistakes (``manage.py flush``, a TRUNCATE
... CASCADE from a table the events refer to); the setting
``cspr.audit_truncate_allowed`` lets the test databases be emptied between tests.
The application's role could set it too, but holds no TRUNCATE privilege.
SQLite has no triggers of this kind or roles: nothing to do there."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cspr_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    -- Test databases only: Django empties them with TRUNCATE between tests.
    IF current_setting('cspr.audit_truncate_allowed', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE of % is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cspr_auditevent_no_truncate ON cspr_auditevent;
CREATE TRIGGER cspr_auditevent_no_truncate
    BEFORE TRUNCATE ON cspr_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION cspr_audit_no_truncate();
DROP TRIGGER IF EXISTS cspr_auditseal_no_truncate ON cspr_auditseal;
CREATE TRIGGER cspr_auditseal_no_truncate
    BEFORE TRUNCATE ON cspr_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION cspr_audit_no_truncate();
DROP TRIGGER IF EXISTS cspr_auditseal_append_only ON cspr_auditseal;
CREATE TRIGGER cspr_auditseal_append_only
    BEFORE UPDATE OR DELETE ON cspr_auditseal
    FOR EACH ROW EXECUTE FUNCTION cspr_auditevent_append_only();
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cspr_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
            ON cspr_auditevent, cspr_auditseal FROM cspr_app;
        GRANT SELECT, INSERT ON cspr_auditevent, cspr_auditseal TO cspr_app;
    END IF;
END
$$;
"""

DROP = """
DROP TRIGGER IF EXISTS cspr_auditseal_append_only ON cspr_auditseal;
DROP TRIGGER IF EXISTS cspr_auditseal_no_truncate ON cspr_auditseal;
DROP TRIGGER IF EXISTS cspr_auditevent_no_truncate ON cspr_auditevent;
DROP FUNCTION IF EXISTS cspr_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cspr", "0005_audit_seal")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
