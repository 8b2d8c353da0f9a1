"""Every write of the reviews app: commissioning, the review's record, its team
(with object-level grants), drafts, and the recommendations and action plan.

Keyword-only arguments, one transaction each, capability checked, audited.
``commission_review`` is independent of the rapid review app: the rapid review's
decision calls it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case
from cases.services import advance_stage
from cspr import audit
from cspr.chronology import check_happened, check_order, raise_errors
from cspr.formats import long_date
from cspr.permissions import require
from cspr.services import (
    meet_deadline,
    open_deadline,
    reopen_deadline,
    transfer_deadline,
    waive_deadlines_for,
)
from cspr.uploads import prepare_for_storage
from rapid_review.models import RapidReview

from .models import (
    Action,
    ActionUpdate,
    DraftVersion,
    FamilyInvolvement,
    InformationRequest,
    LeadReviewer,
    PractitionerEvent,
    Recommendation,
    Review,
    ReviewUserObjectPermission,
    TeamMember,
)
from .selectors import can_on_review

LEAD_REVIEWER_PERMISSIONS = ("view_review", "manage_review", "manage_recommendations")
TEAM_MEMBER_PERMISSIONS = ("view_review",)
TERMS_FIELDS = ["scope", "period_from", "period_to", "key_lines_of_enquiry", "methodology"]
NATIONAL_FIELDS = [
    "panel_decision_on",
    "panel_decision",
    "panel_liaison_contact",
    "local_contribution",
    "national_report_published_on",
    "national_report_url",
]


def _require_on_review(user, capability: str, review: Review) -> None:
    if not can_on_review(user, capability, review):
        raise PermissionDenied(
            "Only the partnership's business team or the review's lead reviewer can do this."
            if capability != "view_review"
            else "You do not have access to this review."
        )


def _not_future(day: dt.date | None, field: str, what: str, *, historic: bool = False) -> None:
    """``what`` ("The date of the request") happened: not in the future, nor (unless
    the record was brought in from before the service) before the regulations."""
    errors: dict[str, str] = {}
    label = what[4:] if what.startswith("The ") else what
    check_happened(errors, date=(label, day), field=field, historic=historic)
    raise_errors(errors)


def _historic(review: Review) -> bool:
    """Brought in from before the service: a serious case review finished under the 2015
    guidance, or a review of a case marked as brought in (``Case.brought_in``). Its
    dates may be older than the review regulations."""
    return review.kind == Review.Kind.LEGACY_SCR or review.case.brought_in


# ---------------------------------------------------------------------------
# Commissioning and the review's life
# ---------------------------------------------------------------------------


DECIDED_LABEL = "date of the decision"
COMMISSIONED_LABEL = "date the review was commissioned"


def _commissioned(review: Review) -> tuple[str, dt.date | None]:
    return COMMISSIONED_LABEL, review.commissioned_on


@transaction.atomic
def commission_review(
    *,
    case,
    kind: str,
    decided_on: dt.date,
    actor,
    method: str = "",
    commissioned_on: dt.date | None = None,
) -> Review:
    """Open the review the partners decided on, commissioned on ``commissioned_on``
    (today when not given): on or after the decision, and not in the future.

    A local CSPR's clock (``lcspr_final_report``: the partnership's ``lcspr_months``
    calendar months from the decision) started when the partners' decision was
    recorded on the rapid review: the review takes it over, and the
    ``commission_review`` task is met on the day commissioned (late, if it was). Without
    a rapid review it starts here, from the date of the decision given. Called from
    the "Commission a review" page, the API, and the rapid review's page.
    """
    require(actor, "commission_review", case.partnership_id)
    if kind not in Review.Kind.values:
        raise ValidationError({"kind": "Choose the kind of review."})
    if case.status == case.Status.WITHDRAWN:
        raise ValidationError("This case was withdrawn: it cannot have a review.")
    if decided_on is None:
        raise ValidationError({"decided_on": "Enter the date of the decision."})
    commissioned_on = commissioned_on or timezone.localdate()
    historic = kind == Review.Kind.LEGACY_SCR or case.brought_in
    errors: dict[str, str] = {}
    decided = (DECIDED_LABEL, decided_on)
    commissioned = (COMMISSIONED_LABEL, commissioned_on)
    check_happened(errors, date=decided, field="decided_on", historic=historic)
    check_happened(errors, date=commissioned, field="commissioned_on", historic=historic)
    check_order(errors, earlier=decided, later=commissioned, field="commissioned_on")
    raise_errors(errors)
    review = Review(
        case=case,
        partnership_id=case.partnership_id,
        kind=kind,
        method=method or "",
        decided_on=decided_on,
        commissioned_on=commissioned_on,
        commissioned_by=actor,
    )
    review.full_clean(exclude=["case", "partnership", "commissioned_by"])
    review.save()
    advance_stage(case=case, to=case.Stage.REVIEW)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=review,
        detail={
            "kind": kind,
            "method": method,
            "decided_on": decided_on.isoformat(),
            "commissioned_on": commissioned_on.isoformat(),
        },
    )
    if kind == Review.Kind.LOCAL_CSPR:
        _take_over_local_review_clocks(review, case=case, actor=actor)
    return review


def _take_over_local_review_clocks(review: Review, *, case, actor) -> None:
    """The partners' decision to hold a local review opened its clocks on the rapid
    review: the review takes over its months (dates as they are) and the task of
    commissioning it is met on the day it was commissioned. A review commissioned
    without such a decision (no rapid review here) starts its months from the date of
    the decision given."""
    rapid_review = RapidReview.objects.filter(case=case).first()
    moved = rapid_review is not None and transfer_deadline(
        rule="lcspr_final_report", from_subject=rapid_review, to_subject=review, actor=actor
    )
    if rapid_review is not None:
        meet_deadline(
            rule="commission_review", subject=rapid_review, met_on=review.commissioned_on, actor=actor
        )
    if not moved:
        open_deadline(
            rule="lcspr_final_report",
            subject=review,
            partnership=case.partnership,
            start_date=review.decided_on,
            reference=case.reference,
            actor=actor,
        )


def kind_from_rapid_review(rapid_review) -> tuple[str, dt.date]:
    """The kind of review a rapid review's outcome calls for, and the date it was
    decided; ValidationError (saying why) when it calls for none yet.

    The Panel's response that it will hold a national review wins (decided on the
    date of its response); otherwise the partners' decision: a local CSPR or
    another learning review, decided on the date of the decision. Only the Panel
    decides on a national review: the partners saying one may be more appropriate
    commissions nothing until the Panel answers.
    """
    Decision, Response = RapidReview.Decision, RapidReview.PanelResponse
    if rapid_review.panel_response == Response.NATIONAL_REVIEW:
        return Review.Kind.NATIONAL, rapid_review.panel_responded_on
    if rapid_review.decision_pending or not rapid_review.decision or not rapid_review.decided_on:
        if rapid_review.national_review_may_be_appropriate and not rapid_review.decision_pending:
            raise ValidationError(
                "The partners think a national review may be more appropriate: record the "
                "Panel's response (only the Panel decides on a national review), or the "
                "partners' own decision, before commissioning a review."
            )
        raise ValidationError("The partners have not decided yet: record the rapid review's decision first.")
    if rapid_review.decision == Decision.LOCAL_CSPR:
        return Review.Kind.LOCAL_CSPR, rapid_review.decided_on
    if rapid_review.decision == Decision.OTHER_LEARNING_REVIEW:
        return Review.Kind.OTHER_LEARNING, rapid_review.decided_on
    if rapid_review.national_review_may_be_appropriate and not rapid_review.panel_response:
        raise ValidationError(
            "The partners decided on no further review of their own and think a national "
            "review may be more appropriate: record the Panel's response (only the Panel "
            "decides on a national review) before commissioning one."
        )
    raise ValidationError("The partners decided on no further review: there is no review to commission.")


@transaction.atomic
def commission_review_from_rapid_review(
    *, rapid_review, actor, method: str = "", commissioned_on: dt.date | None = None
) -> Review:
    """Commission the review the rapid review's outcome calls for (once per case and
    kind), on ``commissioned_on`` (today when not given)."""
    require(actor, "commission_review", rapid_review.case.partnership_id)
    # Lock the case: two clicks on "Commission the review" make one review. Read the
    # rapid review afresh: its outcome decides, not what the caller last saw.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=rapid_review.case_id)
    )
    rapid_review = RapidReview.objects.get(pk=rapid_review.pk)
    kind, decided_on = kind_from_rapid_review(rapid_review)
    existing = Review.objects.filter(case=case, kind=kind).first()
    if existing is not None:
        raise ValidationError(
            f"The {existing.get_kind_display().lower()} of case {case.reference} is already commissioned."
        )
    return commission_review(
        case=case,
        kind=kind,
        decided_on=decided_on,
        actor=actor,
        method=method,
        commissioned_on=commissioned_on,
    )


def _transition(review: Review, *, to: str, actor, detail: dict) -> Review:
    old = review.require_transition(to)
    review.status = to
    review.save()
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=review,
        detail={"status": [old, to], **detail},
    )
    return review


PROGRESS_DATE_FIELDS = ("started_on", "received_on", "completed_on")


def record_progress(*, review: Review, actor, step: str, on: dt.date) -> Review:
    """One step of the review's progress, as the page and the API name it: "start",
    "final_report_received" or "complete", on the date given."""
    steps = {
        "start": lambda: start_review(review=review, actor=actor, started_on=on),
        "final_report_received": lambda: record_final_report_received(
            review=review, actor=actor, received_on=on
        ),
        "complete": lambda: complete_review(review=review, actor=actor, completed_on=on),
    }
    if step not in steps:
        raise ValidationError({"step": "Choose what has happened."})
    try:
        return steps[step]()
    except ValidationError as error:
        # The page and the API name the date "on": its message goes on that field.
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {
                "on" if field in PROGRESS_DATE_FIELDS else field: messages
                for field, messages in error.message_dict.items()
            }
        ) from None


@transaction.atomic
def start_review(*, review: Review, actor, started_on: dt.date | None = None) -> Review:
    _require_on_review(actor, "manage_review", review)
    review = Review.objects.select_for_update().select_related("case").get(pk=review.pk)
    started_on = started_on or timezone.localdate()
    errors: dict[str, str] = {}
    started = ("start date", started_on)
    check_happened(errors, date=started, field="started_on", historic=_historic(review))
    check_order(errors, earlier=(DECIDED_LABEL, review.decided_on), later=started, field="started_on")
    check_order(errors, earlier=_commissioned(review), later=started, field="started_on")
    raise_errors(errors)
    review.require_transition(Review.Status.IN_PROGRESS)
    review.started_on = started_on
    return _transition(
        review, to=Review.Status.IN_PROGRESS, actor=actor, detail={"started_on": started_on.isoformat()}
    )


@transaction.atomic
def record_final_report_received(*, review: Review, actor, received_on: dt.date) -> Review:
    """The final report has arrived: this meets the local CSPR's clock."""
    _require_on_review(actor, "manage_review", review)
    review = Review.objects.select_for_update().select_related("case").get(pk=review.pk)
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date the final report was received."})
    errors: dict[str, str] = {}
    received = ("date the final report was received", received_on)
    check_happened(errors, date=received, field="received_on", historic=_historic(review))
    check_order(errors, earlier=(DECIDED_LABEL, review.decided_on), later=received, field="received_on")
    check_order(errors, earlier=_commissioned(review), later=received, field="received_on")
    check_order(errors, earlier=("start date", review.started_on), later=received, field="received_on")
    raise_errors(errors)
    review.require_transition(Review.Status.FINAL_REPORT_RECEIVED)
    review.final_report_received_on = received_on
    _transition(
        review,
        to=Review.Status.FINAL_REPORT_RECEIVED,
        actor=actor,
        detail={"received_on": received_on.isoformat()},
    )
    meet_deadline(rule="lcspr_final_report", subject=review, met_on=received_on, actor=actor)
    return review


