"""The audit trail is append-only in the database too: on PostgreSQL a trigger
refuses any UPDATE or DELETE of cspr_auditevent, whoever connects."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cspr_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Audit events are append-only: % on cspr_auditevent is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cspr_auditevent_append_only ON cspr_auditevent;
CREATE TRIGGER cspr_auditevent_append_only
    BEFORE UPDATE OR DELETE ON cspr_auditevent
    FOR EACH ROW EXECUTE FUNCTION cspr_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS cspr_auditevent_append_only ON cspr_auditevent;
DROP FUNCTION IF EXISTS cspr_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cspr", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
