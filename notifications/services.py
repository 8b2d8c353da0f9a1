"""The serious incident notification: recording awareness (which starts the
5-working-day clocks), the notification to the Panel (and Ofsted), correcting
those dates (which moves the clocks with them), and withdrawal."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cspr import audit
from cspr.chronology import check_happened, check_order
from cspr.formats import long_date
from cspr.models import Partnership
from cspr.permissions import require
from cspr.services import (
    ClockChange,
    correct_met_on,
    meet_deadline,
    open_deadline,
    restart_deadline,
    waive_deadlines_for,
)
from cspr.statemachine import require_transition

from .models import CareLeaverDeathReport
from .models import SeriousIncidentNotification as Notification
from .signals import notification_corrected

#: The clocks that awareness starts (docs/domain.md, "The clocks"; cspr/deadlines.py).
AWARENESS_RULES = ("notify_panel", "tell_partners")
LOOKED_AFTER_DEATH_RULE = "notify_ofsted_looked_after_death"


def _today() -> dt.date:
    return timezone.localdate()


def _check_date(
    errors: dict,
    field: str,
    value,
    *,
    label: str,
    not_before=None,
    not_before_label: str = "",
    historic: bool = False,
) -> None:
    """Happened (``historic``: a case brought in from before this system may be older
    than the regulations), and not before ``not_before``."""
    check_happened(errors, date=(label, value), field=field, today=_today(), historic=historic)
    check_order(
        errors, earlier=(not_before_label.removeprefix("the "), not_before), later=(label, value), field=field
    )


def _check_awareness(errors: dict, case: Case, aware_on: dt.date | None) -> None:
    if aware_on is None:
        errors["aware_on"] = "Enter the date the local authority became aware"
    _check_date(
        errors,
        "aware_on",
        aware_on,
        label="date the local authority became aware",
        not_before=case.incident_date,
        not_before_label="the date of the incident",
        historic=case.brought_in,
    )


def _check_panel_notification(
    errors: dict,
    notification: Notification,
    *,
    aware_on: dt.date,
    notified_panel_on: dt.date | None,
    panel_reference: str,
    notified_ofsted_on: dt.date | None,
    partners_told_on: dt.date | None,
) -> None:
    if notified_panel_on is None:
        errors["notified_panel_on"] = "Enter the date the National Panel was notified"
    if not (panel_reference or "").strip():
        errors["panel_reference"] = "Enter the notification reference"
    if notification.ofsted_required and notified_ofsted_on is None:
        errors["notified_ofsted_on"] = "Enter the date Ofsted was notified"
    for field, value, label in (
        ("notified_panel_on", notified_panel_on, "date the National Panel was notified"),
        ("notified_ofsted_on", notified_ofsted_on, "date Ofsted was notified"),
        ("partners_told_on", partners_told_on, "date the safeguarding partners were told"),
    ):
        if field not in errors:
            _check_date(
                errors,
                field,
                value,
                label=label,
                not_before=aware_on,
                not_before_label="the date the local authority became aware",
                historic=notification.case.brought_in,
            )


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
    _check_awareness(errors, case, aware_on)
    if not (incident_local_authority or "").strip():
        errors["incident_local_authority"] = "Enter the local authority where the incident happened"
    if case.any_child_looked_after and not ofsted_required:
        errors["ofsted_required"] = "A child was looked after, so Ofsted must be notified too"
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
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=notification,
        partnership=case.partnership,
        detail={"aware_on": aware_on.isoformat()},
    )
    rules = list(AWARENESS_RULES)
    if case.looked_after_child_died:
        rules.append(LOOKED_AFTER_DEATH_RULE)
    for rule in rules:
        open_deadline(
            rule=rule,
            subject=notification,
            partnership=case.partnership,
            start_date=aware_on,
            reference=case.reference,
            actor=actor,
        )
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
        Notification.objects.select_for_update().select_related("case__partnership").get(pk=notification.pk)
    )
    case = notification.case
    require(actor, "record_notification", case.partnership_id)
    old = require_transition(
        notification,
        to=Notification.Status.NOTIFIED,
        allowed=Notification.TRANSITIONS,
        message={
            Notification.Status.NOTIFIED: "The Panel notification is already recorded.",
            Notification.Status.WITHDRAWN: "This notification was withdrawn.",
        }.get(notification.status),
    )
    errors: dict[str, str] = {}
    _check_panel_notification(
        errors,
        notification,
        aware_on=notification.aware_on,
        notified_panel_on=notified_panel_on,
        panel_reference=panel_reference,
        notified_ofsted_on=notified_ofsted_on,
        partners_told_on=partners_told_on,
    )
    if errors:
        raise ValidationError(errors)
    notification.status = Notification.Status.NOTIFIED
    notification.notified_panel_on = notified_panel_on
    notification.panel_reference = panel_reference.strip()
    notification.notified_ofsted_on = notified_ofsted_on
    notification.partners_told_on = partners_told_on
    notification.save()
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=notification,
        partnership=case.partnership,
        detail={"from": old, "to": notification.status, "notified_panel_on": notified_panel_on.isoformat()},
    )
    meet_deadline(rule="notify_panel", subject=notification, met_on=notified_panel_on, actor=actor)
    if notified_ofsted_on:
        meet_deadline(
            rule=LOOKED_AFTER_DEATH_RULE, subject=notification, met_on=notified_ofsted_on, actor=actor
        )
    if partners_told_on:
        meet_deadline(rule="tell_partners", subject=notification, met_on=partners_told_on, actor=actor)
    return notification


#: The dates (and the reference) a business manager may correct after recording them.
CORRECTABLE_FIELDS = (
    "aware_on",
    "notified_panel_on",
    "panel_reference",
    "notified_ofsted_on",
    "partners_told_on",
)
#: Recorded with the notification to the National Panel: not there before it.
PANEL_FIELDS = CORRECTABLE_FIELDS[1:]
#: The clock each date meets.
MET_BY = {
    "notified_panel_on": "notify_panel",
    "notified_ofsted_on": LOOKED_AFTER_DEATH_RULE,
    "partners_told_on": "tell_partners",
}

#: A field not given to ``correct_notification`` keeps its recorded value.
UNCHANGED: Any = object()


@dataclasses.dataclass(frozen=True)
class Correction:
    """What ``correct_notification`` did: the fields it changed ({field: (old, new)})
    and every clock it moved, met or reopened, this stage's and later ones'."""

    notification: Notification
    changes: dict[str, tuple[Any, Any]]
    clocks: list[ClockChange]


@transaction.atomic
def correct_notification(
    *,
    actor,
    notification: Notification,
    reason: str,
    aware_on: dt.date | None = UNCHANGED,
    notified_panel_on: dt.date | None = UNCHANGED,
    panel_reference: str = UNCHANGED,
    notified_ofsted_on: dt.date | None = UNCHANGED,
    partners_told_on: dt.date | None = UNCHANGED,
) -> Correction:
    """Correct dates recorded wrongly, and move the clocks with them.

    The same checks as recording apply to the corrected values. A corrected
    awareness date moves the clocks it started (their due dates recomputed from the
    rule table and the calendar; a missed clock whose new due date has not passed is
    open again, a met one stays met); a corrected Panel, Ofsted or partners date
    re-meets its clock on that date. Later stages anchored on these dates (the rapid
    review's 15 working days, while it is not yet met) move too, through the
    ``notification_corrected`` signal. One audit row with the old and new values and
    the reason; all or nothing.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("case__partnership")
        .get(pk=notification.pk)
    )
    case = notification.case
    require(actor, "record_notification", case.partnership_id)
    if notification.status == Notification.Status.WITHDRAWN:
        raise ValidationError("This notification was withdrawn: its dates cannot be corrected.")
    given = {
        "aware_on": aware_on,
        "notified_panel_on": notified_panel_on,
        "panel_reference": panel_reference,
        "notified_ofsted_on": notified_ofsted_on,
        "partners_told_on": partners_told_on,
    }
    given = {field: value for field, value in given.items() if value is not UNCHANGED}
    if "panel_reference" in given:
        given["panel_reference"] = (given["panel_reference"] or "").strip()
    errors: dict[str, str] = {}
    notified = notification.status == Notification.Status.NOTIFIED
    if not notified:
        for field in PANEL_FIELDS:
            if given.get(field):
                errors[field] = (
                    "The notification to the National Panel is not recorded yet: record it "
                    "on the notification page"
                )
    new = {field: given.get(field, getattr(notification, field)) for field in CORRECTABLE_FIELDS}
    _check_awareness(errors, case, new["aware_on"])
    if notified:
        _check_panel_notification(
            errors,
            notification,
            aware_on=new["aware_on"] if "aware_on" not in errors else None,
            **{field: new[field] for field in PANEL_FIELDS},
        )
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter why the dates are corrected"
    if errors:
        raise ValidationError(errors)
    changes = {
        field: (getattr(notification, field), new[field])
        for field in CORRECTABLE_FIELDS
        if getattr(notification, field) != new[field]
    }
    if not changes:
        raise ValidationError("Nothing to correct: change a date or the reference first.")

    for field, (_old, value) in changes.items():
        setattr(notification, field, value)
    notification.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=notification,
        partnership=case.partnership,
        detail={
            "corrected": {field: [_as_text(old), _as_text(value)] for field, (old, value) in changes.items()},
            "reason": reason,
        },
    )
    clocks: list[ClockChange] = []
    if "aware_on" in changes:
        for rule in (*AWARENESS_RULES, LOOKED_AFTER_DEATH_RULE):
            clocks.append(
                restart_deadline(
                    rule=rule,
                    subject=notification,
                    start_date=notification.aware_on,
                    actor=actor,
                    reason=reason,
                    move_met=True,
                )
            )
    for field, rule in MET_BY.items():
        if field in changes:
            clocks.append(
                correct_met_on(
                    rule=rule, subject=notification, met_on=changes[field][1], actor=actor, reason=reason
                )
            )
    for _receiver, moved in notification_corrected.send(
        sender=Notification,
        notification=notification,
        changes=changes,
        actor=actor,
        reason=reason,
    ):
        clocks.extend(moved or [])
    return Correction(notification=notification, changes=changes, clocks=_merged(clocks))


