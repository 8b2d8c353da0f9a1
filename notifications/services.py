"""The serious incident notification: recording awareness (which starts the
5-working-day clocks), the notification to the Panel (and Ofsted), and withdrawal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Outcome
from cspr import audit
from cspr.permissions import require
from cspr.services import meet_deadline, open_deadline, waive_deadlines_for
from cspr.statemachine import require_transition

from .models import SeriousIncidentNotification as Notification

#: The clocks that awareness starts (DOMAIN.md, "The clocks"; cspr/deadlines.py).
AWARENESS_RULES = ("notify_panel", "tell_partners")
LOOKED_AFTER_DEATH_RULE = "notify_ofsted_looked_after_death"


def _today() -> dt.date:
    return timezone.localdate()


def _check_date(errors: dict, field: str, value, *, label: str, not_before=None,
                not_before_label: str = "") -> None:
    if value is None:
        return
    if value > _today():
        errors[field] = f"The {label} must be today or in the past"
    elif not_before and value < not_before:
        errors[field] = f"The {label} must be on or after {not_before_label} ({not_before:%-d %B %Y})"


@transaction.atomic
def record_notification(
    *,
    actor,
    case: Case,
    aware_on: dt.date | None,
    incident_local_authority: str = "",
    residence_local_authority: str = "",
    ofsted_required: bool = False,
) -> Notification:
    """Record that the local authority became aware of a serious incident; start the clocks."""
    case = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    require(actor, "record_notification", case.partnership_id)
    if case.status != Case.Status.OPEN:
        raise ValidationError(f"This case is {case.get_status_display().lower()}.")
    if Notification.objects.filter(case=case).exists():
        raise ValidationError("A serious incident notification is already recorded for this case.")
    errors: dict[str, str] = {}
    if aware_on is None:
        errors["aware_on"] = "Enter the date the local authority became aware"
    _check_date(errors, "aware_on", aware_on, label="date the local authority became aware",
                not_before=case.incident_date, not_before_label="the date of the incident")
    if not (incident_local_authority or "").strip():
        errors["incident_local_authority"] = "Enter the local authority where the incident happened"
    if case.looked_after and not ofsted_required:
        errors["ofsted_required"] = (
            "The child was looked after, so Ofsted must be notified too"
        )
    if errors:
        raise ValidationError(errors)
    notification = Notification.objects.create(
        case=case,
        aware_on=aware_on,
        incident_local_authority=incident_local_authority.strip(),
        residence_local_authority=(residence_local_authority or "").strip()
        or incident_local_authority.strip(),
        ofsted_required=ofsted_required,
        created_by=actor,
    )
    case.stage = Case.Stage.NOTIFICATION
    case.save(update_fields=["stage", "updated_at"])
    audit.record(actor=actor, action=audit.Action.CREATE, subject=notification,
                 partnership=case.partnership, detail={"aware_on": aware_on.isoformat()})
    rules = list(AWARENESS_RULES)
    if case.looked_after and case.outcome == Outcome.DIED:
        rules.append(LOOKED_AFTER_DEATH_RULE)
    for rule in rules:
        open_deadline(rule=rule, subject=notification, partnership=case.partnership,
                      start_date=aware_on, reference=case.reference, actor=actor)
    return notification


@transaction.atomic
def record_panel_notification(
    *,
    actor,
    notification: Notification,
    notified_panel_on: dt.date | None,
    panel_reference: str,
    notified_ofsted_on: dt.date | None = None,
    partners_told_on: dt.date | None = None,
) -> Notification:
    """Record the notification to the National Panel (and Ofsted): meets the clocks."""
    notification = (
        Notification.objects.select_for_update().select_related("case__partnership")
        .get(pk=notification.pk)
    )
    case = notification.case
    require(actor, "record_notification", case.partnership_id)
    old = require_transition(
        notification, to=Notification.Status.NOTIFIED, allowed=Notification.TRANSITIONS,
        message={
            Notification.Status.NOTIFIED: "The Panel notification is already recorded.",
            Notification.Status.WITHDRAWN: "This notification was withdrawn.",
        }.get(notification.status),
    )
    errors: dict[str, str] = {}
    if notified_panel_on is None:
        errors["notified_panel_on"] = "Enter the date the National Panel was notified"
    if not (panel_reference or "").strip():
        errors["panel_reference"] = "Enter the notification reference"
    if notification.ofsted_required and notified_ofsted_on is None:
        errors["notified_ofsted_on"] = "Enter the date Ofsted was notified"
    aware = notification.aware_on
    for field, value, label in (
        ("notified_panel_on", notified_panel_on, "date the National Panel was notified"),
        ("notified_ofsted_on", notified_ofsted_on, "date Ofsted was notified"),
        ("partners_told_on", partners_told_on, "date the safeguarding partners were told"),
    ):
        if field not in errors:
            _check_date(errors, field, value, label=label, not_before=aware,
                        not_before_label="the date the local authority became aware")
    if errors:
        raise ValidationError(errors)
    notification.status = Notification.Status.NOTIFIED
    notification.notified_panel_on = notified_panel_on
    notification.panel_reference = panel_reference.strip()
    notification.notified_ofsted_on = notified_ofsted_on
    notification.partners_told_on = partners_told_on
    notification.save()
    audit.record(actor=actor, action=audit.Action.TRANSITION, subject=notification,
                 partnership=case.partnership,
                 detail={"from": old, "to": notification.status,
                         "notified_panel_on": notified_panel_on.isoformat()})
    meet_deadline(rule="notify_panel", subject=notification, met_on=notified_panel_on, actor=actor)
    if notified_ofsted_on:
        meet_deadline(rule=LOOKED_AFTER_DEATH_RULE, subject=notification,
                      met_on=notified_ofsted_on, actor=actor)
    if partners_told_on:
        meet_deadline(rule="tell_partners", subject=notification, met_on=partners_told_on,
                      actor=actor)
    return notification


@transaction.atomic
def withdraw_notification(*, actor, notification: Notification, reason: str) -> Notification:
    """The case turned out not to meet the criteria: withdraw the notification and the
    case, and waive every open clock of the case with the reason."""
    reason = (reason or "").strip()
    notification = (
        Notification.objects.select_for_update().select_related("case__partnership")
        .get(pk=notification.pk)
    )
    case = Case.objects.select_for_update().get(pk=notification.case_id)
    require(actor, "record_notification", case.partnership_id)
    old = require_transition(
        notification, to=Notification.Status.WITHDRAWN, allowed=Notification.TRANSITIONS,
        message="This notification is already withdrawn."
        if notification.status == Notification.Status.WITHDRAWN else None,
    )
    if not reason:
        raise ValidationError({"reason": "Enter why the notification is withdrawn"})
    notification.status = Notification.Status.WITHDRAWN
    notification.withdrawn_reason = reason
    notification.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    if case.status == Case.Status.OPEN:
        require_transition(case, to=Case.Status.WITHDRAWN, allowed=Case.TRANSITIONS)
        case.status = Case.Status.WITHDRAWN
        case.withdrawn_reason = reason
        case.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        audit.record(actor=actor, action=audit.Action.TRANSITION, subject=case,
                     detail={"from": Case.Status.OPEN, "to": case.status})
    audit.record(actor=actor, action=audit.Action.TRANSITION, subject=notification,
                 partnership=case.partnership, detail={"from": old, "to": notification.status})
    waive_deadlines_for(partnership=case.partnership, reference=case.reference,
                        reason=f"Notification withdrawn: {reason}", actor=actor)
    return notification
