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

from . import codes
from .models import (
    Case,
    CaseChild,
    CaseUserObjectPermission,
    ChronologyEntry,
    OtherProcess,
    Referral,
    ReferralChild,
)

#: What the author may write on a referral (the form's fields, in form order); the
#: children it names are given apart (``REFERRAL_CHILD_FIELDS``, one dict each).
REFERRAL_FIELDS = [
    "referrer_name",
    "referrer_agency",
    "referrer_role",
    "referrer_contact",
    "incident_date",
    "incident_description",
    "abuse_or_neglect",
    "why_criteria_met",
    "concerns_about_agencies",
    "childrens_social_care_aware",
    "other_processes",
    "information_response",
]

#: What the referral holds of each child it names (identity: the business team only).
REFERRAL_CHILD_FIELDS = ["name", "date_of_birth", "unborn", "address", "gender", "ethnicity", "nature"]

#: Fields a referral cannot be submitted without, with the message to show.
REQUIRED_TO_SUBMIT = {
    "referrer_name": "Enter your name",
    "referrer_agency": "Select your agency",
    "referrer_role": "Enter your role",
    "referrer_contact": "Enter your phone number or email address",
    "incident_date": "Enter the date of the incident",
    "incident_description": "Describe what happened",
    "abuse_or_neglect": "Select whether abuse or neglect is known or suspected",
    "why_criteria_met": "Explain why you think this may be a serious child safeguarding case",
    "childrens_social_care_aware": "Select whether children's social care knows about this",
}

#: Each child's answers a referral cannot be submitted without ({n}: the child's number).
REQUIRED_OF_EACH_CHILD = {
    "name": "Enter the full name of child {n}",
    "gender": "Select the gender of child {n}, or 'Not known'",
    "address": "Enter the address of child {n}, or 'Not known'",
    "nature": "Select whether child {n} died, was seriously harmed, or other",
}

#: What may be changed of the case itself (the incident); its children apart.
CASE_FIELDS = ["incident_date"]

#: What the case holds of each child, pseudonymised (``CaseChild``), besides the
#: agencies that knew the child (given apart, as a list of ``Agency``).
CASE_CHILD_FIELDS = [
    "initials",
    "unborn",
    "age_months",
    "gender",
    "ethnicity",
    "ethnicity_detail",
    "disability",
    "disability_kind",
    "nature",
    "looked_after",
    "placement_type",
    "child_protection_plan",
    "child_in_need",
    "known_to_agencies",
    "caused_serious_harm_to_another",
]

#: The coded fields of a case's child, each with its code list.
CODED_CHILD_FIELDS = {
    "gender": codes.Gender,
    "ethnicity": codes.Ethnicity,
    "disability": codes.YesNoNotKnown,
    "nature": codes.Nature,
    "looked_after": codes.YesNoNotKnown,
    "placement_type": codes.PlacementType,
    "child_protection_plan": codes.YesNoNotKnown,
    "child_in_need": codes.YesNoNotKnown,
    "known_to_agencies": codes.YesNoNotKnown,
}

TOO_MANY_CHILDREN = (
    f"Name at most {codes.MAX_CHILDREN} children: one notification covers one incident "
    f"with up to {codes.MAX_CHILDREN} children"
)
NO_CHILD = "Name at least one child"


def child_error_key(ordinal: int, field: str) -> str:
    """The error key of one child's field where several children are given at once
    (the referral form, the API's ``children`` list): ``child_2_age_months``."""
    return f"child_{ordinal}_{field}"


def _today() -> dt.date:
    return timezone.localdate()


def age_in_years(date_of_birth: dt.date | None, on: dt.date | None) -> int | None:
    if not date_of_birth or not on:
        return None
    return relativedelta(on, date_of_birth).years


def age_in_months(date_of_birth: dt.date | None, on: dt.date | None) -> int | None:
    if not date_of_birth or not on:
        return None
    age = relativedelta(on, date_of_birth)
    return age.years * 12 + age.months


def _check_coded(errors: dict, obj, field: str, choices, n: int, *, blank: bool = False) -> None:
    value = getattr(obj, field)
    if value in ("", None) and blank:
        return
    if value not in choices.values:
        if field == "nature" and value in ("", None):
            errors[field] = f"Select whether child {n} died, was seriously harmed, or other"
            return
        label = obj._meta.get_field(field).verbose_name.lower()
        errors[field] = f"Choose one of the listed answers for the {label} of child {n}"


