"""The messaging and calendar feed models left this app for ``messaging`` and
``deadlines``. State only: their tables stay where they are, now owned there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_milestones_carry_the_due_date"),
        ("messaging", "0001_initial"),
        ("deadlines", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DeliveryLog"),
                migrations.DeleteModel(name="Message"),
                migrations.DeleteModel(name="EmailPreference"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
            database_operations=[],
        ),
    ]
