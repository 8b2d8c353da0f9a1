"""The learning themes move here from the publication app, so that any stage may tag
with them. State only: the table keeps its name and no row moves."""

from django.db import migrations, models

from cspr.migration_operations import move_content_types


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
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
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
        move_content_types(models=["learningtheme"], source="publication", target="cspr"),
    ]
