"""Reads of serious incident notifications (visible exactly when their case is) and of
reports of a care leaver's death (visible to the business team of their partnership)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.selectors import cases_visible_to
from cspr.permissions import partnership_ids_for
from cspr.selectors import clock_of

from .models import CareLeaverDeathReport, SeriousIncidentNotification

#: The clock of a care leaver's death (cspr/deadlines.py).
CARE_LEAVER_DEATH_RULE = "notify_care_leaver_death"


def notifications_visible_to(user) -> QuerySet[SeriousIncidentNotification]:
    return SeriousIncidentNotification.objects.filter(
        case__in=cases_visible_to(user).values("pk")
    ).select_related("case", "case__partnership")


def access_notification(user, pk) -> SeriousIncidentNotification:
    try:
        return notifications_visible_to(user).get(pk=pk)
    except (SeriousIncidentNotification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification.") from None


def care_leaver_deaths_visible_to(user) -> QuerySet[CareLeaverDeathReport]:
    """Reports of a care leaver's death of the partnerships where the user may record
    them (partner leads and business managers), with the clock's due date and status
    for a list in one query."""
    return (
        CareLeaverDeathReport.objects.filter(
            partnership_id__in=partnership_ids_for(user, "report_care_leaver_death")
        )
        .select_related("partnership")
        .annotate(
            due_date=clock_of(CareLeaverDeathReport, rule=CARE_LEAVER_DEATH_RULE, field="due_date"),
            clock_status=clock_of(CareLeaverDeathReport, rule=CARE_LEAVER_DEATH_RULE, field="status"),
        )
    )


def access_care_leaver_death(user, pk) -> CareLeaverDeathReport:
    """One report of the user's partnerships (where they may record one), or 404."""
    try:
        return care_leaver_deaths_visible_to(user).get(pk=pk)
    except (CareLeaverDeathReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None
