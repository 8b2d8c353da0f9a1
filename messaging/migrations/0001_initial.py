"""The in-app messages, delivery log and e-mail preferences move here from the
notifications app. State only: the tables keep their names and no row moves."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from cspr.migration_operations import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("cspr", "0002_auditevent_append_only"),
        ("notifications", "0004_milestones_carry_the_due_date"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmailPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "early_reminders",
                            models.BooleanField(
                                default=True,
                                verbose_name="First reminders (3 or more working days before the due date)",
                            ),
                        ),
                        (
                            "late_reminders",
                            models.BooleanField(
                                default=True,
                                verbose_name="Last reminders (1 or 2 working days before the due date)",
                            ),
                        ),
                        (
                            "due_day_reminders",
                            models.BooleanField(default=True, verbose_name="Reminders on the due day"),
                        ),
                        (
                            "weekly_digest",
                            models.BooleanField(
                                default=True,
                                verbose_name="The weekly digest (business managers, Monday morning)",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="email_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_emailpreference",
                    },
                ),
                migrations.CreateModel(
                    name="Message",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("reminder", "Reminder"),
                                    ("escalation", "Escalation"),
                                    ("digest", "Weekly digest"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("milestone", models.CharField(max_length=30)),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "deadline",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="messages",
                                to="cspr.deadline",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cspr_messages",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_message",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="DeliveryLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("milestone", models.CharField(max_length=30)),
                        (
                            "channel",
                            models.CharField(
                                choices=[("in_app", "In the service"), ("email", "E-mail")], max_length=10
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=200)),
                        (
                            "deadline",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cspr.deadline",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "message",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="messaging.message",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_deliverylog",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="message",
                    index=models.Index(
                        condition=models.Q(("read_at__isnull", True)),
                        fields=["recipient", "-created_at"],
                        name="message_unread",
                    ),
                ),
                migrations.AddIndex(
                    model_name="deliverylog",
                    index=models.Index(
                        condition=models.Q(("channel", "email"), ("sent_at__isnull", True)),
                        fields=["created_at"],
                        name="delivery_email_unsent",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="deliverylog",
                    constraint=models.UniqueConstraint(
                        fields=("deadline", "milestone", "recipient", "channel"),
                        name="delivery_once_per_deadline",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="deliverylog",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("deadline__isnull", True)),
                        fields=("milestone", "recipient", "channel"),
                        name="delivery_once_without_deadline",
                    ),
                ),
            ],
            database_operations=[],
        ),
        move_content_types(
            models=["message", "deliverylog", "emailpreference"], source="notifications", target="messaging"
        ),
    ]