@transaction.atomic
def complete_review(*, review: Review, actor, completed_on: dt.date | None = None) -> Review:
    _require_on_review(actor, "manage_review", review)
    review = Review.objects.select_for_update().select_related("case").get(pk=review.pk)
    completed_on = completed_on or timezone.localdate()
    review.require_transition(Review.Status.COMPLETED)
    review.completed_on = completed_on
    return _transition(
        review, to=Review.Status.COMPLETED, actor=actor, detail={"completed_on": completed_on.isoformat()}
    )


def _update_fields(review: Review, *, actor, fields: list[str], values: dict, capability: str) -> Review:
    _require_on_review(actor, capability, review)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("case").get(pk=review.pk)
        before = {name: getattr(review, name) for name in fields}
        for name, value in values.items():
            setattr(review, name, value)
        review.full_clean(exclude=["case", "partnership", "commissioned_by"])
        changed = [name for name in fields if getattr(review, name) != before[name]]
        if changed:
            review.save()
            audit.record(actor=actor, action=audit.Action.CHANGE, subject=review, detail={"fields": changed})
    return review


def update_terms_of_reference(*, review: Review, actor, **values) -> Review:
    """Scope, period under review, key lines of enquiry, methodology."""
    return _update_fields(review, actor=actor, fields=TERMS_FIELDS, values=values, capability="manage_review")


