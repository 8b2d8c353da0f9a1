"""Existing reviews get the day they were commissioned: for a local review, the day its
case's "commission the review" clock was met where there is one (it was met on the day the review was created),
else the day the review was created; never before the decision, nor after the final
report was received (a review brought in with its dates, such as a legacy serious case
review, is dated within them)."""

from django.db import migrations
from django.utils import timezone


def fill_commissioned_on(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    Deadline = apps.get_model("cspr", "Deadline")
    for review in Review.objects.filter(commissioned_on__isnull=True).select_related("case").iterator():
        met_on = review.kind == "local_cspr" and (
            Deadline.objects.filter(
                rule="commission_review",
                status="met",
                partnership_id=review.partnership_id,
                reference=review.case.reference,
            )
            .values_list("met_on", flat=True)
            .first()
        )
        day = met_on or timezone.localdate(review.created_at)
        if review.final_report_received_on and day > review.final_report_received_on:
            day = review.final_report_received_on
        day = max(day, review.decided_on)
        Review.objects.filter(pk=review.pk).update(commissioned_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_commissioned_on"),
        ("cspr", "0006_audit_truncate_and_app_role"),
    ]

    operations = [migrations.RunPython(fill_commissioned_on, migrations.RunPython.noop)]
