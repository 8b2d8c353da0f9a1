"""Reads of yearly reports: the business team of the partnership only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cspr.models import Deadline, Partnership
from cspr.permissions import partnership_ids_for

from .models import YearlyReport

YEARLY_RULES = ("yearly_report", "yearly_report_copies")


def yearly_report_partnerships(user) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=partnership_ids_for(user, "record_yearly_report"))


def yearly_reports_visible_to(user) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(
        partnership_id__in=partnership_ids_for(user, "record_yearly_report")
    ).select_related("partnership")


def yearly_report_clocks(user) -> QuerySet[Deadline]:
    """The yearly report clocks of the user's partnerships (every status), newest first."""
    return (
        Deadline.objects.filter(
            partnership_id__in=partnership_ids_for(user, "record_yearly_report"),
            rule__in=YEARLY_RULES,
        )
        .select_related("partnership")
        .order_by("-due_date", "-id")
    )


def access_yearly_report(user, pk) -> YearlyReport:
    try:
        return yearly_reports_visible_to(user).get(pk=pk)
    except (YearlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such yearly report.") from None