# ---------------------------------------------------------------------------
# Referrals: writing and submitting
# ---------------------------------------------------------------------------


def _check_referral_child(child: ReferralChild, incident_date: dt.date | None) -> dict:
    """What is wrong with one child of a referral even in a draft, as {field: message}."""
    errors: dict[str, str] = {}
    n = child.ordinal
    today = _today()
    if child.date_of_birth and not child.unborn:
        if child.date_of_birth > today:
            errors["date_of_birth"] = f"The date of birth of child {n} must be in the past"
        elif incident_date and child.date_of_birth > incident_date:
            errors["date_of_birth"] = (
                f"The date of birth of child {n} must be on or before the date of the incident"
            )
        elif age_in_years(child.date_of_birth, incident_date or today) >= 18:
            errors["date_of_birth"] = f"Child {n} must have been under 18 at the time of the incident"
    _check_coded(errors, child, "gender", codes.Gender, n, blank=True)
    _check_coded(errors, child, "ethnicity", codes.Ethnicity, n, blank=True)
    _check_coded(errors, child, "nature", codes.Nature, n, blank=True)
    return errors


def _check_referral_values(
    referral: Referral, agencies: list[Agency] | None, children: list[ReferralChild]
) -> dict:
    """Errors that are wrong even in a draft (dates in the future, another
    partnership's agency, a fifth child). Returns {field: message}."""
    errors: dict[str, str] = {}
    today = _today()
    if referral.incident_date and referral.incident_date > today:
        errors["incident_date"] = "The date of the incident must be today or in the past"
    if len(children) > codes.MAX_CHILDREN:
        errors["children"] = TOO_MANY_CHILDREN
    for child in children:
        for field, message in _check_referral_child(child, referral.incident_date).items():
            errors[child_error_key(child.ordinal, field)] = message
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
    children = list(referral.children.all())
    errors = _check_referral_values(referral, list(referral.agencies_involved.all()), children)
    for field, message in REQUIRED_TO_SUBMIT.items():
        value = getattr(referral, field + "_id" if field == "referrer_agency" else field)
        if value in (None, "") and field not in errors:
            errors[field] = message
    if not children:
        errors.setdefault("children", NO_CHILD)
    for child in children:
        n = child.ordinal
        for field, message in REQUIRED_OF_EACH_CHILD.items():
            if getattr(child, field) in (None, ""):
                errors.setdefault(child_error_key(n, field), message.format(n=n))
        if not child.unborn and not child.date_of_birth:
            errors.setdefault(
                child_error_key(n, "date_of_birth"),
                f"Enter the date of birth of child {n}, or say the child was unborn",
            )
    if not referral.agencies_involved.exists():
        errors.setdefault("agencies_involved", "Select at least one agency involved with the child")
    if (
        referral.status == Referral.Status.MORE_INFORMATION_REQUESTED
        and not referral.information_response.strip()
    ):
        errors["information_response"] = "Answer the question from the business team"
    return errors


def _referral_children(referral: Referral, children: list[dict]) -> list[ReferralChild]:
    """Unsaved ``ReferralChild`` rows of ``children`` (dicts of REFERRAL_CHILD_FIELDS), numbered 1..n."""
    rows = []
    for ordinal, values in enumerate(children, 1):
        unknown = set(values) - set(REFERRAL_CHILD_FIELDS)
        if unknown:
            raise ValueError(f"Not fields of a referral's child: {sorted(unknown)}")
        clean = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        child = ReferralChild(referral=referral, ordinal=ordinal, **clean)
        if child.unborn:
            child.date_of_birth = None
        rows.append(child)
    return rows


