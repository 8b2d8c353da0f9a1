"""Every write to a rapid review: keyword-only, one transaction, capability
checked, state machine respected, audited. Views, the API, the demo data and the
benchmark all call these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from cases.models import Case, OtherProcess
from cases.services import advance_stage
from cspr import audit
from cspr.chronology import check_happened, check_order, check_planned, raise_errors
from cspr.formats import long_date
from cspr.models import Agency, Partnership
from cspr.permissions import require
from cspr.selectors import deadlines_of
from cspr.services import (
    ClockChange,
    meet_deadline,
    open_deadline,
    restart_deadline,
    waive_deadline,
)
from cspr.workdays import working_days_between
from messaging.models import MessageKind
from messaging.services import deliver, preference_for
from notifications.models import SeriousIncidentNotification
from notifications.signals import notification_corrected

from .models import (
    AgencyReturn,
    Attendee,
    RapidReview,
    RapidReviewMeeting,
    SafetyAction,
)
from .selectors import panel_liaisons_of

RULE = "rapid_review"


def _today() -> dt.date:
    return timezone.localdate()


def _locked(review: RapidReview) -> RapidReview:
    """The review, re-read under a row lock, with its case and partnership."""
    return (
        RapidReview.objects.select_for_update(of=("self",))
        .select_related("case__partnership")
        .get(pk=review.pk)
    )


def _require_editable(review: RapidReview) -> None:
    if review.is_submitted:
        raise ValidationError(review.submitted_message())


ANCHOR_LABEL = "date the rapid review's 15 working days count from"


def _opened(review: RapidReview) -> tuple[str, dt.date]:
    """The start of the rapid review, as the order of its dates counts it."""
    return ANCHOR_LABEL, review.anchor_date


def _first_meeting(review: RapidReview) -> tuple[str, dt.date | None]:
    first = (
        RapidReviewMeeting.objects.filter(review=review, date__lte=_today())
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return "date of the first rapid review meeting", first


def _decided(review: RapidReview) -> tuple[str, dt.date | None]:
    return "date of the decision", None if review.decision_pending else review.decided_on


def _sent(review: RapidReview) -> tuple[str, dt.date | None]:
    return "date sent to the Panel", review.submitted_on


def _historic(review: RapidReview) -> bool:
    """A case brought in from before this system: its dates may predate the regulations."""
    return review.case.brought_in


def _not_in_future(value: dt.date | None, field: str, what: str, *, historic: bool = False) -> None:
    errors: dict[str, str] = {}
    check_happened(errors, date=(what, value), field=field, historic=historic)
    raise_errors(errors)


def _agency_of(review: RapidReview, agency: Agency | None, field: str = "agency") -> None:
    if agency is not None and agency.partnership_id != review.case.partnership_id:
        raise ValidationError({field: "Choose an agency of this partnership."})


def _record(review: RapidReview, actor, action: str, detail: dict | None = None, subject=None):
    audit.record(
        actor=actor,
        action=action,
        subject=subject or review,
        partnership=review.case.partnership,
        label=review.audit_label,
        detail=detail,
    )


# -- opening --------------------------------------------------------------------------


def anchor_for(case: Case) -> tuple[str, dt.date]:
    """What the case's 15 working days count from, by the partnership's setting.

    Raises ValidationError when the case cannot have a rapid review yet.
    """
    anchor = case.partnership.rapid_review_anchor
    try:
        notification = case.notification
    except SeriousIncidentNotification.DoesNotExist:
        notification = None
    if notification is None:
        raise ValidationError(
            "Record the serious incident notification for this case before opening a rapid review."
        )
    if notification.status == SeriousIncidentNotification.Status.WITHDRAWN:
        raise ValidationError("The notification for this case was withdrawn: no rapid review is due.")
    if anchor == Partnership.RapidReviewAnchor.AWARENESS:
        return anchor, notification.aware_on
    if not notification.notified_panel_on:
        raise ValidationError(
            "Record the date the National Panel was notified before opening a rapid review: "
            "the 15 working days count from it."
        )
    return anchor, notification.notified_panel_on


@transaction.atomic
def open_rapid_review(*, case: Case, actor) -> RapidReview:
    """Open the rapid review of a notified case and start its 15-working-day clock."""
    require(actor, "manage_rapid_review", case.partnership_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise ValidationError(f"Case {case.reference} is {case.get_status_display().lower()}.")
    if RapidReview.objects.filter(case=case).exists():
        raise ValidationError(f"A rapid review is already open for case {case.reference}.")
    anchor, anchor_date = anchor_for(case)
    review = RapidReview.objects.create(case=case, anchor=anchor, anchor_date=anchor_date, opened_by=actor)
    advance_stage(case=case, to=Case.Stage.RAPID_REVIEW)
    deadline = open_deadline(
        rule=RULE,
        subject=review,
        partnership=case.partnership,
        start_date=anchor_date,
        reference=case.reference,
        actor=actor,
    )
    _record(
        review,
        actor,
        audit.Action.CREATE,
        {"anchor": anchor, "anchor_date": anchor_date.isoformat(), "due_date": deadline.due_date.isoformat()},
    )
    return review


# Connected when this module is imported, which apps.py's ready() does (through panels).
@receiver(notification_corrected, dispatch_uid="rapid_review.follow_corrected_notification")
def follow_corrected_notification(
    sender, *, notification, changes, actor, reason, **kwargs
) -> list[ClockChange]:
    """The notification's dates were corrected: move the rapid review's 15 working
    days when they count from a corrected date and the review is not yet sent (a met
    clock keeps the dates it was met against). Runs in the correction's transaction."""
    review = (
        RapidReview.objects.select_for_update(of=("self",))
        .select_related("case__partnership")
        .filter(case_id=notification.case_id)
        .first()
    )
    if review is None:
        return []
    field = "aware_on" if review.anchor == Partnership.RapidReviewAnchor.AWARENESS else ("notified_panel_on")
    if field not in changes or changes[field][1] is None:
        return []
    new_anchor = changes[field][1]
    moved = restart_deadline(rule=RULE, subject=review, start_date=new_anchor, actor=actor, reason=reason)
    if moved is None:
        # Already sent to the Panel (or waived): its dates stay, and the confirmation
        # says so by listing the clock unmoved with the date it was met on.
        kept = deadlines_of(review, rule=RULE).first()
        return [ClockChange.before(kept)] if kept is not None else []
    old_anchor, review.anchor_date = review.anchor_date, new_anchor
    review.save(update_fields=["anchor_date", "updated_at"])
    _record(
        review,
        actor,
        audit.Action.CHANGE,
        {
            "anchor_date": [old_anchor.isoformat(), new_anchor.isoformat()],
            "due_date": [moved.old_due_date.isoformat(), moved.deadline.due_date.isoformat()],
            "reason": reason,
        },
    )
    return [moved]


