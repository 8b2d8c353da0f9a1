"""Demo notification: the first demo case is notified to the National Panel. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import SeriousIncidentNotification


def seed(context: dict) -> None:
    case = context.get("cases", {}).get("case-notified")
    if case is None:
        return
    manager = context["users"]["manager"]
    notification = SeriousIncidentNotification.objects.filter(case=case).first()
    if notification is None:
        today = timezone.localdate()
        aware = max(case.incident_date + dt.timedelta(days=1), today - dt.timedelta(days=20))
        notification = services.record_notification(
            actor=manager, case=case, aware_on=aware,
            incident_local_authority=case.partnership.local_authority_area,
        )
        services.record_panel_notification(
            actor=manager, notification=notification,
            notified_panel_on=min(aware + dt.timedelta(days=2), today),
            panel_reference="SIN-DEMO-0001",
            partners_told_on=min(aware + dt.timedelta(days=1), today),
        )
    notifications = {case.reference: notification}
    # The other accepted case: the local authority became aware today, so its
    # 5-working-day clock to notify the Panel is running (and reminders are due).
    open_case = context.get("cases", {}).get("case-open")
    if open_case is not None:
        pending = SeriousIncidentNotification.objects.filter(case=open_case).first()
        if pending is None:
            today = timezone.localdate()
            pending = services.record_notification(
                actor=manager, case=open_case, aware_on=max(open_case.incident_date, today),
                incident_local_authority=open_case.partnership.local_authority_area,
            )
        notifications[open_case.reference] = pending
    context["notifications"] = notifications
