"""The learning themes now belong to the kernel (``cspr.LearningTheme``). State only:
the theme table and the tables linking it to publications and briefings stay."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0002_seed_learning_themes"),
        ("cspr", "0003_learning_themes_move_to_the_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="publication",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="publications", to="cspr.learningtheme"
                    ),
                ),
                migrations.AlterField(
                    model_name="briefing",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="briefings", to="cspr.learningtheme"
                    ),
                ),
                migrations.DeleteModel(name="LearningTheme"),
            ],
            database_operations=[],
        ),
    ]