def record_findings(*, review: Review, actor, findings: str) -> Review:
    return _update_fields(
        review, actor=actor, fields=["findings"], values={"findings": findings}, capability="manage_review"
    )


def update_national_review(*, review: Review, actor, **values) -> Review:
    """The Panel's decision, the liaison contact, the local contribution, and the
    national report when it appears."""
    if review.kind != Review.Kind.NATIONAL:
        raise ValidationError("Only a national review has these details.")
    for name in ("panel_decision_on", "national_report_published_on"):
        _not_future(values.get(name), name, "The date", historic=_historic(review))
    return _update_fields(
        review, actor=actor, fields=NATIONAL_FIELDS, values=values, capability="manage_review"
    )


# ---------------------------------------------------------------------------
# Lead reviewers and the review team: object-level grants
# ---------------------------------------------------------------------------


def _permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename, content_type=ContentType.objects.get_for_model(Review))


def _sync_grants(review: Review, user, *, actor) -> None:
    """Give ``user`` exactly the grants their current places on the review call for."""
    wanted: set[str] = set()
    if review.lead_reviewers.filter(user=user).exists():
        wanted |= set(LEAD_REVIEWER_PERMISSIONS)
    if review.team_members.filter(user=user).exists():
        wanted |= set(TEAM_MEMBER_PERMISSIONS)
    existing = {
        grant.permission.codename: grant
        for grant in ReviewUserObjectPermission.objects.filter(
            user=user, content_object=review
        ).select_related("permission")
    }
    added = sorted(wanted - set(existing))
    removed = sorted(set(existing) - wanted)
    for codename in added:
        ReviewUserObjectPermission.objects.create(
            user=user, content_object=review, permission=_permission(codename)
        )
    for codename in removed:
        existing[codename].delete()
    if added or removed:
        audit.record(
            actor=actor,
            action=audit.Action.PERMISSION,
            subject=review,
            detail={"user_id": user.pk, "granted": added, "revoked": removed},
        )
    if hasattr(user, "_cspr_review_grants"):
        user._cspr_review_grants.pop(review.pk, None)


