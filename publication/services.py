"""Every write of the publication app: the final report, copies to the Panel and
the Secretary of State, publishing (with the 7-working-day rule and the partner
lead's override), taking down (with the 12-month window), and briefings.

Rules (Working Together 2023, chapter 5):
- copies go to the Panel, the Secretary of State and Ofsted at least
  ``copies_before_publication_working_days`` working days before publication;
- the report stays public at least 12 months (``publication_window``), counted
  from the later of the publication date and the day the publication was
  recorded, so backdating cannot shorten it; a publication date more than
  ``BACKDATING_WORKING_DAYS`` working days before the day it is recorded needs a
  partner lead's reason;
- publishing only the information about improvements needs a recorded reason.

Every date is checked against the events before it (``cspr.chronology``): the
final report received, then each copy, then publication, then taking down.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services import advance_stage
from cspr import audit
from cspr.chronology import check_happened, check_order, check_planned, raise_errors
from cspr.formats import long_date
from cspr.pdf import render_pdf
from cspr.permissions import can, require
from cspr.selectors import deadlines_of
from cspr.services import meet_deadline, open_deadline, waive_deadline
from cspr.uploads import prepare_for_storage
from cspr.workdays import current_calendar
from reviews import services as review_services
from reviews.models import Review

from .models import Briefing, Publication

EDITABLE_FIELDS = [
    "title",
    "reviewer_names",
    "summary_of_improvements",
    "systemic_analysis",
    "scope",
    "scope_reason",
    "child_pseudonym",
    "legacy_scr",
]


def _today() -> dt.date:
    return timezone.localdate()


#: A publication date further back than this before the day it is recorded needs a
#: partner lead's reason.
BACKDATING_WORKING_DAYS = 5
#: The copies before publication and their labels (all three count).
COPIES = (
    ("copy_to_panel_on", "date the copy was sent to the National Panel"),
    ("copy_to_secretary_of_state_on", "date the copy was sent to the Secretary of State"),
    ("copy_to_ofsted_on", "date the copy was sent to Ofsted"),
)


def _not_future(day, field: str, what: str) -> None:
    errors: dict[str, str] = {}
    label = what[4:] if what.startswith("The ") else what
    check_happened(errors, date=(label, day), field=field)
    raise_errors(errors)


def _received(publication: Publication) -> tuple[str, dt.date | None]:
    return "date the final report was received", publication.review.final_report_received_on


def _check_scope(scope: str, reason: str) -> None:
    if scope == Publication.Scope.IMPROVEMENTS_ONLY and not (reason or "").strip():
        raise ValidationError({"scope_reason": "Enter why the full report will not be published."})


def _historic(publication: Publication) -> bool:
    """Brought in from before the service (a legacy serious case review, or a review of a
    case marked as brought in): its dates may be older than the review regulations."""
    return publication.legacy_scr or publication.review.case.brought_in


def _lock(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update()
        .select_related("review__case", "partnership")
        .get(pk=publication.pk)
    )


@transaction.atomic
def create_final_report(
    *,
    review: Review,
    actor,
    file,
    title: str,
    summary_of_improvements: str,
    received_on: dt.date | None = None,
    reviewer_names: str = "",
    systemic_analysis: str = "",
    scope: str = Publication.Scope.FULL,
    scope_reason: str = "",
    child_pseudonym: str = "",
    themes=(),
    legacy_scr: bool = False,
) -> Publication:
    """Store the final report (checked by content) for publication. If the review
    had not yet recorded it, this records the final report as received (which
    meets the local CSPR's clock)."""
    require(actor, "publish", review.partnership_id)
    if review.kind == Review.Kind.NATIONAL:
        raise ValidationError(
            "The Panel publishes a national review: record the national report on the review."
        )
    if Publication.objects.filter(review=review).exists():
        raise ValidationError("This review already has a final report.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the report."})
    if not (summary_of_improvements or "").strip():
        raise ValidationError(
            {"summary_of_improvements": "Enter the summary of the improvements recommended."}
        )
    _check_scope(scope, scope_reason)
    if not (reviewer_names or "").strip():
        reviewer_names = ", ".join(lead.display_name for lead in review.lead_reviewers.all())
    if not reviewer_names:
        raise ValidationError(
            {"reviewer_names": "Enter the lead reviewer's name: the published report must carry it."}
        )
    kind = prepare_for_storage(file)
    if review.status in (Review.Status.COMMISSIONED, Review.Status.IN_PROGRESS):
        review_services.record_final_report_received(
            review=review, actor=actor, received_on=received_on or _today()
        )
    publication = Publication(
        review=review,
        partnership_id=review.partnership_id,
        title=title,
        reviewer_names=reviewer_names.strip(),
        summary_of_improvements=summary_of_improvements,
        systemic_analysis=systemic_analysis or "",
        scope=scope,
        scope_reason=scope_reason or "",
        child_pseudonym=(child_pseudonym or "").strip(),
        legacy_scr=legacy_scr or review.kind == Review.Kind.LEGACY_SCR,
        size=file.size or 0,
    )
    publication.file.save(file.name, file, save=False)
    publication.save()
    publication.themes.set(list(themes or []))
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=publication,
        detail={"review_id": review.pk, "kind": kind},
    )
    return publication


