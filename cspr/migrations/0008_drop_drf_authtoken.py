"""API tokens moved from DRF's ``rest_framework.authtoken`` (kept in clear, never
expiring) to django-rest-knox (hashed, expiring): the old table goes with every token
in it, and its content type and permissions. Holders issue a new token on the
"API tokens" page after two-factor sign-in."""

from django.db import migrations


def forget_authtoken_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cspr", "0007_two_factor_required_by_default"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(forget_authtoken_content_types, migrations.RunPython.noop),
    ]
