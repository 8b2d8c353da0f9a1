"""Demo data: one published report with a 7-minute briefing, visible at /published/.
Invented names only. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from cspr.models import LearningTheme
from cspr.pdf import render_pdf
from reviews import services as review_services
from reviews.demo import _case
from reviews.models import Review

from . import services
from .models import Publication

DEMO_REFERENCE = "NCC-2025-902"


def seed(context: dict) -> None:
    partnership = context["partnership"]
    manager = context["users"]["manager"]
    case = _case(partnership, DEMO_REFERENCE, dt.date(2025, 1, 6))
    if Publication.objects.filter(review__case=case).exists():
        return
    review = Review.objects.filter(case=case).first() or review_services.commission_review(
        case=case,
        kind=Review.Kind.LOCAL_CSPR,
        decided_on=dt.date(2025, 2, 3),
        commissioned_on=dt.date(2025, 2, 17),
        actor=manager,
    )
    if not review.lead_reviewers.exists():
        review_services.add_lead_reviewer(
            review=review, actor=manager, name="Dr Sam Example", organisation="Independent reviewer"
        )
    pdf = render_pdf("pdf/base.html", {}, title="Child F: local child safeguarding practice review")
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=SimpleUploadedFile("report.pdf", pdf),
        title="Child F: local child safeguarding practice review",
        child_pseudonym="Child F",
        summary_of_improvements="Agencies should see the child on every visit and share concerns "
        "about unexplained injuries the same day.",
        systemic_analysis="Caseloads, handovers between teams and an unclear escalation route.",
        received_on=dt.date(2025, 8, 1),
        themes=LearningTheme.objects.filter(slug__in=["voice-of-the-child", "information-sharing"]),
    )
    services.create_briefing(
        partnership=partnership,
        review=review,
        actor=manager,
        title="Child F: 7-minute briefing",
        background="Child F, a toddler, lived with a parent and the parent's partner.",
        what_happened="Several agencies saw small injuries over three months; none saw the whole picture.",
        key_learning="Single injuries looked minor; together they told a story.",
        what_should_change="Share every concern about an injury with children's social care the same day.",
        question_1="Who else might know something about this child?",
        question_2="When did you last speak with the child on their own?",
        question_3="How would you escalate if you disagreed with a decision?",
    )
    services.plan_publication(
        publication=publication, actor=manager, planned_publication_date=dt.date(2025, 9, 15)
    )
    services.record_copies(
        publication=publication,
        actor=manager,
        copy_to_panel_on=dt.date(2025, 9, 1),
        copy_to_secretary_of_state_on=dt.date(2025, 9, 1),
        copy_to_ofsted_on=dt.date(2025, 9, 1),
    )
    # Published long before the demonstration was set up: a partner lead says so.
    services.publish(
        publication=publication,
        actor=context["users"]["lead"],
        published_on=dt.date(2025, 9, 15),
        backdating_reason="Demonstration data: a report published before it was recorded here.",
    )
