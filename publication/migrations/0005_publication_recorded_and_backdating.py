"""The day a publication was recorded (the 12 months count from the later of it and
the publication date) and a partner lead's reason for a backdated publication date.

Reports published before this field existed take the day their publication was
recorded from the audit trail (the transition to "published"), and else from the
publication date itself (their window is left as it was).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_recorded_on(apps, schema_editor):
    from django.utils import timezone

    Publication = apps.get_model("publication", "Publication")
    AuditEvent = apps.get_model("cspr", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="publication", model="publication").first()
    for publication in Publication.objects.filter(published_on__isnull=False):
        event = None
        if content_type is not None:
            event = (
                AuditEvent.objects.filter(
                    subject_type=content_type,
                    subject_id=publication.pk,
                    action="transition",
                    detail__status=["preparing", "published"],
                )
                .order_by("at")
                .first()
            )
        publication.published_recorded_on = (
            timezone.localtime(event.at).date() if event is not None else publication.published_on
        )
        publication.save(update_fields=["published_recorded_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0004_search_vector"),
        ("cspr", "0003_learning_themes_move_to_the_kernel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="backdated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="publication",
            name="backdating_reason",
            field=models.TextField(
                blank=True,
                verbose_name="Why the publication date is more than 5 working days before it was recorded",
            ),
        ),
        migrations.AddField(
            model_name="publication",
            name="published_recorded_on",
            field=models.DateField(
                blank=True,
                help_text="The 12 months count from the later of this and the publication date.",
                null=True,
                verbose_name="Date the publication was recorded",
            ),
        ),
        migrations.RunPython(fill_recorded_on, migrations.RunPython.noop),
    ]
