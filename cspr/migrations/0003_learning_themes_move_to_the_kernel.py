"""The learning themes move here from the publication app, so that any stage may tag
with them. State only: the table keeps its name and no row moves."""

from django.db import migrations, models


def _move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model="learningtheme"
    ).update(app_label=target)


def forward(apps, schema_editor):
    _move_content_type(apps, schema_editor, "publication", "cspr")


def backward(apps, schema_editor):
    _move_content_type(apps, schema_editor, "cspr", "publication")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("cspr", "0002_auditevent_append_only"),
        ("publication", "0002_seed_learning_themes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LearningTheme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120, unique=True)),
                        ("slug", models.SlugField(max_length=120, unique=True)),
                        ("active", models.BooleanField(default=True)),
                    ],
                    options={
                        "db_table": "publication_learningtheme",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forward, backward),
    ]