@transaction.atomic
def update_publication(*, publication: Publication, actor, themes=None, file=None, **values) -> Publication:
    """Change the report's details (or replace its file) before it is published."""
    require(actor, "publish", publication.partnership_id)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    publication = _lock(publication)
    if publication.status != Publication.Status.PREPARING:
        raise ValidationError("A published report cannot be changed.")
    before = {name: getattr(publication, name) for name in EDITABLE_FIELDS}
    for name, value in values.items():
        setattr(publication, name, value)
    for name in ("title", "reviewer_names", "summary_of_improvements"):
        if not str(getattr(publication, name) or "").strip():
            raise ValidationError({name: "This cannot be empty."})
    _check_scope(publication.scope, publication.scope_reason)
    changed = [name for name in EDITABLE_FIELDS if getattr(publication, name) != before[name]]
    if file is not None:
        prepare_for_storage(file)
        publication.file.save(file.name, file, save=False)
        publication.size = file.size or 0
        changed.append("file")
    publication.save()
    if themes is not None:
        publication.themes.set(list(themes))
        changed.append("themes")
    if changed:
        audit.record(actor=actor, action=audit.Action.CHANGE, subject=publication, detail={"fields": changed})
    return publication


@transaction.atomic
def plan_publication(*, publication: Publication, actor, planned_publication_date: dt.date) -> Publication:
    """Record the planned publication date: this starts the clock for sending the
    copies (``copies_before_publication`` working days before it)."""
    require(actor, "publish", publication.partnership_id)
    publication = _lock(publication)
    if publication.status != Publication.Status.PREPARING:
        raise ValidationError("The report is already published.")
    if planned_publication_date is None:
        raise ValidationError({"planned_publication_date": "Enter the planned publication date."})
    errors: dict[str, str] = {}
    planned = ("planned publication date", planned_publication_date)
    check_planned(errors, date=planned, field="planned_publication_date")
    check_order(errors, earlier=_received(publication), later=planned, field="planned_publication_date")
    raise_errors(errors)
    publication.planned_publication_date = planned_publication_date
    publication.save(update_fields=["planned_publication_date", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=publication,
        detail={"planned_publication_date": planned_publication_date.isoformat()},
    )
    open_deadline(
        rule="copies_before_publication",
        subject=publication,
        partnership=publication.partnership,
        start_date=planned_publication_date,
        reference=publication.review.case.reference,
        actor=actor,
    )
    return publication


@transaction.atomic
def record_copies(
    *,
    publication: Publication,
    actor,
    copy_to_panel_on=None,
    copy_to_secretary_of_state_on=None,
    copy_to_ofsted_on=None,
) -> Publication:
    """The dates the final report (or the information about improvements) went to
    the National Panel, the Secretary of State and Ofsted. The three together meet
    the ``copies_before_publication`` clock (on the latest date); none may be before
    the final report was received."""
    require(actor, "publish", publication.partnership_id)
    publication = _lock(publication)
    if publication.status != Publication.Status.PREPARING:
        raise ValidationError("The report is already published.")
    values = {
        "copy_to_panel_on": copy_to_panel_on,
        "copy_to_secretary_of_state_on": copy_to_secretary_of_state_on,
        "copy_to_ofsted_on": copy_to_ofsted_on,
    }
    errors: dict[str, str] = {}
    for name, label in COPIES:
        copy = (label, values[name])
        check_happened(errors, date=copy, field=name, historic=_historic(publication))
        check_order(errors, earlier=_received(publication), later=copy, field=name)
    raise_errors(errors)
    for name, day in values.items():
        if day is not None:
            setattr(publication, name, day)
    publication.save()
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=publication,
        detail={k: v.isoformat() for k, v in values.items() if v},
    )
    later = copies_sent_on(publication)
    if later:
        meet_deadline(rule="copies_before_publication", subject=publication, met_on=later, actor=actor)
    return publication


