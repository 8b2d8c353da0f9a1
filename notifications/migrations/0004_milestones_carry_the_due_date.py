"""Reminder and escalation milestones carry the due date they count to
("reminder-5" -> "reminder-5-20261130", "missed" -> "missed-20261130"), so that a
clock moved by a correction is reminded again. Rows written before are renamed
with their deadline's due date, so nothing already sent is sent again."""

import re

from django.db import migrations

OLD = re.compile(r"^(reminder-\d+|missed)$")


def add_due_dates(apps, schema_editor):
    for name in ("DeliveryLog", "Message"):
        model = apps.get_model("notifications", name)
        rows = (
            model.objects.filter(deadline__isnull=False)
            .filter(milestone__regex=r"^(reminder-[0-9]+|missed)$")
            .select_related("deadline")
        )
        changed = []
        for row in rows.iterator(chunk_size=2000):
            if OLD.match(row.milestone):
                row.milestone = f"{row.milestone}-{row.deadline.due_date:%Y%m%d}"
                changed.append(row)
        model.objects.bulk_update(changed, ["milestone"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_messaging")]

    # Going back leaves the new names: renaming them back could make two rows of one
    # moved clock collide on the delivery log's unique key.
    operations = [migrations.RunPython(add_due_dates, migrations.RunPython.noop)]