def _merged(clocks: list[ClockChange | None]) -> list[ClockChange]:
    """One entry per clock: a clock moved and then re-met keeps its first "before"
    and its latest state."""
    merged: dict[int, ClockChange] = {}
    for clock in clocks:
        if clock is None:
            continue
        first = merged.get(clock.deadline.pk)
        merged[clock.deadline.pk] = (
            clock if first is None else dataclasses.replace(first, deadline=clock.deadline)
        )
    return list(merged.values())


def _as_text(value) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or None


@transaction.atomic
def withdraw_notification(*, actor, notification: Notification, reason: str) -> Notification:
    """The case turned out not to meet the criteria: withdraw the notification and the
    case, and waive every open clock of the case with the reason."""
    reason = (reason or "").strip()
    notification = (
        Notification.objects.select_for_update().select_related("case__partnership").get(pk=notification.pk)
    )
    case = Case.objects.select_for_update().get(pk=notification.case_id)
    require(actor, "record_notification", case.partnership_id)
    old = require_transition(
        notification,
        to=Notification.Status.WITHDRAWN,
        allowed=Notification.TRANSITIONS,
        message="This notification is already withdrawn."
        if notification.status == Notification.Status.WITHDRAWN
        else None,
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
        audit.record(
            actor=actor,
            action=audit.Action.TRANSITION,
            subject=case,
            detail={"from": Case.Status.OPEN, "to": case.status},
        )
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=notification,
        partnership=case.partnership,
        detail={"from": old, "to": notification.status},
    )
    waive_deadlines_for(
        partnership=case.partnership,
        reference=case.reference,
        reason=f"Notification withdrawn: {reason}",
        actor=actor,
    )
    return notification