@transaction.atomic
def add_lead_reviewer(
    *, review: Review, actor, user=None, name: str = "", organisation: str = ""
) -> LeadReviewer:
    _require_on_review(actor, "manage_review", review)
    name = (name or "").strip()
    if user is None and not name:
        raise ValidationError({"name": "Choose a person with an account, or enter the reviewer's name."})
    if user is not None and not user.memberships.filter(partnership_id=review.partnership_id).exists():
        raise ValidationError({"user": "Choose a member of this partnership."})
    if user is not None and review.lead_reviewers.filter(user=user).exists():
        raise ValidationError({"user": "This person is already a lead reviewer of this review."})
    lead = LeadReviewer.objects.create(
        review=review, user=user, name=name, organisation=(organisation or "").strip()
    )
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"lead_reviewer_added": lead.pk}
    )
    if user is not None:
        _sync_grants(review, user, actor=actor)
    return lead


@transaction.atomic
def remove_lead_reviewer(*, lead: LeadReviewer, actor) -> None:
    review = lead.review
    _require_on_review(actor, "manage_review", review)
    user = lead.user
    lead_id = lead.pk
    lead.delete()
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"lead_reviewer_removed": lead_id}
    )
    if user is not None:
        _sync_grants(review, user, actor=actor)


@transaction.atomic
def add_team_member(*, review: Review, actor, user, agency, role_on_team: str = "") -> TeamMember:
    _require_on_review(actor, "manage_review", review)
    if user is None:
        raise ValidationError({"user": "Choose the person."})
    if agency is None:
        raise ValidationError({"agency": "Choose the agency they represent."})
    if agency.partnership_id != review.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    if not user.memberships.filter(partnership_id=review.partnership_id).exists():
        raise ValidationError({"user": "Choose a member of this partnership."})
    if review.team_members.filter(user=user).exists():
        raise ValidationError({"user": "This person is already on the review team."})
    member = TeamMember.objects.create(
        review=review, user=user, agency=agency, role_on_team=(role_on_team or "").strip()
    )
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"team_member_added": member.pk}
    )
    _sync_grants(review, user, actor=actor)
    return member


@transaction.atomic
def remove_team_member(*, member: TeamMember, actor) -> None:
    review = member.review
    _require_on_review(actor, "manage_review", review)
    user, member_id = member.user, member.pk
    member.delete()
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"team_member_removed": member_id}
    )
    _sync_grants(review, user, actor=actor)


# ---------------------------------------------------------------------------
# Events, family involvement, reg 14 requests, drafts
# ---------------------------------------------------------------------------


