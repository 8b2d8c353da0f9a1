"""The per-child columns of ``Case`` and ``Referral`` go, once ``0004`` copied
them into each case's and referral's first child; "Not known" is coded
``not_known`` everywhere (as in ``cases.codes``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_first_child_from_the_old_columns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="case",
            name="caused_serious_harm_to_another",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_age_years",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_disability",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_ethnicity",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_in_need",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_initials",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_protection_plan",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_sex",
        ),
        migrations.RemoveField(
            model_name="case",
            name="child_unborn",
        ),
        migrations.RemoveField(
            model_name="case",
            name="looked_after",
        ),
        # A default first, so that migrating back can add the column to existing
        # rows (``0004`` backwards then writes each case's first child's nature).
        migrations.AlterField(
            model_name="case",
            name="outcome",
            field=models.CharField(
                choices=[("died", "Died"), ("seriously_harmed", "Seriously harmed")],
                default="seriously_harmed",
                max_length=20,
            ),
        ),
        migrations.RemoveField(
            model_name="case",
            name="outcome",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_address",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_date_of_birth",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_ethnicity",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_name",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_sex",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="child_unborn",
        ),
        migrations.RemoveField(
            model_name="referral",
            name="outcome",
        ),
        migrations.AlterField(
            model_name="referral",
            name="childrens_social_care_aware",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                max_length=10,
                verbose_name="Does the local authority's children's social care know about this?",
            ),
        ),
    ]
