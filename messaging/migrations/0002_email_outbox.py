"""The e-mail outbox: each delivery log row gets a status, the moment of its next
attempt and a sender's lease. Rows already sent become "sent" (in-app rows are
written when they are delivered, so all of them); e-mails never accepted become
"queued", due now: the outbox sends them, or cancels those whose moment passed."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def set_statuses(apps, schema_editor):
    DeliveryLog = apps.get_model("messaging", "DeliveryLog")
    rows = DeliveryLog.objects.using(schema_editor.connection.alias)
    rows.filter(models.Q(sent_at__isnull=False) | models.Q(channel="in_app")).update(status="sent")
    rows.filter(channel="email", sent_at__isnull=True).update(status="queued")


class Migration(migrations.Migration):
    dependencies = [
        ("cspr", "0003_learning_themes_move_to_the_kernel"),
        ("messaging", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverylog",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deliverylog",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deliverylog",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="deliverylog",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed, to be tried again"),
                    ("abandoned", "Not delivered"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.RunPython(set_statuses, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="deliverylog",
            index=models.Index(
                condition=models.Q(("channel", "email"), ("status__in", ["queued", "failed", "sending"])),
                fields=["next_attempt_at"],
                name="delivery_email_outbox",
            ),
        ),
        migrations.AddIndex(
            model_name="deliverylog",
            index=models.Index(
                condition=models.Q(("channel", "email"), ("status__in", ["failed", "abandoned"])),
                fields=["status"],
                name="delivery_email_undelivered",
            ),
        ),
    ]