@transaction.atomic
def add_practitioner_event(
    *,
    review: Review,
    actor,
    date: dt.date,
    agencies=(),
    attendee_count: int | None = None,
    attendee_names: str = "",
    notes: str = "",
) -> PractitionerEvent:
    _require_on_review(actor, "manage_review", review)
    _require_open_record(review)
    if date is None:
        raise ValidationError({"date": "Enter the date of the event."})
    agencies = list(agencies or [])
    if any(agency.partnership_id != review.partnership_id for agency in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})
    event = PractitionerEvent.objects.create(
        review=review,
        date=date,
        attendee_count=attendee_count,
        attendee_names=attendee_names or "",
        notes=notes or "",
    )
    event.agencies.set(agencies)
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"practitioner_event_added": event.pk}
    )
    return event


@transaction.atomic
def record_family_involvement(
    *,
    review: Review,
    actor,
    family_role: str,
    invited_on=None,
    met_on=None,
    declined_on=None,
    notes: str = "",
) -> FamilyInvolvement:
    _require_on_review(actor, "manage_review", review)
    _require_open_record(review)
    family_role = (family_role or "").strip()
    if not family_role:
        raise ValidationError({"family_role": "Enter the family member's role, like “mother”."})
    if met_on and declined_on:
        raise ValidationError({"declined_on": "A family member cannot both meet the reviewer and decline."})
    for name, day in (("invited_on", invited_on), ("met_on", met_on), ("declined_on", declined_on)):
        _not_future(day, name, "The date", historic=_historic(review))
    entry = FamilyInvolvement.objects.create(
        review=review,
        family_role=family_role,
        invited_on=invited_on,
        met_on=met_on,
        declined_on=declined_on,
        notes=notes or "",
    )
    audit.record(
        actor=actor, action=audit.Action.CHANGE, subject=review, detail={"family_involvement_added": entry.pk}
    )
    return entry


@transaction.atomic
def record_information_request(
    *, review: Review, actor, requested_on: dt.date, what: str, detail: str = ""
) -> InformationRequest:
    """A reg 14 written request to the reviewer for information or a draft."""
    _require_on_review(actor, "manage_review", review)
    _require_open_record(review)
    if requested_on is None:
        raise ValidationError({"requested_on": "Enter the date of the request."})
    _not_future(requested_on, "requested_on", "The date of the request", historic=_historic(review))
    if what not in InformationRequest.What.values:
        raise ValidationError({"what": "Choose what was asked for."})
    request = InformationRequest.objects.create(
        review=review, requested_on=requested_on, what=what, detail=detail or ""
    )
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=review,
        detail={"information_request_added": request.pk},
    )
    return request


@transaction.atomic
def answer_information_request(*, request: InformationRequest, actor, answered_on: dt.date):
    review = request.review
    _require_on_review(actor, "manage_review", review)
    if answered_on is None:
        raise ValidationError({"answered_on": "Enter the date it was answered."})
    _not_future(answered_on, "answered_on", "The date it was answered", historic=_historic(review))
    if answered_on < request.requested_on:
        raise ValidationError({"answered_on": "The answer cannot come before the request."})
    request.answered_on = answered_on
    request.save(update_fields=["answered_on"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=review,
        detail={"information_request_answered": request.pk},
    )
    return request


# -- removing a record added by mistake -------------------------------------------
#
# A practitioner event, a family involvement entry or a reg 14 request added by
# mistake can be removed by whoever may add one, until the review is completed
# (publishing the final report completes it): then the record is final, and
# nothing can be added to it either. Nothing else hangs on these rows (an event's
# agencies are links, removed with it).


def record_lock(review: Review, *, change: str) -> str:
    """Why the review's record can no longer change ("" while it can): a completed
    review's practitioner events, family involvement and reg 14 requests are final.
    ``change`` says how, for the message: "added to", "removed from"."""
    if review.status == Review.Status.COMPLETED:
        when = f" on {long_date(review.completed_on)}" if review.completed_on else ""
        return f"This review was completed{when}, so its record is final: nothing can be {change} it."
    return ""


def removal_lock(review: Review) -> str:
    return record_lock(review, change="removed from")


def addition_lock(review: Review) -> str:
    return record_lock(review, change="added to")


def _require_open_record(review: Review) -> None:
    refusal = addition_lock(Review.objects.select_for_update().get(pk=review.pk))
    if refusal:
        raise ValidationError(refusal)


def _remove_from_review(record, *, actor, what: str, detail: dict) -> None:
    review = record.review
    _require_on_review(actor, "manage_review", review)
    review = Review.objects.select_for_update().select_related("case", "partnership").get(pk=review.pk)
    refusal = removal_lock(review)
    if refusal:
        raise ValidationError(refusal)
    type(record).objects.filter(pk=record.pk, review=review).delete()
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        subject=review,
        detail={"removed": what, f"{what}_id": record.pk, **detail},
    )


