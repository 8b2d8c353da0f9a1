"""Pages of the rapid review: the list, the detail page with one small form per
part (each posts to its own address and works without JavaScript), the edit
pages of an agency return and a safety action, opening from a case, and the PDF.

Views parse input, call a service, render; the rules live in ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.selectors import access_case
from cspr.formats import long_date
from cspr.forms import apply_service_errors
from cspr.pages import confirm_removal
from cspr.panels import panels_for
from cspr.workdays import current_calendar

from . import forms, pdf, services
from .models import Attendee, RapidReview
from .selectors import (
    access_agency_return,
    access_attendee,
    access_meeting,
    access_rapid_review,
    access_safety_action,
    can_decide,
    can_export_pdf,
    can_manage,
    can_see_case,
    rapid_reviews_visible_to,
)

PAGE_SIZE = 50


def clock_for(review: RapidReview, calendar=None, today=None) -> dict:
    """Due date and working days left of the review's 15-working-day clock."""
    due = getattr(review, "due_date", None)
    if due is None:
        return {"due_date": None, "days_left": None, "days_left_label": "No clock", "overdue": False}
    calendar = calendar or current_calendar()
    today = today or timezone.localdate()
    days_left = calendar.working_days_between(today, due)
    if review.submitted_on:
        late = review.submitted_on > due
        label = f"Sent on {long_date(review.submitted_on)}{' (late)' if late else ' (on time)'}"
    elif getattr(review, "deadline_status", "") == "waived":
        label = "Waived"
    elif days_left > 0:
        label = f"{days_left} working day{'s' if days_left != 1 else ''} left"
    elif days_left == 0:
        label = "Due today"
    else:
        label = f"{-days_left} working day{'s' if days_left != -1 else ''} overdue"
    return {
        "due_date": due,
        "days_left": days_left,
        "days_left_label": label,
        "overdue": days_left < 0 and not review.submitted_on,
    }


# -- list and open --------------------------------------------------------------------