# -- the death of a care leaver (aged 18 to 24) ------------------------------------------

CARE_LEAVER_DEATH_RULE = "notify_care_leaver_death"


def _order(
    errors: dict,
    field: str,
    value: dt.date | None,
    label: str,
    *,
    not_before: dt.date | None,
    not_before_label: str,
) -> None:
    """``value`` (the date of ``label``) is not in the future and not before
    ``not_before``; the message names both dates."""
    if value is None or field in errors:
        return
    if value > _today():
        errors[field] = f"The {label} must be today or in the past"
    elif not_before is not None and value < not_before:
        errors[field] = (
            f"The {label} ({long_date(value)}) must be on or after {not_before_label} "
            f"({long_date(not_before)})"
        )


def _check_care_leaver_death(
    errors: dict, *, pseudonym: str, age: int | None, died_on: dt.date | None, aware_on: dt.date | None
) -> None:
    model = CareLeaverDeathReport
    if not (pseudonym or "").strip():
        errors["pseudonym"] = "Enter the young person's pseudonym or initials"
    if age is None:
        errors["age"] = "Enter the young person's age at death"
    elif not model.MIN_AGE <= age <= model.MAX_AGE:
        errors["age"] = (
            f"Enter an age from {model.MIN_AGE} to {model.MAX_AGE}: this report is for a care "
            f"leaver who died aged {model.MIN_AGE} to {model.MAX_AGE} (for a child under "
            f"{model.MIN_AGE}, record a serious incident notification on a case)"
        )
    if died_on is None:
        errors["died_on"] = "Enter the date of death"
    if aware_on is None:
        errors["aware_on"] = "Enter the date the local authority became aware"
    _order(errors, "died_on", died_on, "date of death", not_before=None, not_before_label="")
    _order(
        errors,
        "aware_on",
        aware_on,
        "date the local authority became aware",
        not_before=died_on if "died_on" not in errors else None,
        not_before_label="the date of death",
    )