@transaction.atomic
def remove_practitioner_event(*, actor, event: PractitionerEvent) -> None:
    _remove_from_review(
        event, actor=actor, what="practitioner_event", detail={"date": event.date.isoformat()}
    )


@transaction.atomic
def remove_family_involvement(*, actor, entry: FamilyInvolvement) -> None:
    """The family member's role is not written to the audit trail: only the entry's id."""
    _remove_from_review(entry, actor=actor, what="family_involvement", detail={})


@transaction.atomic
def remove_information_request(*, actor, request: InformationRequest) -> None:
    _remove_from_review(
        request,
        actor=actor,
        what="information_request",
        detail={"requested_on": request.requested_on.isoformat(), "what": request.what},
    )


@transaction.atomic
def upload_draft(*, review: Review, actor, file, notes: str = "") -> DraftVersion:
    """Add the next version of the draft report (PDF, DOCX or ODT, checked by content)."""
    _require_on_review(actor, "manage_review", review)
    prepare_for_storage(file)
    Review.objects.select_for_update().get(pk=review.pk)
    version = (review.drafts.aggregate(top=Max("version"))["top"] or 0) + 1
    draft = DraftVersion(
        review=review, version=version, notes=notes or "", uploaded_by=actor, size=file.size or 0
    )
    draft.file.save(file.name, file, save=False)
    draft.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=draft,
        partnership=review.partnership,
        label=f"{review.case.reference} draft v{version}",
        detail={"review_id": review.pk, "version": version},
    )
    return draft


# ---------------------------------------------------------------------------
# Recommendations and the action plan
# ---------------------------------------------------------------------------
#
# A recommendation or an action can be changed (its text, owner, dates) or removed
# until it is done: a completed action is final (reopen it first), and so is a
# recommendation once it has actions and all of them are completed. The same date
# rules apply when adding and changing (``_check_target_date``, ``_check_due_date``).


def _check_target_date(target_date: dt.date | None) -> None:
    if target_date is None:
        raise ValidationError({"target_date": "Enter the target date."})


def _check_due_date(due_date: dt.date | None) -> None:
    if due_date is None:
        raise ValidationError({"due_date": "Enter the due date."})


def _check_agencies(review: Review, agencies) -> None:
    if any(agency.partnership_id != review.partnership_id for agency in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})


def action_lock(action: Action) -> str:
    """Why the action can no longer be changed or removed ("" while it can)."""
    if action.status == Action.Status.COMPLETE:
        when = f" on {long_date(action.completed_on)}" if action.completed_on else ""
        return (
            f"This action was completed{when}, so it cannot be changed or removed. "
            "Change its status first if it is not complete after all."
        )
    return ""


def recommendation_lock(recommendation: Recommendation, *, removing: bool = False) -> str:
    """Why the recommendation can no longer be changed ("" while it can): all its
    actions are completed. Removing it is refused once any of its actions is
    completed (that would remove a completed action too)."""
    statuses = [action.status for action in recommendation.actions.all()]
    done = [status == Action.Status.COMPLETE for status in statuses]
    if statuses and all(done):
        return (
            f"All the actions of recommendation {recommendation.number} are completed, "
            "so it cannot be changed or removed."
        )
    if removing and any(done):
        return (
            f"Recommendation {recommendation.number} has completed actions, so it cannot be "
            "removed: that would remove them too."
        )
    return ""


def _audit_value(value):
    """A value as the audit trail keeps it: a date as ISO, a row as its id, a list of
    rows as their ids."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_audit_value(item) for item in value)
    return value


def _changes(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for each field whose value changed."""
    return {
        name: [_audit_value(before[name]), _audit_value(after[name])]
        for name in before
        if _audit_value(before[name]) != _audit_value(after[name])
    }


RECOMMENDATION_FIELDS = ["text", "target_date", "agencies"]


def _locked_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("review__case", "review__partnership")
        .get(pk=recommendation.pk)
    )