def copies_sent_on(publication: Publication) -> dt.date | None:
    """The latest of the three copies' dates (Panel, Secretary of State, Ofsted), once
    all three are sent."""
    days = [getattr(publication, name) for name, _label in COPIES]
    return max(days) if all(days) else None


def copies_missing(publication: Publication) -> list[str]:
    """Who has not yet been sent a copy, in words."""
    return [
        label.removeprefix("date the copy was sent to ")
        for name, label in COPIES
        if not getattr(publication, name)
    ]


def earliest_publication_date(publication: Publication, *, calendar=None) -> dt.date | None:
    """Publishing is allowed from the working-day count after the later copy.
    Pass one ``calendar`` (``current_calendar()``) when computing it for many rows."""
    sent = copies_sent_on(publication)
    if sent is None:
        return None
    days = publication.partnership.copies_before_publication_working_days
    return (calendar or current_calendar()).add_working_days(sent, days)


@transaction.atomic
def publish(
    *,
    publication: Publication,
    actor,
    published_on: dt.date | None = None,
    override_reason: str = "",
    backdating_reason: str = "",
) -> Publication:
    """Publish the report. Refused earlier than the rule allows after the copies,
    unless a partner lead records a reason; a publication date more than
    ``BACKDATING_WORKING_DAYS`` working days back needs a partner lead's reason too.
    Opens the 12-month window, from the later of the publication date and today."""
    require(actor, "publish", publication.partnership_id)
    publication = _lock(publication)
    if publication.status != Publication.Status.PREPARING:
        raise ValidationError(
            f"This cannot be done while the report is “{publication.get_status_display()}”."
        )
    today = _today()
    published_on = published_on or today
    errors: dict[str, str] = {}
    published = ("publication date", published_on)
    check_happened(errors, date=published, field="published_on", historic=_historic(publication))
    check_order(errors, earlier=_received(publication), later=published, field="published_on")
    for name, label in COPIES:
        check_order(
            errors, earlier=(label, getattr(publication, name)), later=published, field="published_on"
        )
    raise_errors(errors)
    _check_scope(publication.scope, publication.scope_reason)
    if not publication.reviewer_names.strip():
        raise ValidationError("The published report must name the lead reviewer: add it first.")
    if not publication.file:
        raise ValidationError("Upload the final report first.")
    sent = copies_sent_on(publication)
    if sent is None:
        raise ValidationError(
            "Record the dates the copies went to the National Panel, the Secretary of State "
            f"and Ofsted first (not yet recorded: {', '.join(copies_missing(publication))})."
        )
    calendar = current_calendar()
    earliest = earliest_publication_date(publication, calendar=calendar)
    override_reason = (override_reason or "").strip()
    backdating_reason = (backdating_reason or "").strip()
    lead = can(actor, "override_publication", publication.partnership_id)
    errors: dict[str, str] = {}
    early = published_on < earliest
    days = publication.partnership.copies_before_publication_working_days
    if early and not override_reason:
        errors["published_on"] = (
            f"It is too early to publish: the copies went on {long_date(sent)}, so the earliest "
            f"date is {long_date(earliest)} ({days} working days later). A partner lead can "
            "publish earlier by recording the reason."
        )
    elif early and not lead:
        errors["override_reason"] = (
            f"Only a partner lead can publish earlier than {days} working days after the copies were sent."
        )
    backdated = calendar.working_days_between(published_on, today) > BACKDATING_WORKING_DAYS
    if backdated and not backdating_reason:
        errors["backdating_reason"] = (
            f"The publication date ({long_date(published_on)}) is more than "
            f"{BACKDATING_WORKING_DAYS} working days before today ({long_date(today)}): a partner "
            "lead must record why."
        )
    elif backdated and not lead:
        errors["backdating_reason"] = (
            "Only a partner lead can record a publication date more than "
            f"{BACKDATING_WORKING_DAYS} working days before today."
        )
    raise_errors(errors)
    if early:
        publication.early_publication_reason = override_reason
        publication.early_publication_by = actor
    if backdated:
        publication.backdating_reason = backdating_reason
        publication.backdated_by = actor
    publication.status = Publication.Status.PUBLISHED
    publication.published_on = published_on
    publication.published_recorded_on = today
    publication.published_by = actor
    # The 12 months run from the later of the publication date and today: a
    # backdated publication date cannot shorten them.
    deadline = open_deadline(
        rule="publication_window",
        subject=publication,
        partnership=publication.partnership,
        start_date=max(published_on, today),
        reference=publication.review.case.reference,
        actor=actor,
    )
    publication.public_until = deadline.due_date
    publication.save()
    advance_stage(case=publication.review.case, to=Case.Stage.PUBLICATION)
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=publication,
        detail={
            "status": ["preparing", "published"],
            "published_on": published_on.isoformat(),
            "recorded_on": today.isoformat(),
            "early": early,
            **({"override_reason": override_reason} if early else {}),
            **({"backdating_reason": backdating_reason} if backdated else {}),
        },
    )
    for briefing in publication.review.briefings.filter(
        publish_with_report=True, status=Briefing.Status.DRAFT
    ):
        briefing.status, briefing.published_on = Briefing.Status.PUBLISHED, published_on
        briefing.save(update_fields=["status", "published_on", "updated_at"])
        audit.record(
            actor=actor,
            action=audit.Action.TRANSITION,
            subject=briefing,
            partnership=publication.partnership,
            detail={"status": "published"},
        )
    review = publication.review
    if review.status == Review.Status.FINAL_REPORT_RECEIVED:
        review_services.complete_review(review=review, actor=actor, completed_on=published_on)
    return publication