@login_required
@require_GET
def rapid_review_list(request):
    page = Paginator(rapid_reviews_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    calendar, today = current_calendar(), timezone.localdate()
    rows = [{"review": review, **clock_for(review, calendar, today)} for review in page.object_list]
    return render(request, "rapid_review/list.html", {"rows": rows, "page": page})


@login_required
@require_POST
def open_rapid_review(request, case_pk):
    case = access_case(request.user, case_pk)
    try:
        review = services.open_rapid_review(case=case, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        existing = RapidReview.objects.filter(case=case).first()
        if existing is not None:
            return redirect("rapid_review:detail", existing.pk)
        return redirect("rapid_review:list")
    messages.success(request, f"Rapid review opened for case {case.reference}.")
    return redirect("rapid_review:detail", review.pk)


# -- detail and its forms -------------------------------------------------------------

#: slug -> (form class, anchor on the page, success message, what the service call is)
SECTIONS = {
    "meeting-add": (forms.MeetingForm, "meetings", "Meeting added."),
    "attendee-add": (forms.AttendeeForm, "meetings", "Attendee added."),
    "meeting-held": (forms.MeetingHeldForm, "meetings", "The rapid review meeting is recorded as held."),
    "return-add": (forms.AgencyReturnForm, "agency-returns", "Agency information return added."),
    "action-add": (forms.SafetyActionForm, "safety-actions", "Immediate action added."),
    "analysis": (forms.AnalysisForm, "analysis", "Analysis saved."),
    "criteria": (forms.CriteriaForm, "criteria", "Criteria saved."),
    "decision": (forms.DecisionForm, "decision", "Decision recorded."),
    "share": (forms.ShareDecisionForm, "decision", "Sharing of the decision recorded."),
    "signoff": (forms.SignOffForm, "sign-off", "Sign-off saved."),
    "submit": (forms.SubmitForm, "submission", "Rapid review recorded as sent to the Panel."),
    "panel-response": (forms.PanelResponseForm, "panel-response", "The Panel's response is recorded."),
}


def _call_service(slug: str, review: RapidReview, actor, data: dict):
    if slug == "meeting-add":
        return services.add_meeting(review=review, actor=actor, **data)
    if slug == "attendee-add":
        return services.add_attendee(review=review, actor=actor, **data)
    if slug == "meeting-held":
        return services.mark_meeting_held(review=review, actor=actor)
    if slug == "return-add":
        return services.add_agency_return(review=review, actor=actor, **data)
    if slug == "action-add":
        return services.add_safety_action(review=review, actor=actor, **data)
    if slug in ("analysis", "criteria", "signoff"):
        return services.update_rapid_review(review=review, actor=actor, **data)
    if slug == "decision":
        return services.record_decision(review=review, actor=actor, **data)
    if slug == "share":
        return services.record_decision_shared(review=review, actor=actor, **data)
    if slug == "submit":
        return services.submit_to_panel(review=review, actor=actor, **data)
    if slug == "panel-response":
        return services.record_panel_response(review=review, actor=actor, **data)
    raise ValueError(slug)


def _render_detail(request, review: RapidReview, failed: tuple[str, object] | None = None):
    bound = dict([failed]) if failed else {}
    section_forms = {
        slug.replace("-", "_"): bound.get(slug) or form_class(review=review)
        for slug, (form_class, _anchor, _message) in SECTIONS.items()
    }
    context = {
        "review": review,
        "case": review.case,
        "notification": getattr(review.case, "notification", None),
        "meetings": list(review.meetings.all()),
        "agency_returns": list(review.agency_returns.all()),
        "safety_actions": list(review.safety_actions.all()),
        "forms": section_forms,
        "can_manage": can_manage(request.user, review),
        "can_decide": can_decide(request.user, review),
        "may_record_decision": can_decide(request.user, review) and review.decision_may_be_recorded,
        "can_export_pdf": can_export_pdf(request.user, review),
        "can_see_case": can_see_case(request.user, review),
        "editable": not review.is_submitted,
        **clock_for(review),
        # What follows the decision (the commissioned review) is added by its app.
        "panels": panels_for("rapid_review", request, review),
    }
    if failed:
        context["form"] = failed[1]  # title "Error: " and the error summary
        context["failed_section"] = failed[0]
    return render(request, "rapid_review/detail.html", context)


@login_required
@require_GET
def rapid_review_detail(request, pk):
    review = access_rapid_review(request.user, pk, record_view=True)
    return _render_detail(request, review)


@login_required
@require_POST
def rapid_review_section(request, pk, section):
    review = access_rapid_review(request.user, pk)
    form_class, anchor, success = SECTIONS[section]
    form = form_class(request.POST, review=review)
    if form.is_valid():
        try:
            _call_service(section, review, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(reverse("rapid_review:detail", args=[review.pk]) + f"#{anchor}")
    review = access_rapid_review(request.user, pk)  # fresh: nothing was changed
    return _render_detail(request, review, failed=(section, form))


def _review_of(part) -> RapidReview:
    """The rapid review a part found by its ``access_*`` selector belongs to (cached there)."""
    return part.meeting.review if isinstance(part, Attendee) else part.review


def _edit_part(request, part, *, form_class, service, kwarg, template_title):
    review = _review_of(part)
    if not can_manage(request.user, review):
        raise PermissionDenied("Only a business manager or partner lead can change this.")
    if request.method == "POST":
        form = form_class(request.POST, review=review)
        if form.is_valid():
            try:
                service(**{kwarg: part}, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{template_title} saved.")
                return redirect("rapid_review:detail", review.pk)
    else:
        initial = {name: getattr(part, name) for name in form_class.base_fields if hasattr(part, name)}
        form = form_class(review=review, initial=initial)
    return render(
        request,
        "rapid_review/edit_part.html",
        {
            "review": review,
            "part": part,
            "form": form,
            "heading": template_title,
            "editable": not review.is_submitted,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_return_edit(request, pk, return_pk):
    return _edit_part(
        request,
        access_agency_return(request.user, pk, return_pk),
        form_class=forms.AgencyReturnEditForm,
        service=services.update_agency_return,
        kwarg="agency_return",
        template_title="Agency information return",
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety_action_edit(request, pk, action_pk):
    return _edit_part(
        request,
        access_safety_action(request.user, pk, action_pk),
        form_class=forms.SafetyActionForm,
        service=services.update_safety_action,
        kwarg="safety_action",
        template_title="Immediate action",
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendee_edit(request, pk, attendee_pk):
    return _edit_part(
        request,
        access_attendee(request.user, pk, attendee_pk),
        form_class=forms.AttendeeEditForm,
        service=services.update_attendee,
        kwarg="attendee",
        template_title="Attendee",
    )


# -- removing a record added by mistake -----------------------------------------------


def _removal(request, part, *, heading, success, anchor, remove, details=(), intro="", refusal_for=None):
    """The shared confirm-and-remove page for one part of the rapid review (found by
    its ``access_*`` selector)."""
    review = _review_of(part)
    if not can_manage(request.user, review):
        raise PermissionDenied("Only a business manager or partner lead can remove this.")
    refusal = ""
    if request.method == "GET":
        refusal = services.removal_refusal(review, **(refusal_for(part) if refusal_for else {}))
    return confirm_removal(
        request,
        heading=heading(part),
        caption=f"Rapid review {review.case.reference}",
        back_url=reverse("rapid_review:detail", args=[review.pk]) + f"#{anchor}",
        success=success,
        remove=lambda: remove(part),
        details=details(part) if details else (),
        intro=intro(part) if callable(intro) else intro,
        refusal=refusal,
    )


def _attendee_names(meeting) -> list[str]:
    return [person.name for person in meeting.attendees.all()]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_remove(request, pk, meeting_pk):
    def intro(meeting):
        names = _attendee_names(meeting)
        if not names:
            return ""
        return (
            f"Its {len(names)} attendee{'s' if len(names) != 1 else ''} "
            f"({', '.join(names)}) will be removed too."
        )

    return _removal(
        request,
        access_meeting(request.user, pk, meeting_pk),
        heading=lambda meeting: f"Remove the meeting on {long_date(meeting.date)}?",
        success="Meeting removed.",
        anchor="meetings",
        intro=intro,
        refusal_for=lambda meeting: {"meeting": meeting},
        remove=lambda meeting: services.remove_meeting(actor=request.user, meeting=meeting),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendee_remove(request, pk, attendee_pk):
    return _removal(
        request,
        access_attendee(request.user, pk, attendee_pk),
        heading=lambda person: f"Remove {person.name} from the meeting on {long_date(person.meeting.date)}?",
        details=lambda person: [
            ("Name", person.name),
            ("Agency", person.agency.name if person.agency else ""),
            ("Role", person.role),
        ],
        success="Attendee removed.",
        anchor="meetings",
        refusal_for=lambda person: {"attendee": person},
        remove=lambda person: services.remove_attendee(actor=request.user, attendee=person),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_return_remove(request, pk, return_pk):
    return _removal(
        request,
        access_agency_return(request.user, pk, return_pk),
        heading=lambda item: f"Remove the information return of {item.agency.name}?",
        details=lambda item: [
            ("Requested", long_date(item.requested_on)),
            ("Received", long_date(item.received_on) or "Not yet received"),
            ("Summary", item.summary),
        ],
        success="Agency information return removed.",
        anchor="agency-returns",
        remove=lambda item: services.remove_agency_return(actor=request.user, agency_return=item),
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety_action_remove(request, pk, action_pk):
    return _removal(
        request,
        access_safety_action(request.user, pk, action_pk),
        heading=lambda item: "Remove this immediate action?",
        details=lambda item: [
            ("Action", item.action),
            ("Owner", item.owner),
            ("Due", long_date(item.due_on)),
            ("Done", long_date(item.done_on) or "Not yet"),
        ],
        success="Immediate action removed.",
        anchor="safety-actions",
        remove=lambda item: services.remove_safety_action(actor=request.user, safety_action=item),
    )


# -- the PDF --------------------------------------------------------------------------


def pdf_response(request, review: RapidReview) -> HttpResponse:
    if not can_export_pdf(request.user, review):
        raise PermissionDenied(
            "Only a business manager, partner lead or panel liaison of the "
            "partnership can download the rapid review PDF."
        )
    content, name = pdf.download(review, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def rapid_review_pdf(request, pk):
    return pdf_response(request, access_rapid_review(request.user, pk))