@transaction.atomic
def change_recommendation(*, recommendation: Recommendation, actor, **values) -> Recommendation:
    """Change a recommendation's text, target date or agencies (refused once all its
    actions are completed); the audit row names each field with its old and new value."""
    review = recommendation.review
    _require_on_review(actor, "manage_recommendations", review)
    unknown = set(values) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    recommendation = _locked_recommendation(recommendation)
    review = recommendation.review
    refusal = recommendation_lock(recommendation)
    if refusal:
        raise ValidationError(refusal)
    before = {
        "text": recommendation.text,
        "target_date": recommendation.target_date,
        "agencies": list(recommendation.agencies.all()),
    }
    after = {**before, **values}
    after["text"] = (after["text"] or "").strip()
    after["agencies"] = list(after["agencies"] or [])
    if not after["text"]:
        raise ValidationError({"text": "Enter the recommendation."})
    _check_target_date(after["target_date"])
    _check_agencies(review, after["agencies"])
    changes = _changes(before, after)
    if not changes:
        return recommendation
    recommendation.text, recommendation.target_date = after["text"], after["target_date"]
    recommendation.save(update_fields=["text", "target_date"])
    if "agencies" in changes:
        recommendation.agencies.set(after["agencies"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=recommendation,
        partnership=review.partnership,
        detail={"fields": sorted(changes), "changes": changes},
    )
    return recommendation


def _waive_action_clock(action: Action, *, review: Review, actor) -> None:
    """The removed action's open clock is waived (through the kernel)."""
    waive_deadlines_for(
        partnership=review.partnership,
        subject=action,
        reason="The action was removed from the action plan.",
        actor=actor,
    )


@transaction.atomic
def remove_recommendation(*, recommendation: Recommendation, actor) -> None:
    """Remove a recommendation added by mistake, with its actions (their clocks are
    waived): refused once any of its actions is completed."""
    _require_on_review(actor, "manage_recommendations", recommendation.review)
    recommendation = _locked_recommendation(recommendation)
    review = recommendation.review
    refusal = recommendation_lock(recommendation, removing=True)
    if refusal:
        raise ValidationError(refusal)
    actions = list(recommendation.actions.all())
    for action in actions:
        _waive_action_clock(action, review=review, actor=actor)
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        subject=recommendation,
        partnership=review.partnership,
        detail={
            "review_id": review.pk,
            "number": recommendation.number,
            "text": recommendation.text,
            "actions_removed": [action.pk for action in actions],
        },
    )
    recommendation.delete()


@transaction.atomic
def add_recommendation(
    *, review: Review, actor, text: str, target_date: dt.date, agencies=(), number: int | None = None
) -> Recommendation:
    _require_on_review(actor, "manage_recommendations", review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the recommendation."})
    _check_target_date(target_date)
    agencies = list(agencies or [])
    _check_agencies(review, agencies)
    Review.objects.select_for_update().get(pk=review.pk)
    if number is None:
        number = (review.recommendations.aggregate(top=Max("number"))["top"] or 0) + 1
    elif review.recommendations.filter(number=number).exists():
        raise ValidationError({"number": f"This review already has a recommendation {number}."})
    recommendation = Recommendation.objects.create(
        review=review, number=number, text=text, target_date=target_date
    )
    recommendation.agencies.set(agencies)
    audit.record(
        actor=actor, action=audit.Action.CREATE, subject=recommendation, partnership=review.partnership
    )
    return recommendation


def _open_action_deadline(action: Action, *, actor) -> None:
    review = action.recommendation.review
    open_deadline(
        rule="action_due",
        subject=action,
        partnership=review.partnership,
        start_date=action.due_date,
        due_date=action.due_date,
        reference=review.case.reference,
        owner=action.owner_user,
        agency=action.owner_agency,
        actor=actor,
    )


def _check_owner(review: Review, owner_user, owner_role: str, owner_agency) -> None:
    if owner_user is None and not owner_role and owner_agency is None:
        raise ValidationError({"owner_role": "Say who owns the action: a person, a named role or an agency."})
    if owner_agency is not None and owner_agency.partnership_id != review.partnership_id:
        raise ValidationError({"owner_agency": "Choose an agency of this partnership."})
    if (
        owner_user is not None
        and not owner_user.memberships.filter(partnership_id=review.partnership_id).exists()
    ):
        raise ValidationError({"owner_user": "Choose a member of this partnership."})


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    actor,
    description: str,
    due_date: dt.date,
    owner_user=None,
    owner_role: str = "",
    owner_agency=None,
    evidence_of_impact: str = "",
) -> Action:
    """Add an action to the plan; its due date opens an ``action_due`` clock."""
    review = recommendation.review
    _require_on_review(actor, "manage_recommendations", review)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Describe the action."})
    _check_due_date(due_date)
    owner_role = (owner_role or "").strip()
    _check_owner(review, owner_user, owner_role, owner_agency)
    action = Action.objects.create(
        recommendation=recommendation,
        description=description,
        due_date=due_date,
        owner_user=owner_user,
        owner_role=owner_role,
        owner_agency=owner_agency,
        evidence_of_impact=evidence_of_impact or "",
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=action,
        partnership=review.partnership,
        label=f"{review.case.reference} action {action.pk}",
    )
    _open_action_deadline(action, actor=actor)
    return action


