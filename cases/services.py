"""Every write of referrals, cases and chronologies.

Views, API views and demo data all call these. Each runs in one transaction,
checks the capability and the state transition, and writes an audit row. The
audit rows name the referral number or the case reference, and list changed
field names, never their values (they hold personal data).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cspr import audit
from cspr.models import Agency, Membership, Partnership
from cspr.permissions import can, require
from cspr.statemachine import require_transition

from .models import Case, CaseUserObjectPermission, ChronologyEntry, OtherProcess, Referral

#: What the author may write on a referral (the form's fields, in form order).
REFERRAL_FIELDS = [
    "referrer_name",
    "referrer_agency",
    "referrer_role",
    "referrer_contact",
    "child_name",
    "child_date_of_birth",
    "child_unborn",
    "child_sex",
    "child_ethnicity",
    "child_address",
    "incident_date",
    "incident_description",
    "abuse_or_neglect",
    "outcome",
    "why_criteria_met",
    "concerns_about_agencies",
    "childrens_social_care_aware",
    "other_processes",
    "information_response",
]

#: Fields a referral cannot be submitted without, with the message to show.
REQUIRED_TO_SUBMIT = {
    "referrer_name": "Enter your name",
    "referrer_agency": "Select your agency",
    "referrer_role": "Enter your role",
    "referrer_contact": "Enter your phone number or email address",
    "child_name": "Enter the child's full name",
    "child_sex": "Select the child's sex, or 'Not known or not recorded'",
    "child_address": "Enter the child's address, or 'Not known'",
    "incident_date": "Enter the date of the incident",
    "incident_description": "Describe what happened",
    "abuse_or_neglect": "Select whether abuse or neglect is known or suspected",
    "outcome": "Select whether the child died or was seriously harmed",
    "why_criteria_met": "Explain why you think this may be a serious child safeguarding case",
    "childrens_social_care_aware": "Select whether children's social care knows about this",
}

CASE_FIELDS = [
    "child_initials",
    "child_age_years",
    "child_unborn",
    "child_sex",
    "child_ethnicity",
    "child_disability",
    "outcome",
    "looked_after",
    "child_protection_plan",
    "child_in_need",
    "caused_serious_harm_to_another",
    "incident_date",
]


def _today() -> dt.date:
    return timezone.localdate()


def age_in_years(date_of_birth: dt.date | None, on: dt.date | None) -> int | None:
    if not date_of_birth or not on:
        return None
    return relativedelta(on, date_of_birth).years


# ---------------------------------------------------------------------------
# Referrals: writing and submitting
# ---------------------------------------------------------------------------


def _check_referral_values(referral: Referral, agencies: list[Agency] | None) -> dict:
    """Errors that are wrong even in a draft (dates in the future, another
    partnership's agency). Returns {field: message}."""
    errors: dict[str, str] = {}
    today = _today()
    if referral.incident_date and referral.incident_date > today:
        errors["incident_date"] = "The date of the incident must be today or in the past"
    if referral.child_date_of_birth and not referral.child_unborn:
        if referral.child_date_of_birth > today:
            errors["child_date_of_birth"] = "The child's date of birth must be in the past"
        elif referral.incident_date and referral.child_date_of_birth > referral.incident_date:
            errors["child_date_of_birth"] = (
                "The child's date of birth must be on or before the date of the incident"
            )
        elif age_in_years(referral.child_date_of_birth, referral.incident_date or today) >= 18:
            errors["child_date_of_birth"] = "The child must have been under 18 at the time of the incident"
    if referral.referrer_agency_id and referral.referrer_agency.partnership_id != referral.partnership_id:
        errors["referrer_agency"] = "Select an agency of this partnership"
    if agencies is not None and any(a.partnership_id != referral.partnership_id for a in agencies):
        errors["agencies_involved"] = "Select agencies of this partnership"
    unknown = set(referral.other_processes or []) - set(OtherProcess.values)
    if unknown:
        errors["other_processes"] = "Select processes from the list"
    return errors


def referral_submission_errors(referral: Referral) -> dict:
    """What stops ``referral`` from being submitted, as {field: message}."""
    errors = _check_referral_values(referral, list(referral.agencies_involved.all()))
    for field, message in REQUIRED_TO_SUBMIT.items():
        value = getattr(referral, field + "_id" if field == "referrer_agency" else field)
        if value in (None, "") and field not in errors:
            errors[field] = message
    if not referral.child_unborn and not referral.child_date_of_birth:
        errors.setdefault(
            "child_date_of_birth", "Enter the child's date of birth, or say the child was unborn"
        )
    if not referral.agencies_involved.exists():
        errors.setdefault("agencies_involved", "Select at least one agency involved with the child")
    if (
        referral.status == Referral.Status.MORE_INFORMATION_REQUESTED
        and not referral.information_response.strip()
    ):
        errors["information_response"] = "Answer the question from the business team"
    return errors


def _require_author_can_edit(actor, referral: Referral) -> None:
    if referral.author_id != actor.pk:
        raise PermissionDenied("Only the person who wrote this referral can change it.")
    if not referral.is_editable:
        raise ValidationError(
            f"This referral can no longer be changed: it is “{referral.get_status_display().lower()}”."
        )


@transaction.atomic
def save_referral_draft(
    *,
    actor,
    values: dict,
    agencies: list[Agency] | None = None,
    referral: Referral | None = None,
    partnership: Partnership | None = None,
) -> Referral:
    """Create a draft referral (give ``partnership``) or change one (give
    ``referral``). Incomplete answers are allowed; impossible ones are not."""
    if referral is None:
        if partnership is None:
            raise ValidationError({"partnership": "Select a partnership"})
        if not can(actor, "submit_referral", partnership.pk):
            raise ValidationError({"partnership": "Select one of your partnerships"})
        referral = Referral(partnership=partnership, author=actor)
        created = True
    else:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        _require_author_can_edit(actor, referral)
        created = False
    unknown = set(values) - set(REFERRAL_FIELDS)
    if unknown:
        raise ValueError(f"Not referral fields: {sorted(unknown)}")
    before = {name: getattr(referral, name) for name in values}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "other_processes":
            value = list(value or [])
        setattr(referral, name, value)
    if referral.child_unborn:
        referral.child_date_of_birth = None
    errors = _check_referral_values(referral, None if agencies is None else list(agencies))
    if errors:
        raise ValidationError(errors)
    referral.save()
    changed = [name for name in values if before[name] != getattr(referral, name)]
    if agencies is not None:
        old = set(referral.agencies_involved.values_list("pk", flat=True)) if not created else set()
        new = {a.pk for a in agencies}
        if old != new:
            referral.agencies_involved.set(agencies)
            changed.append("agencies_involved")
    if created or changed:
        audit.record(
            actor=actor,
            action=audit.Action.CREATE if created else audit.Action.CHANGE,
            subject=referral,
            detail={"fields": changed},
        )
    return referral


@transaction.atomic
def submit_referral(*, actor, referral: Referral) -> Referral:
    """The author sends the referral to the business team; every required answer is checked."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_author_can_edit(actor, referral)
    require(actor, "submit_referral", referral.partnership_id)
    old = require_transition(referral, to=Referral.Status.SUBMITTED, allowed=Referral.TRANSITIONS)
    errors = referral_submission_errors(referral)
    if errors:
        raise ValidationError(errors)
    referral.status = Referral.Status.SUBMITTED
    referral.submitted_at = timezone.now()
    referral.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=referral,
        detail={"from": old, "to": referral.status, "resubmitted": old != Referral.Status.DRAFT},
    )
    return referral


# ---------------------------------------------------------------------------
# Referrals: triage by the business team
# ---------------------------------------------------------------------------


def _lock_for_triage(actor, referral: Referral, to: str) -> tuple[Referral, str]:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    require(actor, "triage_referral", referral.partnership_id)
    messages = {
        Referral.Status.DRAFT: "This referral is still a draft: it has not been submitted.",
        Referral.Status.ACCEPTED: "This referral has already been accepted.",
        Referral.Status.DECLINED: "This referral has already been declined.",
        Referral.Status.MORE_INFORMATION_REQUESTED: (
            "This referral is waiting for the referrer's answer: it can be triaged once they submit it again."
        ),
    }
    old = require_transition(
        referral, to=to, allowed=Referral.TRANSITIONS, message=messages.get(referral.status)
    )
    return referral, old


def next_case_reference(partnership: Partnership, year: int) -> str:
    """The next free ``CODE-YEAR-NNN``. Call with the partnership row locked."""
    prefix = f"{partnership.code}-{year}-"
    numbers = [
        int(ref[len(prefix) :])
        for ref in Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def accept_referral(*, actor, referral: Referral) -> Case:
    """Accept as a serious child safeguarding case: open a ``Case`` with the next
    reference of the partnership, the child pseudonymised."""
    referral, old = _lock_for_triage(actor, referral, Referral.Status.ACCEPTED)
    # Lock the partnership row: references are handed out one at a time per partnership.
    partnership = Partnership.objects.select_for_update().get(pk=referral.partnership_id)
    now = timezone.now()
    reference = next_case_reference(partnership, timezone.localdate(now).year)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                partnership=partnership,
                reference=reference,
                referral=referral,
                child_initials=referral.child_initials,
                child_unborn=referral.child_unborn,
                child_age_years=None
                if referral.child_unborn
                else age_in_years(referral.child_date_of_birth, referral.incident_date),
                child_sex=referral.child_sex or Case._meta.get_field("child_sex").default,
                child_ethnicity=referral.child_ethnicity,
                outcome=referral.outcome,
                incident_date=referral.incident_date,
                opened_by=actor,
            )
    except IntegrityError as exc:  # pragma: no cover - the lock above prevents it
        raise ValidationError("Another case took this reference: try again.") from exc
    case.agencies.set(referral.agencies_involved.all())
    referral.status = Referral.Status.ACCEPTED
    referral.triaged_by, referral.triaged_at = actor, now
    referral.save(update_fields=["status", "triaged_by", "triaged_at", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=referral,
        detail={"from": old, "to": referral.status, "case": reference},
    )
    audit.record(actor=actor, action=audit.Action.CREATE, subject=case, detail={"referral": referral.pk})
    return case


@transaction.atomic
def decline_referral(
    *, actor, referral: Referral, reason: str, recommend_other_learning_review: bool = False
) -> Referral:
    reason = (reason or "").strip()
    referral, old = _lock_for_triage(actor, referral, Referral.Status.DECLINED)
    if not reason:
        raise ValidationError({"reason": "Enter the reason for declining the referral"})
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.recommend_other_learning_review = bool(recommend_other_learning_review)
    referral.triaged_by, referral.triaged_at = actor, timezone.now()
    referral.save()
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=referral,
        detail={
            "from": old,
            "to": referral.status,
            "recommend_other_learning_review": referral.recommend_other_learning_review,
        },
    )
    return referral


@transaction.atomic
def request_more_information(*, actor, referral: Referral, question: str) -> Referral:
    """Send the referral back to its author with a question; they answer and resubmit."""
    question = (question or "").strip()
    referral, old = _lock_for_triage(actor, referral, Referral.Status.MORE_INFORMATION_REQUESTED)
    if not question:
        raise ValidationError({"question": "Enter the question for the referrer"})
    referral.status = Referral.Status.MORE_INFORMATION_REQUESTED
    referral.information_request = question
    referral.information_response = ""
    referral.triaged_by, referral.triaged_at = actor, timezone.now()
    referral.save()
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=referral,
        detail={"from": old, "to": referral.status},
    )
    return referral


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _check_case_values(case: Case, agencies) -> dict:
    errors = {}
    if case.incident_date and case.incident_date > _today():
        errors["incident_date"] = "The date of the incident must be today or in the past"
    if case.child_unborn and case.child_age_years is not None:
        errors["child_age_years"] = "Leave the age empty for an unborn child"
    if case.child_age_years is not None and case.child_age_years >= 18:
        errors["child_age_years"] = "The child must have been under 18 at the time of the incident"
    if case.child_initials and (len(case.child_initials) > 12 or " " in case.child_initials.strip()):
        errors["child_initials"] = "Enter initials only, like J.S."
    if agencies is not None and any(a.partnership_id != case.partnership_id for a in agencies):
        errors["agencies"] = "Select agencies of this partnership"
    return errors


@transaction.atomic
def update_case(*, actor, case: Case, values: dict, agencies: list[Agency] | None = None) -> Case:
    """Change the case's pseudonymised details."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(actor, "edit_case", case.partnership_id)
    if case.status == Case.Status.WITHDRAWN:
        raise ValidationError("This case was withdrawn: it can no longer be changed.")
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"Not case fields: {sorted(unknown)}")
    before = {name: getattr(case, name) for name in values}
    for name, value in values.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    if case.child_unborn:
        case.child_age_years = None
    errors = _check_case_values(case, agencies)
    if errors:
        raise ValidationError(errors)
    case.save()
    changed = [name for name in values if before[name] != getattr(case, name)]
    if agencies is not None and set(case.agencies.values_list("pk", flat=True)) != {a.pk for a in agencies}:
        case.agencies.set(agencies)
        changed.append("agencies")
    if changed:
        audit.record(actor=actor, action=audit.Action.CHANGE, subject=case, detail={"fields": changed})
    return case