@transaction.atomic
def take_down(
    *, publication: Publication, actor, reason: str, taken_down_on: dt.date | None = None
) -> Publication:
    """Take a published report down, with a reason. Inside its 12 months (from the
    later of the publication date and the day the publication was recorded) only a
    partner lead may (for example after a court order)."""
    require(actor, "publish", publication.partnership_id)
    publication = _lock(publication)
    if publication.status != Publication.Status.PUBLISHED:
        raise ValidationError("Only a published report can be taken down.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for taking the report down."})
    taken_down_on = taken_down_on or _today()
    errors: dict[str, str] = {}
    taken_down = ("date taken down", taken_down_on)
    check_happened(errors, date=taken_down, field="taken_down_on", historic=_historic(publication))
    check_order(
        errors,
        earlier=("publication date", publication.published_on),
        later=taken_down,
        field="taken_down_on",
    )
    raise_errors(errors)
    # ``public_until`` counts from the later of the publication date and the day the
    # publication was recorded: backdating the publication cannot bring it forward.
    inside_window = taken_down_on < publication.public_until
    if inside_window and not can(actor, "override_publication", publication.partnership_id):
        raise ValidationError(
            f"The report must stay public until {long_date(publication.public_until)}: "
            "only a partner lead can take it down earlier, with a reason."
        )
    publication.status = Publication.Status.TAKEN_DOWN
    publication.taken_down_on = taken_down_on
    publication.take_down_reason = reason
    publication.taken_down_by = actor
    publication.save()
    audit.record(
        actor=actor,
        action=audit.Action.TRANSITION,
        subject=publication,
        detail={
            "status": ["published", "taken_down"],
            "reason": reason,
            "inside_window": inside_window,
            "taken_down_on": taken_down_on.isoformat(),
        },
    )
    deadline = deadlines_of(publication, rule="publication_window").first()
    if deadline is not None and not deadline.is_closed:
        if inside_window:
            waive_deadline(deadline=deadline, actor=actor, reason=f"Taken down early: {reason}")
        else:
            meet_deadline(
                rule="publication_window", subject=publication, met_on=publication.public_until, actor=actor
            )
    for briefing in publication.review.briefings.filter(
        publish_with_report=True, status=Briefing.Status.PUBLISHED
    ):
        briefing.status = Briefing.Status.DRAFT
        briefing.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=audit.Action.TRANSITION,
            subject=briefing,
            partnership=publication.partnership,
            detail={"status": "draft", "reason": reason},
        )
    return publication


