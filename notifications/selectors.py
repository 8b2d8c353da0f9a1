"""Reads of serious incident notifications: visible exactly when their case is."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.selectors import cases_visible_to

from .models import SeriousIncidentNotification


def notifications_visible_to(user) -> QuerySet[SeriousIncidentNotification]:
    return SeriousIncidentNotification.objects.filter(
        case__in=cases_visible_to(user).values("pk")
    ).select_related("case", "case__partnership")


def access_notification(user, pk) -> SeriousIncidentNotification:
    try:
        return notifications_visible_to(user).get(pk=pk)
    except (SeriousIncidentNotification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification.") from None