def _child_values(child, fields) -> tuple:
    return tuple(getattr(child, name) for name in fields)


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
    children: list[dict] | None = None,
) -> Referral:
    """Create a draft referral (give ``partnership``) or change one (give
    ``referral``). Incomplete answers are allowed; impossible ones are not.

    ``children``: every child the referral names, in order (dicts of
    ``REFERRAL_CHILD_FIELDS``), replacing those it named; ``None`` keeps them."""
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
    if children is not None:
        new_children = _referral_children(referral, children)
    else:
        new_children = [] if created else list(referral.children.all())
    errors = _check_referral_values(referral, None if agencies is None else list(agencies), new_children)
    if errors:
        raise ValidationError(errors)
    referral.save()
    changed = [name for name in values if before[name] != getattr(referral, name)]
    if children is not None:
        old_children = [] if created else list(referral.children.all())
        if [_child_values(c, REFERRAL_CHILD_FIELDS) for c in old_children] != [
            _child_values(c, REFERRAL_CHILD_FIELDS) for c in new_children
        ]:
            referral.children.all().delete()
            for child in new_children:
                child.referral = referral
            ReferralChild.objects.bulk_create(new_children)
            changed.append("children")
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
    children = list(referral.children.all())
    if not children:
        raise ValidationError("The referral names no child: ask the referrer to name each child.")
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
                incident_date=referral.incident_date,
                opened_by=actor,
            )
    except IntegrityError as exc:  # pragma: no cover - the lock above prevents it
        raise ValidationError("Another case took this reference: try again.") from exc
    involved = list(referral.agencies_involved.all())
    case.agencies.set(involved)
    for child in children:
        case_child = CaseChild.objects.create(
            case=case,
            ordinal=child.ordinal,
            initials=child.initials,
            unborn=child.unborn,
            age_months=None if child.unborn else age_in_months(child.date_of_birth, referral.incident_date),
            gender=child.gender or codes.Gender.NOT_KNOWN,
            ethnicity=child.ethnicity or codes.Ethnicity.NOT_KNOWN,
            nature=child.nature or codes.Nature.SERIOUSLY_HARMED,
            known_to_agencies=codes.YesNoNotKnown.YES if involved else codes.YesNoNotKnown.NOT_KNOWN,
        )
        case_child.agencies.set(involved)
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
    if agencies is not None and any(a.partnership_id != case.partnership_id for a in agencies):
        errors["agencies"] = "Select agencies of this partnership"
    return errors


def _check_case_child(child: CaseChild, partnership_id: int, agencies: list[Agency]) -> dict:
    """What is wrong with one child of a case, as {field: message}; the messages
    name the child by number, so they read the same alone or in a list."""
    errors: dict[str, str] = {}
    n = child.ordinal
    initials = child.initials or ""
    if len(initials) > 12 or " " in initials.strip():
        errors["initials"] = f"Enter initials only for child {n}, like J.S."
    if child.age_months is not None:
        if not isinstance(child.age_months, int) or child.age_months < 0:
            errors["age_months"] = f"Enter the age of child {n} as a whole number"
        elif child.age_months >= codes.ADULT_AGE_MONTHS:
            errors["age_months"] = (
                f"Child {n} must have been under 18 at the time of the incident: "
                "a case is about children only"
            )
    for field, choices in CODED_CHILD_FIELDS.items():
        _check_coded(errors, child, field, choices, n, blank=field == "placement_type")
    if (
        child.looked_after == codes.YesNoNotKnown.YES
        and not child.placement_type
        and "placement_type" not in errors
    ):
        errors["placement_type"] = f"Select the placement type of child {n}, or 'Not known'"
    if child.disability != codes.YesNoNotKnown.YES and child.disability_kind:
        errors["disability_kind"] = f"Leave the kind of disability empty unless child {n} has a disability"
    if any(a.partnership_id != partnership_id for a in agencies):
        errors["agencies"] = "Select agencies of this partnership"
    elif agencies and child.known_to_agencies == codes.YesNoNotKnown.NO:
        errors["known_to_agencies"] = (
            f"Child {n} was known to the agencies selected: answer 'Yes', or select no agency"
        )
    return errors


