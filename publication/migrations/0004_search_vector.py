"""The learning library's stored search vectors, with GIN indexes, and the triggers
that keep them up to date whenever a row is written (by a service, the admin or a
bulk insert). PostgreSQL only: on SQLite the columns stay empty and the library
searches with icontains."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# (table, [(column, weight)]): the title weighs most.
VECTORS = {
    "publication_publication": [
        ("title", "A"),
        ("reviewer_names", "B"),
        ("summary_of_improvements", "B"),
        ("systemic_analysis", "C"),
    ],
    "publication_briefing": [
        ("title", "A"),
        ("key_learning", "B"),
        ("what_should_change", "B"),
        ("background", "C"),
        ("what_happened", "C"),
    ],
}


def _expression(columns, row="NEW"):
    return " || ".join(
        f"setweight(to_tsvector('pg_catalog.english', coalesce({row}.{column}, '')), '{weight}')"
        for column, weight in columns
    )


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in VECTORS.items():
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger AS $$
            BEGIN
                NEW.search_vector := {_expression(columns)};
                RETURN NEW;
            END
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
            CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_search_vector();
        """)
        unqualified = _expression(columns).replace("NEW.", "")
        schema_editor.execute(f"UPDATE {table} SET search_vector = {unqualified}")  # noqa: S608 (constant names)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in VECTORS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}; "
            f"DROP FUNCTION IF EXISTS {table}_search_vector();"
        )


class PostgresOnlyAddIndex(migrations.AddIndex):
    """A GIN index: PostgreSQL has it, SQLite keeps it in the state only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("publication", "0003_learning_themes_moved_to_the_kernel")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="briefing",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgresOnlyAddIndex(
            model_name="publication",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="publication_search"
            ),
        ),
        PostgresOnlyAddIndex(
            model_name="briefing",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="briefing_search"),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