# -- meetings, attendees, returns, safety actions --------------------------------------


@transaction.atomic
def add_meeting(*, review: RapidReview, actor, date: dt.date) -> RapidReviewMeeting:
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    errors: dict[str, str] = {}
    check_planned(errors, date=("date of the meeting", date), field="date", historic=_historic(review))
    check_order(errors, earlier=_opened(review), later=("date of the meeting", date), field="date")
    raise_errors(errors)
    meeting = RapidReviewMeeting.objects.create(review=review, date=date)
    _record(review, actor, audit.Action.CHANGE, {"meeting_added": date.isoformat()})
    return meeting


@transaction.atomic
def add_attendee(
    *,
    review: RapidReview,
    actor,
    meeting: RapidReviewMeeting,
    name: str,
    role: str,
    agency: Agency | None = None,
) -> Attendee:
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    if meeting.review_id != review.pk:
        raise ValidationError({"meeting": "Choose a meeting of this rapid review."})
    name, role = _check_attendee(review, name=name, role=role, agency=agency)
    attendee = Attendee.objects.create(meeting=meeting, name=name, role=role, agency=agency)
    _record(review, actor, audit.Action.CHANGE, {"attendee_added": attendee.pk})
    return attendee


def _check_attendee(review: RapidReview, *, name: str, role: str, agency) -> tuple[str, str]:
    """The attendee's name and role, trimmed; refused when either is missing or the
    agency is not one of the partnership's."""
    _agency_of(review, agency)
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Enter the attendee's name."
    if not (role or "").strip():
        errors["role"] = "Enter the attendee's role."
    if errors:
        raise ValidationError(errors)
    return name.strip(), role.strip()


