"""The rapid review report for the National Panel, as a PDF (WeasyPrint, through
``cspr.pdf.render_pdf``). The template reads only the pseudonymised case, the
notification and the review: never the referral, so never the child's name."""

from __future__ import annotations

from django.utils import timezone

from cspr import audit
from cspr.pdf import render_pdf
from cspr.selectors import deadlines_of_case
from cspr.workdays import calendar_for
from notifications.models import SeriousIncidentNotification

from .models import RapidReview


def filename(review: RapidReview) -> str:
    return f"{review.case.reference}.pdf"


def title(review: RapidReview) -> str:
    return f"Rapid review {review.case.reference}"


def render_rapid_review_pdf(review: RapidReview) -> bytes:
    """``review`` should come from ``selectors.with_parts`` (bounded queries)."""
    case = review.case
    try:
        notification = case.notification
    except SeriousIncidentNotification.DoesNotExist:
        notification = None
    context = {
        "review": review,
        "case": case,
        "partnership": case.partnership,
        "notification": notification,
        "agencies": list(case.agencies.all()),
        "meetings": list(review.meetings.all()),
        "agency_returns": list(review.agency_returns.all()),
        "safety_actions": list(review.safety_actions.all()),
        # Every statutory clock of the case, each met late one saying by how much
        # ({% met_late %} with this one calendar: one query however many clocks).
        "deadlines": list(deadlines_of_case(case).order_by("due_date", "id")),
        "calendar": calendar_for(),
        "generated_at": timezone.localtime(),
    }
    return render_pdf("pdf/rapid_review.html", context, title=title(review))


def download(review: RapidReview, *, actor) -> tuple[bytes, str]:
    """Render the PDF and audit the download (the caller has checked the right to it)."""
    content = render_rapid_review_pdf(review)
    audit.record(
        actor=actor,
        action=audit.Action.DOWNLOAD,
        subject=review,
        partnership=review.case.partnership,
        label=review.audit_label,
        detail={"format": "pdf", "bytes": len(content)},
    )
    return content, filename(review)