def _set_child_values(child: CaseChild, values: dict) -> None:
    unknown = set(values) - set(CASE_CHILD_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a case's child: {sorted(unknown)}")
    for name, value in values.items():
        setattr(child, name, value.strip() if isinstance(value, str) else value)
    if child.unborn:
        child.age_months = None
    if child.looked_after != codes.YesNoNotKnown.YES:
        child.placement_type = ""


def _child_agencies(child: CaseChild) -> set[int]:
    return set(child.agencies.values_list("pk", flat=True)) if child.pk else set()


def _save_child(child: CaseChild, agencies: list[Agency] | None) -> bool:
    """Save ``child`` (checked), set its agencies; whether anything changed."""
    before = None
    if child.pk:
        stored = CaseChild.objects.get(pk=child.pk)
        before = _child_values(stored, CASE_CHILD_FIELDS)
    child.save()
    changed = before != _child_values(child, CASE_CHILD_FIELDS)
    if agencies is not None and _child_agencies(child) != {a.pk for a in agencies}:
        child.agencies.set(agencies)
        changed = True
    return changed


def _lock_case_to_edit(actor, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(actor, "edit_case", case.partnership_id)
    if case.status == Case.Status.WITHDRAWN:
        raise ValidationError("This case was withdrawn: it can no longer be changed.")
    return case


@transaction.atomic
def update_case(
    *,
    actor,
    case: Case,
    values: dict,
    agencies: list[Agency] | None = None,
    children: list[dict] | None = None,
) -> Case:
    """Change the case (the incident) and, given ``children``, every child of it.

    ``children``: the case's children in order, 1 to 4, each a dict of
    ``CASE_CHILD_FIELDS`` (a field left out keeps its value, or takes its default
    for a new child) with an optional ``agencies`` list; they replace the children
    the case named. Errors name a child's field as ``child_N_field``; nothing is
    saved unless everything is right."""
    case = _lock_case_to_edit(actor, case)
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"Not case fields: {sorted(unknown)}")
    before = {name: getattr(case, name) for name in values}
    for name, value in values.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    errors = _check_case_values(case, agencies)
    planned: list[tuple[CaseChild, list[Agency] | None]] = []
    if children is not None:
        if not children:
            errors["children"] = NO_CHILD
        elif len(children) > codes.MAX_CHILDREN:
            errors["children"] = TOO_MANY_CHILDREN
        else:
            existing = {child.ordinal: child for child in case.children.all()}
            for ordinal, given in enumerate(children, 1):
                given = dict(given)
                child_agencies = given.pop("agencies", None)
                child = existing.get(ordinal) or CaseChild(case=case, ordinal=ordinal)
                _set_child_values(child, given)
                check_agencies = (
                    list(child_agencies)
                    if child_agencies is not None
                    else list(child.agencies.all())
                    if child.pk
                    else []
                )
                for field, message in _check_case_child(child, case.partnership_id, check_agencies).items():
                    errors[child_error_key(ordinal, field)] = message
                planned.append((child, child_agencies))
    if errors:
        raise ValidationError(errors)
    case.save()
    changed = [name for name in values if before[name] != getattr(case, name)]
    if agencies is not None and set(case.agencies.values_list("pk", flat=True)) != {a.pk for a in agencies}:
        case.agencies.set(agencies)
        changed.append("agencies")
    if children is not None:
        children_changed = case.children.filter(ordinal__gt=len(planned)).delete()[0] > 0
        for child, child_agencies in planned:
            children_changed |= _save_child(child, child_agencies)
        if children_changed:
            changed.append("children")
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
def save_case_child(
    *,
    actor,
    case: Case,
    values: dict,
    agencies: list[Agency] | None = None,
    ordinal: int | None = None,
) -> CaseChild:
    """Change child ``ordinal`` of the case, or (no ``ordinal``) add the next child:
    at most four. Errors name the fields of ``CASE_CHILD_FIELDS`` (and ``agencies``)."""
    case = _lock_case_to_edit(actor, case)
    existing = list(case.children.all())
    if ordinal is None:
        if len(existing) >= codes.MAX_CHILDREN:
            raise ValidationError({"children": TOO_MANY_CHILDREN})
        child = CaseChild(case=case, ordinal=len(existing) + 1)
    else:
        child = next((c for c in existing if c.ordinal == ordinal), None)
        if child is None:
            raise ValidationError({"children": f"This case has no child {ordinal}."})
    created = child.pk is None
    _set_child_values(child, values)
    check_agencies = (
        list(agencies) if agencies is not None else list(child.agencies.all()) if child.pk else []
    )
    errors = _check_case_child(child, case.partnership_id, check_agencies)
    if errors:
        raise ValidationError(errors)
    if _save_child(child, agencies) or created:
        audit.record(
            actor=actor,
            action=audit.Action.CHANGE,
            subject=case,
            detail={"fields": ["children"], "child": child.ordinal, "added": created},
        )
    return child


@transaction.atomic
def remove_case_child(*, actor, case: Case, ordinal: int) -> None:
    """Take child ``ordinal`` off the case (named by mistake); the children after it
    move up a number. A case keeps at least one child."""
    case = _lock_case_to_edit(actor, case)
    children = list(case.children.all())
    child = next((c for c in children if c.ordinal == ordinal), None)
    if child is None:
        raise ValidationError({"children": f"This case has no child {ordinal}."})
    if len(children) == 1:
        raise ValidationError({"children": "A case names at least one child: change this child instead."})
    child.delete()
    for later in children:
        if later.ordinal > ordinal:
            CaseChild.objects.filter(pk=later.pk).update(ordinal=later.ordinal - 1)
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=case,
        detail={"fields": ["children"], "child": ordinal, "removed": True},
    )


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
