"""Benchmark: render the rapid review PDF for a review with 20 agency returns.

    python manage.py bench_pdf [--renders 10]

Builds the data in a transaction that it rolls back, renders the PDF (selector and
template included, as a download would) ``--renders`` times, and prints the median.
The target is under 1 second. This is a benchmark, not a test: run it from ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.codes import Nature
from cases.models import Case, CaseChild
from cspr.models import Agency, Partnership
from notifications.models import SeriousIncidentNotification
from rapid_review.models import AgencyReturn, Attendee, RapidReview, RapidReviewMeeting, SafetyAction
from rapid_review.pdf import render_rapid_review_pdf
from rapid_review.selectors import with_parts

TARGET_SECONDS = 1.0
SUMMARY = (
    "The agency knew the family through routine contacts. It records two missed appointments, "
    "one home visit where the child was not seen, and a referral that was not followed up. "
) * 3


class Command(BaseCommand):
    help = "Median time to render the rapid review PDF with 20 agency returns (target under 1 s)."

    def add_arguments(self, parser):
        parser.add_argument("--renders", type=int, default=10)
        parser.add_argument("--returns", type=int, default=20)

    def handle(self, *args, renders: int, returns: int, **options):
        with transaction.atomic():
            review_id = self._build(returns)
            timings = []
            for _ in range(max(1, renders)):
                start = time.perf_counter()
                review = with_parts(
                    RapidReview.objects.select_related("case__partnership", "case__notification")
                ).get(pk=review_id)
                content = render_rapid_review_pdf(review)
                timings.append(time.perf_counter() - start)
            transaction.set_rollback(True)
        median = statistics.median(timings)
        verdict = "OK" if median < TARGET_SECONDS else "SLOWER THAN TARGET"
        self.stdout.write(
            f"bench_pdf: {returns} agency returns, {len(timings)} renders, "
            f"median {median:.3f} s, min {min(timings):.3f} s, max {max(timings):.3f} s, "
            f"{len(content)} bytes (target < {TARGET_SECONDS:.1f} s: {verdict})"
        )

    def _build(self, returns: int) -> int:
        partnership = Partnership.objects.create(
            name="Benchmark Safeguarding Children Partnership",
            code="BENCH",
            local_authority_area="Benchmark Council",
        )
        agencies = [
            Agency.objects.create(
                partnership=partnership, name=f"Benchmark agency {i + 1}", kind=Agency.Kind.OTHER
            )
            for i in range(returns)
        ]
        case = Case.objects.create(
            partnership=partnership,
            reference="BENCH-2026-001",
            incident_date=dt.date(2026, 3, 27),
        )
        CaseChild.objects.create(
            case=case, ordinal=1, initials="B.C.", age_months=6 * 12, nature=Nature.SERIOUSLY_HARMED
        )
        case.agencies.set(agencies)
        SeriousIncidentNotification.objects.create(
            case=case,
            status=SeriousIncidentNotification.Status.NOTIFIED,
            aware_on=dt.date(2026, 3, 30),
            notified_panel_on=dt.date(2026, 4, 2),
            panel_reference="SIN-BENCH-0001",
        )
        review = RapidReview.objects.create(
            case=case,
            anchor="notification",
            anchor_date=dt.date(2026, 4, 2),
            household_composition="Mother, father, two siblings.",
            chronology_summary=SUMMARY,
            key_practice_episodes=SUMMARY,
            family_context=SUMMARY,
            good_practice=SUMMARY,
            learning_identified=SUMMARY,
            decision=RapidReview.Decision.LOCAL_CSPR,
            decision_rationale=SUMMARY,
            other_processes=["police_investigation"],
        )
        AgencyReturn.objects.bulk_create(
            AgencyReturn(
                review=review,
                agency=agency,
                requested_on=dt.date(2026, 4, 3),
                received_on=dt.date(2026, 4, 9),
                summary=SUMMARY,
            )
            for agency in agencies
        )
        meeting = RapidReviewMeeting.objects.create(review=review, date=dt.date(2026, 4, 14))
        Attendee.objects.bulk_create(
            Attendee(meeting=meeting, name=f"Attendee {i + 1}", agency=agency, role="Safeguarding lead")
            for i, agency in enumerate(agencies)
        )
        SafetyAction.objects.bulk_create(
            SafetyAction(
                review=review, action=f"Immediate action {i + 1}", owner="Agency", due_on=dt.date(2026, 4, 6)
            )
            for i in range(5)
        )
        return review.pk
