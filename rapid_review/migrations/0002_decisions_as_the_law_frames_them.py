"""Decisions as the law frames them: the partners choose between a local child
safeguarding practice review, another learning review and no further review; a
national review is the Panel's call alone.

Existing "refer to the Panel for a national review" decisions are mapped honestly:
what the partners recorded was their view that a national review would suit the
case better, not one of the three outcomes, so the decision is left blank (no
outcome of the partners is invented for them), the statement is kept
(``national_review_may_be_appropriate``, already set for these rows) and their
recorded reasons are copied into ``national_review_reasons``. The partners may
complete their own decision later (a blank decision on a decided review counts as
outstanding, like a pending one). Where the Panel had answered such a referral
with "agrees", that answer meant it would hold the national review (the old code
commissioned a national review from it), so it becomes "The Panel will hold a
national review". Reversing restores the referral.
"""

from django.db import migrations, models


def refer_national_to_statement(apps, schema_editor):
    RapidReview = apps.get_model("rapid_review", "RapidReview")
    referred = RapidReview.objects.filter(decision="refer_national")
    for review in referred:
        review.decision = ""
        review.national_review_may_be_appropriate = True
        review.national_review_reasons = review.national_review_reasons or review.decision_rationale
        if review.panel_response == "agrees":
            review.panel_response = "national_review"
        review.save(
            update_fields=[
                "decision",
                "national_review_may_be_appropriate",
                "national_review_reasons",
                "panel_response",
            ]
        )


def statement_to_refer_national(apps, schema_editor):
    RapidReview = apps.get_model("rapid_review", "RapidReview")
    RapidReview.objects.filter(
        decision="",
        decision_pending=False,
        decided_on__isnull=False,
        national_review_may_be_appropriate=True,
    ).update(decision="refer_national")


class Migration(migrations.Migration):
    dependencies = [
        ("rapid_review", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rapidreview",
            name="criteria_departure_reasons",
            field=models.TextField(
                blank=True,
                help_text="Needed for a local review when none of criteria (a) to (d) is met, or for no further review when one is.",
                verbose_name="Why the partners decided against the criteria recorded",
            ),
        ),
        migrations.AddField(
            model_name="rapidreview",
            name="national_review_reasons",
            field=models.TextField(
                blank=True, verbose_name="Why the partners think a national review may be more appropriate"
            ),
        ),
        migrations.AlterField(
            model_name="rapidreview",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("local_cspr", "Hold a local child safeguarding practice review"),
                    ("other_learning_review", "Hold another learning review"),
                    ("no_further_review", "No further review"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(refer_national_to_statement, statement_to_refer_national),
    ]