#: What describes an action: changeable (``change_action``) until it is completed.
ACTION_CONTENT_FIELDS = [
    "description",
    "due_date",
    "owner_user",
    "owner_role",
    "owner_agency",
    "evidence_of_impact",
]
ACTION_FIELDS = [*ACTION_CONTENT_FIELDS, "status", "completed_on"]


def _action_label(action: Action) -> str:
    return f"{action.recommendation.review.case.reference} action {action.pk}"


def _locked_action(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("recommendation__review__case", "recommendation__review__partnership", "owner_user")
        .get(pk=action.pk)
    )


@transaction.atomic
def change_action(*, action: Action, actor, **values) -> Action:
    """Change what an action is: its description, owner, due date (which moves its
    clock) or evidence of impact. Refused once the action is completed."""
    unknown = set(values) - set(ACTION_CONTENT_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    return update_action(action=action, actor=actor, **values)


@transaction.atomic
def update_action(*, action: Action, actor, **values) -> Action:
    """Change an action: its status (complete meets its clock), its due date (moves
    the clock), owner or evidence of impact. A completed action's content is final:
    only its status can change (reopening it)."""
    review = action.recommendation.review
    _require_on_review(actor, "manage_recommendations", review)
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    action = _locked_action(action)
    review = action.recommendation.review
    before = {name: getattr(action, name) for name in ACTION_FIELDS}
    refusal = action_lock(action)
    for name, value in values.items():
        setattr(action, name, value)
    if action.status == Action.Status.OVERDUE and before["status"] != Action.Status.OVERDUE:
        raise ValidationError({"status": "“Overdue” is worked out from the due date: choose another status."})
    if action.status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status."})
    _check_due_date(action.due_date)
    action.owner_role = (action.owner_role or "").strip()
    content_changes = _changes(
        {name: before[name] for name in ACTION_CONTENT_FIELDS},
        {name: getattr(action, name) for name in ACTION_CONTENT_FIELDS},
    )
    if content_changes and refusal:
        raise ValidationError(refusal)
    _check_owner(review, action.owner_user, action.owner_role, action.owner_agency)
    if action.status == Action.Status.COMPLETE:
        action.completed_on = action.completed_on or timezone.localdate()
        _not_future(action.completed_on, "completed_on", "The date completed", historic=_historic(review))
    else:
        action.completed_on = None
    changes = _changes(before, {name: getattr(action, name) for name in ACTION_FIELDS})
    if not changes:
        return action
    action.save()
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=action,
        partnership=review.partnership,
        label=_action_label(action),
        detail={"fields": sorted(changes), "changes": changes, "status": action.status},
    )
    if action.status == Action.Status.COMPLETE:
        meet_deadline(rule="action_due", subject=action, met_on=action.completed_on, actor=actor)
    else:
        if before["status"] == Action.Status.COMPLETE:
            reopen_deadline(rule="action_due", subject=action, actor=actor)
        _open_action_deadline(action, actor=actor)
    return action


@transaction.atomic
def remove_action(*, action: Action, actor) -> None:
    """Remove an action added by mistake: its clock is waived (a missed one keeps its
    history). Refused once the action is completed."""
    _require_on_review(actor, "manage_recommendations", action.recommendation.review)
    action = _locked_action(action)
    review = action.recommendation.review
    refusal = action_lock(action)
    if refusal:
        raise ValidationError(refusal)
    _waive_action_clock(action, review=review, actor=actor)
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        subject=action,
        partnership=review.partnership,
        label=_action_label(action),
        detail={
            "recommendation_id": action.recommendation_id,
            "description": action.description,
            "due_date": action.due_date.isoformat(),
        },
    )
    action.delete()


@transaction.atomic
def add_action_update(*, action: Action, actor, note: str, date: dt.date | None = None) -> ActionUpdate:
    review = action.recommendation.review
    _require_on_review(actor, "manage_recommendations", review)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Describe the progress."})
    date = date or timezone.localdate()
    _not_future(date, "date", "The date of the update", historic=_historic(review))
    update = ActionUpdate.objects.create(action=action, date=date, note=note, author=actor)
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=action,
        partnership=review.partnership,
        label=f"{review.case.reference} action {action.pk}",
        detail={"update_added": update.pk},
    )
    return update