# ---------------------------------------------------------------------------
# 7-minute briefings
# ---------------------------------------------------------------------------

BRIEFING_FIELDS = [
    "title",
    "background",
    "what_happened",
    "key_learning",
    "what_should_change",
    "question_1",
    "question_2",
    "question_3",
    "publish_with_report",
]


def _check_briefing(briefing: Briefing) -> None:
    errors = {}
    for name in BRIEFING_FIELDS[:-1]:
        if not str(getattr(briefing, name) or "").strip():
            errors[name] = "This cannot be empty."
    if errors:
        raise ValidationError(errors)
    if briefing.publish_with_report and briefing.review_id is None:
        raise ValidationError({"publish_with_report": "A briefing without a review is published on its own."})


@transaction.atomic
def create_briefing(*, partnership, actor, review: Review | None = None, themes=(), **values) -> Briefing:
    require(actor, "publish", partnership.pk)
    if review is not None and review.partnership_id != partnership.pk:
        raise ValidationError({"review": "Choose a review of this partnership."})
    unknown = set(values) - set(BRIEFING_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    briefing = Briefing(partnership=partnership, review=review, created_by=actor, **values)
    if review is None:
        briefing.publish_with_report = False
    _check_briefing(briefing)
    briefing.save()
    briefing.themes.set(list(themes or []))
    audit.record(actor=actor, action=audit.Action.CREATE, subject=briefing)
    return briefing


@transaction.atomic
def update_briefing(*, briefing: Briefing, actor, themes=None, **values) -> Briefing:
    require(actor, "publish", briefing.partnership_id)
    unknown = set(values) - set(BRIEFING_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    for name, value in values.items():
        setattr(briefing, name, value)
    _check_briefing(briefing)
    briefing.save()
    if themes is not None:
        briefing.themes.set(list(themes))
    audit.record(actor=actor, action=audit.Action.CHANGE, subject=briefing, detail={"fields": sorted(values)})
    return briefing


@transaction.atomic
def publish_briefing(*, briefing: Briefing, actor, published_on: dt.date | None = None) -> Briefing:
    """Publish a briefing on its own (one published with the report goes with it)."""
    require(actor, "publish", briefing.partnership_id)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status == Briefing.Status.PUBLISHED:
        raise ValidationError("This briefing is already published.")
    if briefing.publish_with_report:
        raise ValidationError(
            "This briefing is published with the review's final report. To publish it "
            "now, choose to publish it on its own first."
        )
    published_on = published_on or _today()
    _not_future(published_on, "published_on", "The publication date")
    briefing.status, briefing.published_on = Briefing.Status.PUBLISHED, published_on
    briefing.save(update_fields=["status", "published_on", "updated_at"])
    audit.record(
        actor=actor, action=audit.Action.TRANSITION, subject=briefing, detail={"status": "published"}
    )
    return briefing


def render_briefing_pdf(briefing: Briefing) -> bytes:
    """The one-page A4 PDF of a briefing (only its own, public fields)."""
    return render_pdf("pdf/briefing.html", {"briefing": briefing}, title=briefing.title)