@transaction.atomic
def set_brought_in(*, actor, case: Case, brought_in: bool, source: str = "", reason: str = "") -> Case:
    """Mark a case as brought in from before this system (an import, a case already
    under way), or no longer. Marking needs where it came from (``source``: a
    spreadsheet export, a paper file...) and why (``reason``); unmarking needs a reason.
    While marked, the case's recorded dates (notification, rapid review, review,
    publication) may be older than the review regulations (29 June 2018); they still
    follow the order of events and none may be in the future. Dates recorded while it
    was marked stay as they are if it is unmarked. Audited, with both reasons."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(actor, "mark_case_brought_in", case.partnership_id)
    source, reason = (source or "").strip(), (reason or "").strip()
    errors = {}
    if brought_in and not source:
        errors["source"] = (
            "Enter where the case was brought in from, for example a spreadsheet export or a paper file"
        )
    if not reason:
        errors["reason"] = (
            "Enter why the case's dates may be older than 29 June 2018"
            if brought_in
            else "Enter why the case is no longer marked as brought in"
        )
    if errors:
        raise ValidationError(errors)
    was = case.brought_in
    case.brought_in = bool(brought_in)
    case.brought_in_source = source if brought_in else ""
    case.brought_in_reason = reason if brought_in else ""
    case.save(update_fields=["brought_in", "brought_in_source", "brought_in_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=case,
        detail={"brought_in": [was, case.brought_in], "source": source, "reason": reason},
    )
    return case


@transaction.atomic
def add_chronology_entry(
    *, actor, case: Case, date: dt.date | None, entry: str, agency: Agency | None = None
) -> ChronologyEntry:
    require(actor, "edit_case", case.partnership_id)
    entry = (entry or "").strip()
    errors = {}
    if date is None:
        errors["date"] = "Enter the date of the event"
    elif date > _today():
        errors["date"] = "The date must be today or in the past"
    if not entry:
        errors["entry"] = "Describe what happened"
    if agency is not None and agency.partnership_id != case.partnership_id:
        errors["agency"] = "Select an agency of this partnership"
    if errors:
        raise ValidationError(errors)
    item = ChronologyEntry.objects.create(case=case, date=date, agency=agency, entry=entry, created_by=actor)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=item,
        partnership=case.partnership,
        label=f"{case.reference} chronology entry",
        detail={"date": date.isoformat(), "agency": getattr(agency, "pk", None)},
    )
    return item


# ---------------------------------------------------------------------------
# People added to one case (object-level grants, django-guardian)
# ---------------------------------------------------------------------------


def _view_case_permission():
    return Permission.objects.get(codename="view_case", content_type=ContentType.objects.get_for_model(Case))


@transaction.atomic
def grant_case_access(*, actor, case: Case, user):
    """Add a member of the partnership (a panel liaison, say) to one case: they may
    then see it, and download its rapid review PDF if their role allows."""
    require(actor, "edit_case", case.partnership_id)
    if user is None or not Membership.objects.filter(user=user, partnership_id=case.partnership_id).exists():
        raise ValidationError({"user": "Choose a member of this partnership."})
    grant, created = CaseUserObjectPermission.objects.get_or_create(
        user=user, content_object=case, permission=_view_case_permission()
    )
    if not created:
        raise ValidationError({"user": "This person already has access to the case."})
    audit.record(
        actor=actor,
        action=audit.Action.PERMISSION,
        subject=case,
        detail={"user_id": user.pk, "granted": ["view_case"]},
    )
    return grant


@transaction.atomic
def revoke_case_access(*, actor, grant) -> None:
    """Remove a person from the case: their access ends at once."""
    case = grant.content_object
    require(actor, "edit_case", case.partnership_id)
    user_id = grant.user_id
    grant.delete()
    audit.record(
        actor=actor,
        action=audit.Action.PERMISSION,
        subject=case,
        detail={"user_id": user_id, "revoked": ["view_case"]},
    )


def advance_stage(*, case: Case, to: str) -> None:
    """Move the case forward to the pipeline stage ``to`` (never back).

    Called by the later apps' services inside their own transaction (they may
    import cases; cases never imports them). A case already at or past ``to``
    (a decision recorded again, a second review) keeps its stage.
    """
    order = list(Case.Stage.values)
    earlier = order[: order.index(to)]
    if Case.objects.filter(pk=case.pk, stage__in=earlier).update(stage=to, updated_at=timezone.now()):
        case.stage = to
