"""Demo notification: the first demo case is notified to the National Panel. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import CareLeaverDeathReport, SeriousIncidentNotification


def seed(context: dict) -> None:
    _seed_care_leaver_death(context)
    case = context.get("cases", {}).get("case-notified")
    if case is None:
        return
    manager = context["users"]["manager"]
    notification = SeriousIncidentNotification.objects.filter(case=case).first()
    if notification is None:
        today = timezone.localdate()
        aware = max(case.incident_date + dt.timedelta(days=1), today - dt.timedelta(days=20))
        notification = services.record_notification(
            actor=manager,
            case=case,
            aware_on=aware,
            incident_local_authority=case.partnership.local_authority_area,
        )
        services.record_panel_notification(
            actor=manager,
            notification=notification,
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
                actor=manager,
                case=open_case,
                aware_on=max(open_case.incident_date, today),
                incident_local_authority=open_case.partnership.local_authority_area,
            )
        notifications[open_case.reference] = pending
    context["notifications"] = notifications


def _seed_care_leaver_death(context: dict) -> None:
    """One death of a care leaver, the local authority aware three days ago: its 5 working
    days to notify the Secretary of State and Ofsted are running."""
    partnership = context["partnership"]
    if CareLeaverDeathReport.objects.filter(partnership=partnership).exists():
        return
    today = timezone.localdate()
    services.record_care_leaver_death(
        actor=context["users"]["manager"],
        partnership=partnership,
        pseudonym="Young person R",
        age=19,
        died_on=today - dt.timedelta(days=4),
        aware_on=today - dt.timedelta(days=3),
    )
