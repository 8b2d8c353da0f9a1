"""The children of a case and of a referral: up to four each (issue 13). The old
per-child columns stay until ``0004`` has copied them into the first child."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_referral_child_sex_case_stage"),
        ("cspr", "0006_audit_truncate_and_app_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseChild",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ordinal", models.PositiveSmallIntegerField(verbose_name="Child number")),
                ("initials", models.CharField(blank=True, max_length=12, verbose_name="Initials")),
                ("unborn", models.BooleanField(default=False, verbose_name="The child was unborn")),
                (
                    "age_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Empty for an unborn child or when the age is not known.",
                        null=True,
                        verbose_name="Age at the incident, in months",
                    ),
                ),
                (
                    "gender",
                    models.CharField(
                        choices=[
                            ("male", "Male"),
                            ("female", "Female"),
                            ("transgender", "Transgender"),
                            ("not_known", "Not known"),
                        ],
                        default="not_known",
                        max_length=20,
                        verbose_name="Gender",
                    ),
                ),
                (
                    "ethnicity",
                    models.CharField(
                        choices=[
                            ("white", "White"),
                            ("mixed", "Mixed or Multiple ethnic groups"),
                            ("asian", "Asian or Asian British"),
                            ("black", "Black, African, Caribbean or Black British"),
                            ("other", "Other ethnic group"),
                            ("refused", "Refused"),
                            ("not_known", "Not known"),
                        ],
                        default="not_known",
                        max_length=20,
                        verbose_name="Ethnicity",
                    ),
                ),
                (
                    "ethnicity_detail",
                    models.CharField(
                        blank=True,
                        help_text="Optional: the child's ethnicity in the words of the records.",
                        max_length=100,
                        verbose_name="Ethnicity as recorded",
                    ),
                ),
                (
                    "disability",
                    models.CharField(
                        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                        default="not_known",
                        max_length=20,
                        verbose_name="Disability",
                    ),
                ),
                (
                    "disability_kind",
                    models.CharField(blank=True, max_length=200, verbose_name="Kind of disability"),
                ),
                (
                    "nature",
                    models.CharField(
                        choices=[
                            ("died", "Child death"),
                            ("seriously_harmed", "Serious harm"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="Died, seriously harmed or other",
                    ),
                ),
                (
                    "looked_after",
                    models.CharField(
                        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                        default="not_known",
                        max_length=20,
                        verbose_name="Looked-after child",
                    ),
                ),
                (
                    "placement_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("foster", "Foster placement"),
                            ("childrens_home", "Residential children's home"),
                            ("placed_with_parents", "Placed with parents"),
                            ("other", "Other placement"),
                            ("not_known", "Not known"),
                        ],
                        max_length=30,
                        verbose_name="Placement type",
                    ),
                ),
                (
                    "child_protection_plan",
                    models.CharField(
                        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                        default="not_known",
                        max_length=20,
                        verbose_name="On a child protection plan",
                    ),
                ),
                (
                    "child_in_need",
                    models.CharField(
                        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                        default="not_known",
                        max_length=20,
                        verbose_name="A child in need",
                    ),
                ),
                (
                    "known_to_agencies",
                    models.CharField(
                        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
                        default="not_known",
                        max_length=20,
                        verbose_name="Known to any agency",
                    ),
                ),
                (
                    "caused_serious_harm_to_another",
                    models.BooleanField(
                        default=False, verbose_name="The child caused serious harm to someone else"
                    ),
                ),
                (
                    "agencies",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="cspr.agency",
                        verbose_name="Agencies that knew the child",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="children", to="cases.case"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "case children",
                "ordering": ["case_id", "ordinal"],
                "constraints": [
                    models.UniqueConstraint(fields=("case", "ordinal"), name="casechild_one_per_ordinal"),
                    models.CheckConstraint(
                        condition=models.Q(("ordinal__gte", 1), ("ordinal__lte", 4)),
                        name="casechild_ordinal_1_to_4",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("age_months__isnull", True), ("age_months__lt", 216), _connector="OR"
                        ),
                        name="casechild_under_18",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReferralChild",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ordinal", models.PositiveSmallIntegerField(verbose_name="Child number")),
                ("name", models.CharField(blank=True, max_length=200, verbose_name="Full name")),
                ("date_of_birth", models.DateField(blank=True, null=True, verbose_name="Date of birth")),
                ("unborn", models.BooleanField(default=False, verbose_name="The child was unborn")),
                ("address", models.TextField(blank=True, verbose_name="Address")),
                (
                    "gender",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("male", "Male"),
                            ("female", "Female"),
                            ("transgender", "Transgender"),
                            ("not_known", "Not known"),
                        ],
                        max_length=20,
                        verbose_name="Gender",
                    ),
                ),
                (
                    "ethnicity",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("white", "White"),
                            ("mixed", "Mixed or Multiple ethnic groups"),
                            ("asian", "Asian or Asian British"),
                            ("black", "Black, African, Caribbean or Black British"),
                            ("other", "Other ethnic group"),
                            ("refused", "Refused"),
                            ("not_known", "Not known"),
                        ],
                        max_length=20,
                        verbose_name="Ethnicity",
                    ),
                ),
                (
                    "nature",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("died", "Child death"),
                            ("seriously_harmed", "Serious harm"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="Did the child die or was the child seriously harmed?",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="children",
                        to="cases.referral",
                    ),
                ),
            ],
            options={
                "ordering": ["referral_id", "ordinal"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("referral", "ordinal"), name="referralchild_one_per_ordinal"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ordinal__gte", 1), ("ordinal__lte", 4)),
                        name="referralchild_ordinal_1_to_4",
                    ),
                ],
            },
        ),
    ]