@transaction.atomic
def update_attendee(
    *,
    attendee: Attendee,
    actor,
    name: str,
    role: str,
    agency: Agency | None = None,
) -> Attendee:
    """Correct an attendee's name, role or agency (until the review is sent to the Panel)."""
    review = _locked(attendee.meeting.review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    name, role = _check_attendee(review, name=name, role=role, agency=agency)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    attendee.name, attendee.role, attendee.agency = name, role, agency
    attendee.save()
    _record(review, actor, audit.Action.CHANGE, {"attendee_changed": attendee.pk})
    return attendee


def _check_return_dates(requested_on, received_on, *, historic: bool = False) -> None:
    errors: dict[str, str] = {}
    check_happened(errors, date=("date requested", requested_on), field="requested_on", historic=historic)
    check_happened(errors, date=("date received", received_on), field="received_on", historic=historic)
    check_order(
        errors,
        earlier=("date requested", requested_on),
        later=("date received", received_on),
        field="received_on",
    )
    raise_errors(errors)


@transaction.atomic
def add_agency_return(
    *,
    review: RapidReview,
    actor,
    agency: Agency,
    requested_on: dt.date,
    received_on: dt.date | None = None,
    summary: str = "",
) -> AgencyReturn:
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    _agency_of(review, agency)
    _check_return_dates(requested_on, received_on, historic=_historic(review))
    agency_return = AgencyReturn.objects.create(
        review=review,
        agency=agency,
        requested_on=requested_on,
        received_on=received_on,
        summary=summary or "",
    )
    _record(review, actor, audit.Action.CHANGE, {"agency_return_added": agency_return.pk})
    return agency_return


@transaction.atomic
def update_agency_return(
    *,
    agency_return: AgencyReturn,
    actor,
    requested_on: dt.date,
    received_on: dt.date | None,
    summary: str,
) -> AgencyReturn:
    review = _locked(agency_return.review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    _check_return_dates(requested_on, received_on, historic=_historic(review))
    agency_return = AgencyReturn.objects.select_for_update().get(pk=agency_return.pk)
    agency_return.requested_on, agency_return.received_on = requested_on, received_on
    agency_return.summary = summary or ""
    agency_return.save()
    _record(review, actor, audit.Action.CHANGE, {"agency_return_changed": agency_return.pk})
    return agency_return


@transaction.atomic
def add_safety_action(
    *,
    review: RapidReview,
    actor,
    action: str,
    owner: str,
    due_on: dt.date | None = None,
    done_on: dt.date | None = None,
) -> SafetyAction:
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    _not_in_future(done_on, "done_on", "date done", historic=_historic(review))
    safety_action = SafetyAction.objects.create(
        review=review, action=action, owner=owner, due_on=due_on, done_on=done_on
    )
    _record(review, actor, audit.Action.CHANGE, {"safety_action_added": safety_action.pk})
    return safety_action


@transaction.atomic
def update_safety_action(
    *,
    safety_action: SafetyAction,
    actor,
    action: str,
    owner: str,
    due_on: dt.date | None,
    done_on: dt.date | None,
) -> SafetyAction:
    review = _locked(safety_action.review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    _not_in_future(done_on, "done_on", "date done", historic=_historic(review))
    safety_action = SafetyAction.objects.select_for_update().get(pk=safety_action.pk)
    safety_action.action, safety_action.owner = action, owner
    safety_action.due_on, safety_action.done_on = due_on, done_on
    safety_action.save()
    _record(review, actor, audit.Action.CHANGE, {"safety_action_changed": safety_action.pk})
    return safety_action


# -- removing a record added by mistake ----------------------------------------------
#
# Until the rapid review is sent to the Panel, a meeting, an attendee, an agency
# return or an immediate action added by mistake can be removed (the same people
# who add them). A meeting goes with its attendees (the confirm page says so). Once
# "meeting held" is recorded, the last held meeting with attendees stays: that
# record is what "held" means. Audited as a deletion, described without names.


def removal_lock(review: RapidReview) -> str:
    """Why nothing can be removed from the review now ("" when it can)."""
    if review.is_submitted:
        return (
            f"This rapid review was sent to the Panel on {long_date(review.submitted_on)}, "
            "and the Panel has that version: nothing can be removed from it."
        )
    return ""


def _leaves_no_held_meeting(review: RapidReview, *, meeting=None, attendee=None) -> bool:
    """Whether removing ``meeting`` or ``attendee`` leaves a review recorded as having
    held its meeting without any held meeting that has attendees."""
    if review.status == RapidReview.Status.OPEN:
        return False
    remaining = Attendee.objects.filter(meeting__review=review, meeting__date__lte=_today())
    if meeting is not None:
        remaining = remaining.exclude(meeting=meeting)
    if attendee is not None:
        remaining = remaining.exclude(pk=attendee.pk)
    return not remaining.exists()


HELD_MEETING_STAYS = (
    "The rapid review meeting is recorded as held, and this is the last record of a held "
    "meeting with attendees: add the right meeting and its attendees first, then remove this."
)


def removal_refusal(review: RapidReview, *, meeting=None, attendee=None) -> str:
    """Why this record cannot be removed ("" when it can): the confirm page shows it,
    and the services refuse with the same words."""
    locked = removal_lock(review)
    if locked:
        return locked
    if (meeting is not None or attendee is not None) and _leaves_no_held_meeting(
        review, meeting=meeting, attendee=attendee
    ):
        return HELD_MEETING_STAYS
    return ""


def _start_removal(review: RapidReview, actor, **part) -> RapidReview:
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    refusal = removal_refusal(review, **part)
    if refusal:
        raise ValidationError(refusal)
    return review


@transaction.atomic
def remove_meeting(*, actor, meeting: RapidReviewMeeting) -> None:
    """Remove a meeting and, with it, its attendees."""
    review = _start_removal(meeting.review, actor, meeting=meeting)
    attendees = Attendee.objects.filter(meeting=meeting).count()
    detail = {
        "removed": "meeting",
        "meeting_id": meeting.pk,
        "meeting_date": meeting.date.isoformat(),
        "attendees_removed": attendees,
    }
    RapidReviewMeeting.objects.filter(pk=meeting.pk, review=review).delete()
    _record(review, actor, audit.Action.DELETE, detail)


@transaction.atomic
def remove_attendee(*, actor, attendee: Attendee) -> None:
    meeting = attendee.meeting
    review = _start_removal(meeting.review, actor, attendee=attendee)
    Attendee.objects.filter(pk=attendee.pk, meeting__review=review).delete()
    _record(
        review,
        actor,
        audit.Action.DELETE,
        {
            "removed": "attendee",
            "attendee_id": attendee.pk,
            "meeting_id": meeting.pk,
            "meeting_date": meeting.date.isoformat(),
        },
    )


@transaction.atomic
def remove_agency_return(*, actor, agency_return: AgencyReturn) -> None:
    review = _start_removal(agency_return.review, actor)
    AgencyReturn.objects.filter(pk=agency_return.pk, review=review).delete()
    _record(
        review,
        actor,
        audit.Action.DELETE,
        {
            "removed": "agency_return",
            "agency_return_id": agency_return.pk,
            "agency_id": agency_return.agency_id,
            "requested_on": agency_return.requested_on.isoformat(),
        },
    )


@transaction.atomic
def remove_safety_action(*, actor, safety_action: SafetyAction) -> None:
    review = _start_removal(safety_action.review, actor)
    SafetyAction.objects.filter(pk=safety_action.pk, review=review).delete()
    _record(
        review,
        actor,
        audit.Action.DELETE,
        {
            "removed": "safety_action",
            "safety_action_id": safety_action.pk,
            "due_on": safety_action.due_on.isoformat() if safety_action.due_on else None,
        },
    )


# -- the record itself ----------------------------------------------------------------

EDITABLE_FIELDS = set(RapidReview.ANALYSIS_FIELDS + RapidReview.CRITERIA_FIELDS + RapidReview.SIGN_OFF_FIELDS)


@transaction.atomic
def update_rapid_review(*, review: RapidReview, actor, **changes) -> RapidReview:
    """Change the analysis, the criteria or the sign-off (not after submission)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    _require_editable(review)
    if "other_processes" in changes:
        valid = set(OtherProcess.values)
        codes = list(changes["other_processes"] or [])
        if set(codes) - valid:
            raise ValidationError({"other_processes": "Choose processes from the list."})
        changes["other_processes"] = codes
    changed = [name for name, value in changes.items() if getattr(review, name) != value]
    for name, value in changes.items():
        setattr(review, name, value)
    if changed:
        review.save()
        _record(review, actor, audit.Action.CHANGE, {"fields": sorted(changed)})
    return review


@transaction.atomic
def mark_meeting_held(*, review: RapidReview, actor) -> RapidReview:
    """open -> meeting held: a meeting has taken place, and who attended is recorded."""
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    review.mark_as_meeting_held()
    today = _today()
    held = RapidReviewMeeting.objects.filter(review=review, date__lte=today)
    if not held.exists():
        raise ValidationError(
            "Add the date of a rapid review meeting that has taken place (today or earlier) "
            "before recording the meeting as held."
        )
    if not Attendee.objects.filter(meeting__in=held).exists():
        raise ValidationError("Add who attended the rapid review meeting before recording it as held.")
    review.save(update_fields=["status", "updated_at"])
    _record(review, actor, audit.Action.TRANSITION, {"status": review.status})
    return review


#: The clocks the partners' decision to hold a local review opens at once, on the
#: rapid review until the review is commissioned (which takes them over).
LOCAL_REVIEW_RULES = ("lcspr_final_report", "commission_review")


def _check_decision(
    review: RapidReview,
    errors: dict,
    *,
    decision: str,
    rationale: str,
    national: bool,
    national_reasons: str,
    departure_reasons: str,
    decided_on: dt.date,
) -> None:
    if decision not in RapidReview.Decision.values:
        errors["decision"] = "Choose the partners' decision."
    if not rationale:
        errors["rationale"] = "Enter the reasons for the decision."
    if national and not national_reasons:
        errors["national_review_reasons"] = (
            "Enter why the partners think a national review may be more appropriate."
        )
    departure = review.criteria_departure(decision)
    if departure and not departure_reasons:
        errors["criteria_departure_reasons"] = (
            f"{departure}: enter the partners' reasons for deciding against the criteria."
        )
    decided = ("date of the decision", decided_on)
    check_happened(errors, date=decided, field="decided_on", historic=_historic(review))
    check_order(errors, earlier=_opened(review), later=decided, field="decided_on")
    check_order(errors, earlier=_first_meeting(review), later=decided, field="decided_on")
    # A decision still pending when the review was sent is made after the sending.
    check_order(errors, earlier=_sent(review), later=decided, field="decided_on")


def _follow_local_review_clocks(review: RapidReview, *, was: str, actor) -> None:
    """A decision to hold a local review opens its clocks at once (its months and the
    task of commissioning it, both from the date of the decision); a decision changed
    away from one, before the review is commissioned, waives them."""
    if review.decision == RapidReview.Decision.LOCAL_CSPR:
        for rule in LOCAL_REVIEW_RULES:
            open_deadline(
                rule=rule,
                subject=review,
                partnership=review.case.partnership,
                start_date=review.decided_on,
                reference=review.case.reference,
                actor=actor,
            )
    elif was == RapidReview.Decision.LOCAL_CSPR:
        for rule in LOCAL_REVIEW_RULES:
            clock = deadlines_of(review, rule=rule).first()
            if clock is not None and not clock.is_closed:
                waive_deadline(
                    deadline=clock,
                    actor=actor,
                    reason="The partners changed their decision: no local review.",
                )


@transaction.atomic
def record_decision(
    *,
    review: RapidReview,
    actor,
    decision: str = "",
    rationale: str = "",
    national_review_may_be_appropriate: bool = False,
    national_review_reasons: str = "",
    criteria_departure_reasons: str = "",
    pending: bool = False,
    expected_on: dt.date | None = None,
    decided_on: dt.date | None = None,
) -> RapidReview:
    """The partners' decision (a partner lead records it), or that it is still pending.

    One of three outcomes (a local review, another learning review, no further
    review); separately, whether the partners think a national review may be more
    appropriate, with their reasons. A decision against the criteria recorded needs
    the partners' reasons for it. A pending decision may be completed after the
    review was sent to the Panel (on or after the date it was sent); any other
    change to a sent review is refused. A decision to hold a local review opens its
    clocks at once.
    """
    review = _locked(review)
    require(actor, "record_decision", review.case.partnership_id)
    completing = review.is_submitted and review.decision_outstanding and not pending
    if not completing:
        review.mark_as_decided()
    rationale = (rationale or "").strip()
    national = bool(national_review_may_be_appropriate)
    national_reasons = (national_review_reasons or "").strip() if national else ""
    departure_reasons = (criteria_departure_reasons or "").strip()
    errors: dict[str, str] = {}
    if pending:
        if review.is_submitted:
            errors["pending"] = "The review was sent to the Panel: record the decision itself now."
        if decision:
            errors["decision"] = "Leave the decision empty while it is pending, or untick pending."
        if not expected_on:
            errors["expected_on"] = "Enter the date the decision is expected."
        elif expected_on < _today():
            errors["expected_on"] = "The date the decision is expected must be today or later."
        check_planned(errors, date=("date the decision is expected", expected_on), field="expected_on")
    else:
        decided_on = decided_on or _today()
        _check_decision(
            review,
            errors,
            decision=decision,
            rationale=rationale,
            national=national,
            national_reasons=national_reasons,
            departure_reasons=departure_reasons,
            decided_on=decided_on,
        )
    raise_errors(errors)
    was = review.decision
    review.decision = "" if pending else decision
    review.decision_rationale = rationale
    review.national_review_may_be_appropriate = national
    review.national_review_reasons = national_reasons
    review.criteria_departure_reasons = (
        departure_reasons if not pending and review.criteria_departure(decision) else ""
    )
    review.decision_pending = bool(pending)
    review.decision_expected_on = expected_on if pending else None
    review.decided_on = None if pending else decided_on
    review.decided_by = None if pending else actor
    review.save()
    if not pending:
        advance_stage(case=review.case, to=Case.Stage.DECISION)
    _follow_local_review_clocks(review, was=was, actor=actor)
    _record(
        review,
        actor,
        audit.Action.TRANSITION,
        {
            "status": review.status,
            "decision": review.decision or "pending",
            "national_review_may_be_appropriate": national,
            **(
                {"criteria_departure_reasons": review.criteria_departure_reasons}
                if review.criteria_departure_reasons
                else {}
            ),
        },
    )
    tell_panel_liaisons(review, event="decision")
    return review


@transaction.atomic
def record_decision_shared(
    *, review: RapidReview, actor, shared_with: str, shared_on: dt.date
) -> RapidReview:
    """To whom, and when, the decision and its reasons were shared (a record of an
    event after the decision, so allowed after submission too)."""
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    if review.status in (RapidReview.Status.OPEN, RapidReview.Status.MEETING_HELD) or (
        review.decision_outstanding
    ):
        raise ValidationError("Record the decision before recording who it was shared with.")
    errors = {}
    if not (shared_with or "").strip():
        errors["shared_with"] = "Enter who the decision and its reasons were shared with."
    shared = ("date shared", shared_on)
    check_happened(errors, date=shared, field="shared_on", historic=_historic(review))
    check_order(errors, earlier=_decided(review), later=shared, field="shared_on")
    raise_errors(errors)
    review.decision_shared_with = shared_with.strip()
    review.decision_shared_on = shared_on
    review.save(update_fields=["decision_shared_with", "decision_shared_on", "updated_at"])
    _record(review, actor, audit.Action.CHANGE, {"decision_shared_on": shared_on.isoformat()})
    return review


@transaction.atomic
def submit_to_panel(*, review: RapidReview, actor, sent_on: dt.date) -> RapidReview:
    """decided -> sent to the Panel; meets the 15-working-day clock on ``sent_on``."""
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    review.mark_as_submitted()
    errors: dict[str, str] = {}
    sent = ("date sent to the Panel", sent_on)
    check_happened(errors, date=sent, field="sent_on", historic=_historic(review))
    check_order(errors, earlier=_opened(review), later=sent, field="sent_on")
    check_order(errors, earlier=_first_meeting(review), later=sent, field="sent_on")
    check_order(errors, earlier=_decided(review), later=sent, field="sent_on")
    raise_errors(errors)
    review.submitted_on, review.submitted_by = sent_on, actor
    review.save()
    deadline = meet_deadline(rule=RULE, subject=review, met_on=sent_on, actor=actor)
    _record(
        review,
        actor,
        audit.Action.TRANSITION,
        {
            "status": review.status,
            "sent_on": sent_on.isoformat(),
            "on_time": bool(deadline and sent_on <= deadline.due_date),
        },
    )
    tell_panel_liaisons(review, event="sent")
    return review


@transaction.atomic
def record_panel_response(
    *, review: RapidReview, actor, response: str, responded_on: dt.date, text: str = ""
) -> RapidReview:
    """sent -> Panel responded, with how many working days the Panel took (a service
    figure: the Panel has no statutory clock). Only the Panel decides on a national
    review: its response says so."""
    review = _locked(review)
    require(actor, "manage_rapid_review", review.case.partnership_id)
    review.mark_as_panel_responded()
    errors = {}
    if response not in RapidReview.PanelResponse.values:
        errors["response"] = "Choose the Panel's response."
    responded = ("date of the Panel's response", responded_on)
    check_happened(errors, date=responded, field="responded_on", historic=_historic(review))
    check_order(errors, earlier=_sent(review), later=responded, field="responded_on")
    raise_errors(errors)
    review.panel_response = response
    review.panel_responded_on = responded_on
    review.panel_response_text = (text or "").strip()
    review.panel_response_working_days = working_days_between(review.submitted_on, responded_on)
    review.save()
    _record(
        review,
        actor,
        audit.Action.TRANSITION,
        {"status": review.status, "response": response, "working_days": review.panel_response_working_days},
    )
    return review


# -- telling the panel liaison --------------------------------------------------------

LIAISON_EVENTS = {
    "decision": "The partners' decision on rapid review {reference} is recorded",
    "sent": "Rapid review {reference} was sent to the Panel",
}


def tell_panel_liaisons(review: RapidReview, *, event: str) -> None:
    """Tell the partnership's panel liaisons (in-app, and by e-mail if they chose it)
    that a decision was recorded or the review was sent, once for each review and
    event: the case by its reference only (e-mail goes after the commit)."""
    clock = deadlines_of(review, rule=RULE).first()
    subject = LIAISON_EVENTS[event].format(reference=review.case.reference)
    if event == "decision" and review.decision_pending:
        body = f"The partners' decision is pending: expected by {long_date(review.decision_expected_on)}."
    elif event == "decision":
        body = f"Decision: {review.get_decision_display()} ({long_date(review.decided_on)})."
    else:
        body = f"Sent to the Panel on {long_date(review.submitted_on)}."
    milestone = f"liaison_{event}_{review.pk}"
    for user in panel_liaisons_of(review.case.partnership_id):
        deliver(
            recipient=user,
            deadline_id=clock.pk if clock else None,
            kind=MessageKind.NEWS,
            milestone=milestone,
            subject=subject,
            body=body,
            email=preference_for(user).rapid_review_news,
        )
