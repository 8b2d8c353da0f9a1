from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_commissioned_on_from_the_clock_or_creation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="commissioned_on",
            field=models.DateField(verbose_name="Date the review was commissioned"),
        ),
    ]