def _check_care_leaver_notified(
    errors: dict,
    *,
    aware_on: dt.date,
    notified_on: dt.date | None,
    notification_reference: str,
    required: bool,
) -> None:
    if notified_on is None:
        if required:
            errors["notified_on"] = "Enter the date the Secretary of State and Ofsted were notified"
        if (notification_reference or "").strip() and "notified_on" not in errors:
            errors["notified_on"] = (
                "Enter the date the Secretary of State and Ofsted were notified, or leave the reference empty"
            )
        return
    if not (notification_reference or "").strip():
        errors["notification_reference"] = "Enter the notification reference"
    _order(
        errors,
        "notified_on",
        notified_on,
        "date the Secretary of State and Ofsted were notified",
        not_before=aware_on,
        not_before_label="the date the local authority became aware",
    )


def _next_care_leaver_reference(partnership: Partnership, year: int) -> str:
    prefix = f"{partnership.code}-CL-{year}-"
    taken = CareLeaverDeathReport.objects.filter(
        partnership=partnership, reference__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1:03d}"


@transaction.atomic
def record_care_leaver_death(
    *,
    actor,
    partnership: Partnership,
    pseudonym: str,
    age: int | None,
    died_on: dt.date | None,
    aware_on: dt.date | None,
    notified_on: dt.date | None = None,
    notification_reference: str = "",
) -> CareLeaverDeathReport:
    """Record the death of a care leaver aged 18 to 24: starts the 5 working days to
    notify the Secretary of State and Ofsted (``notify_care_leaver_death``), counted from
    the day after the local authority became aware. A notification already made may be
    recorded at once, which meets the clock. No rapid review follows."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    require(actor, "report_care_leaver_death", partnership.pk)
    errors: dict[str, str] = {}
    _check_care_leaver_death(errors, pseudonym=pseudonym, age=age, died_on=died_on, aware_on=aware_on)
    if "aware_on" not in errors:
        _check_care_leaver_notified(
            errors,
            aware_on=aware_on,
            notified_on=notified_on,
            notification_reference=notification_reference,
            required=False,
        )
    if errors:
        raise ValidationError(errors)
    report = CareLeaverDeathReport.objects.create(
        partnership=partnership,
        reference=_next_care_leaver_reference(partnership, aware_on.year),
        pseudonym=pseudonym.strip(),
        age=age,
        died_on=died_on,
        aware_on=aware_on,
        notified_on=notified_on,
        notification_reference=(notification_reference or "").strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=report,
        partnership=partnership,
        detail={
            "aware_on": aware_on.isoformat(),
            "died_on": died_on.isoformat(),
            "notified_on": notified_on.isoformat() if notified_on else None,
        },
    )
    open_deadline(
        rule=CARE_LEAVER_DEATH_RULE,
        subject=report,
        partnership=partnership,
        start_date=aware_on,
        reference=report.reference,
        actor=actor,
    )
    if notified_on:
        meet_deadline(rule=CARE_LEAVER_DEATH_RULE, subject=report, met_on=notified_on, actor=actor)
    return report


@transaction.atomic
def record_care_leaver_death_notified(
    *,
    actor,
    report: CareLeaverDeathReport,
    notified_on: dt.date | None,
    notification_reference: str,
) -> CareLeaverDeathReport:
    """Record that the Secretary of State and Ofsted were notified (through the DfE
    online notification service): meets the clock, on time or late."""
    report = CareLeaverDeathReport.objects.select_for_update().select_related("partnership").get(pk=report.pk)
    require(actor, "report_care_leaver_death", report.partnership_id)
    if report.is_notified:
        raise ValidationError("The notification to the Secretary of State and Ofsted is already recorded.")
    errors: dict[str, str] = {}
    _check_care_leaver_notified(
        errors,
        aware_on=report.aware_on,
        notified_on=notified_on,
        notification_reference=notification_reference,
        required=True,
    )
    if errors:
        raise ValidationError(errors)
    report.notified_on = notified_on
    report.notification_reference = notification_reference.strip()
    report.save(update_fields=["notified_on", "notification_reference", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=report,
        partnership=report.partnership,
        detail={
            "notified_on": notified_on.isoformat(),
            "notification_reference": report.notification_reference,
        },
    )
    meet_deadline(rule=CARE_LEAVER_DEATH_RULE, subject=report, met_on=notified_on, actor=actor)
    return report
