"""Pages of the reviews app: parse input, call a service or a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cspr.formats import long_date
from cspr.forms import apply_service_errors
from cspr.pages import confirm_removal, form_page
from cspr.permissions import partnership_ids_for
from cspr.selectors import deadlines_of
from cspr.uploads import serve_document
from rapid_review.selectors import access_rapid_review

from . import forms, selectors, services
from .models import Action, Recommendation, Review, TeamMember

PAGE_SIZE = 50


def _require(request, review: Review, capability: str) -> None:
    if capability != "view_review" and not selectors.can_on_review(request.user, capability, review):
        raise PermissionDenied("Only the business team or the review's lead reviewer can do this.")


def _review(request, pk, capability: str = "view_review") -> Review:
    review = selectors.access_review(request.user, pk)
    _require(request, review, capability)
    return review


def _back(review) -> str:
    return reverse("reviews:review-detail", args=[review.pk])


def _confirm_removal(
    request,
    review,
    *,
    heading: str,
    success: str,
    remove,
    intro: str = "",
    details=(),
    refusal: str = "",
    anchor: str = "",
):
    """The shared confirm-and-remove page (``rapid_review.removal.confirm_removal``),
    back to this review's page: GET asks "Remove …?", POST calls the service."""
    return confirm_removal(
        request,
        heading=heading,
        caption=review.reference,
        back_url=_back(review) + (f"#{anchor}" if anchor else ""),
        success=success,
        remove=remove,
        intro=intro,
        details=details,
        refusal=refusal,
    )


def _remove_record(request, record, *, heading, success, remove, anchor, details=()):
    """Remove an event, a family involvement entry or a reg 14 request added by mistake
    (found by its ``access_*`` selector; ``heading`` and ``details`` describe it;
    ``remove`` calls the service)."""
    review = record.review
    _require(request, review, "manage_review")
    return _confirm_removal(
        request,
        review,
        heading=heading(record),
        success=success,
        anchor=anchor,
        details=details(record) if callable(details) else details,
        refusal=services.removal_lock(review) if request.method == "GET" else "",
        remove=lambda: remove(record),
    )


@login_required
def review_list(request):
    reviews = selectors.reviews_visible_to(request.user).order_by("-decided_on", "-id")
    status = request.GET.get("status", "")
    if status in Review.Status.values:
        reviews = reviews.filter(status=status)
    return render(
        request,
        "reviews/review_list.html",
        {
            "reviews": Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": Review.Status.choices,
            "status": status,
            "can_commission": bool(partnership_ids_for(request.user, "commission_review")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_commission(request):
    if not partnership_ids_for(request.user, "commission_review"):
        raise PermissionDenied("Only a partner lead or business manager can commission a review.")
    cases = selectors.cases_for_commissioning(request.user)
    form = forms.CommissionReviewForm(request.POST or None, cases=cases)
    return form_page(
        request,
        form=form,
        heading="Commission a review",
        back_url=reverse("reviews:review-list"),
        submit="Commission the review",
        success="The review has been commissioned.",
        intro="Choose the case, the kind of review the partners decided on, and the date they decided.",
        run=lambda d: services.commission_review(
            case=d["case"],
            kind=d["kind"],
            decided_on=d["decided_on"],
            commissioned_on=d["commissioned_on"],
            method=d["method"],
            actor=request.user,
        ),
        next_url=lambda review: _back(review),
    )


@login_required
@require_POST
def review_commission_from_rapid_review(request, rapid_review_pk):
    """The "Commission the review" button of a decided rapid review."""
    rapid_review = access_rapid_review(request.user, rapid_review_pk, parts=False)
    form = forms.CommissionFromRapidReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("commissioned_on", []))
        review = services.commission_review_from_rapid_review(
            rapid_review=rapid_review,
            actor=request.user,
            method=request.POST.get("method", ""),
            commissioned_on=form.cleaned_data["commissioned_on"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rapid_review:detail", rapid_review.pk)
    messages.success(request, f"The {review.get_kind_display().lower()} is commissioned.")
    return redirect("reviews:review-detail", review.pk)


@login_required
def review_detail(request, pk):
    review = selectors.access_review(request.user, pk, parts=True, record_view=True)
    deadlines = deadlines_of(review)
    can_manage = selectors.can_on_review(request.user, "manage_review", review)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "deadlines": deadlines,
            "can_manage": can_manage,
            "removable": can_manage and not services.removal_lock(review),
            "addable": can_manage and not services.addition_lock(review),
            "can_manage_recommendations": selectors.can_on_review(
                request.user, "manage_recommendations", review
            ),
            "status_form": forms.ReviewStatusForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_terms(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.TermsOfReferenceForm(request.POST or None, instance=Review.objects.get(pk=review.pk))
    return form_page(
        request,
        form=form,
        heading="Terms of reference",
        caption=review.reference,
        back_url=_back(review),
        success="The terms of reference have been saved.",
        run=lambda d: services.update_terms_of_reference(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_findings(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.FindingsForm(request.POST or None, instance=Review.objects.get(pk=review.pk))
    return form_page(
        request,
        form=form,
        heading="Findings",
        caption=review.reference,
        back_url=_back(review),
        success="The findings have been saved.",
        run=lambda d: services.record_findings(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_national(request, pk):
    review = _review(request, pk, "manage_review")
    if review.kind != Review.Kind.NATIONAL:
        raise Http404("Only a national review has these details.")
    form = forms.NationalReviewForm(request.POST or None, instance=Review.objects.get(pk=review.pk))
    return form_page(
        request,
        form=form,
        heading="The national review",
        caption=review.reference,
        back_url=_back(review),
        success="The national review's details have been saved.",
        run=lambda d: services.update_national_review(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_status(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.ReviewStatusForm(request.POST or None)

    def run(d):
        return services.record_progress(review=review, actor=request.user, **d)

    return form_page(
        request,
        form=form,
        heading="Record progress",
        caption=review.reference,
        back_url=_back(review),
        run=run,
        success="The review's progress has been recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_reviewer_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.LeadReviewerForm(request.POST or None, partnership_id=review.partnership_id)
    return form_page(
        request,
        form=form,
        heading="Add a lead reviewer",
        caption=review.reference,
        back_url=_back(review),
        success="The lead reviewer has been added.",
        submit="Add",
        run=lambda d: services.add_lead_reviewer(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_reviewer_remove(request, pk, lead_pk):
    lead = selectors.access_lead_reviewer(request.user, pk, lead_pk)
    review = lead.review
    _require(request, review, "manage_review")
    return _confirm_removal(
        request,
        review,
        heading=f"Remove {lead.display_name} as lead reviewer?",
        success="The lead reviewer has been removed.",
        remove=lambda: services.remove_lead_reviewer(lead=lead, actor=request.user),
        intro="They will lose access to this review at once.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_member_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.TeamMemberForm(
        request.POST or None, partnership_id=review.partnership_id, instance=TeamMember(review=review)
    )
    return form_page(
        request,
        form=form,
        heading="Add a review team member",
        caption=review.reference,
        back_url=_back(review),
        success="The team member has been added.",
        submit="Add",
        run=lambda d: services.add_team_member(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_member_remove(request, pk, member_pk):
    member = selectors.access_team_member(request.user, pk, member_pk)
    review = member.review
    _require(request, review, "manage_review")
    return _confirm_removal(
        request,
        review,
        heading=f"Remove {member} from the review team?",
        success="The team member has been removed.",
        remove=lambda: services.remove_team_member(member=member, actor=request.user),
        intro="They will lose access to this review at once.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.PractitionerEventForm(request.POST or None, partnership_id=review.partnership_id)
    return form_page(
        request,
        form=form,
        heading="Add a practitioner event",
        caption=review.reference,
        back_url=_back(review),
        success="The practitioner event has been added.",
        submit="Add",
        run=lambda d: services.add_practitioner_event(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_remove(request, pk, event_pk):
    def details(event):
        return [
            ("Agencies", ", ".join(agency.name for agency in event.agencies.all())),
            ("Number of attendees", str(event.attendee_count or "")),
            ("Notes", event.notes),
        ]

    return _remove_record(
        request,
        selectors.access_practitioner_event(request.user, pk, event_pk),
        anchor="practitioner-events",
        heading=lambda event: f"Remove the practitioner event on {long_date(event.date)}?",
        details=details,
        success="The practitioner event has been removed.",
        remove=lambda event: services.remove_practitioner_event(actor=request.user, event=event),
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.FamilyInvolvementForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Record family involvement",
        caption=review.reference,
        back_url=_back(review),
        success="The family involvement has been recorded.",
        intro="Record each family member by their relationship to the child. Never write names.",
        run=lambda d: services.record_family_involvement(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_remove(request, pk, family_pk):
    return _remove_record(
        request,
        selectors.access_family_involvement(request.user, pk, family_pk),
        anchor="family-involvement",
        heading=lambda entry: f"Remove the family involvement of the {entry.family_role}?",
        details=lambda entry: [
            ("Invited", long_date(entry.invited_on)),
            ("Met", long_date(entry.met_on)),
            ("Declined", long_date(entry.declined_on)),
            ("Notes", entry.notes),
        ],
        success="The family involvement has been removed.",
        remove=lambda entry: services.remove_family_involvement(actor=request.user, entry=entry),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.InformationRequestForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Record a written request to the reviewer",
        caption=review.reference,
        back_url=_back(review),
        intro="CSPR Regulations 2018, regulation 14: the partners may ask the reviewer in "
        "writing for information or a draft of the report.",
        success="The request has been recorded.",
        run=lambda d: services.record_information_request(review=review, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_answer(request, pk, request_pk):
    info_request = selectors.access_information_request(request.user, pk, request_pk)
    review = info_request.review
    _require(request, review, "manage_review")
    form = forms.AnswerRequestForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Record the answer",
        caption=review.reference,
        back_url=_back(review),
        success="The answer has been recorded.",
        run=lambda d: services.answer_information_request(request=info_request, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_remove(request, pk, request_pk):
    return _remove_record(
        request,
        selectors.access_information_request(request.user, pk, request_pk),
        anchor="information-requests",
        heading=lambda item: f"Remove the written request of {long_date(item.requested_on)}?",
        details=lambda item: [
            ("For", item.get_what_display()),
            ("Details", item.detail),
            ("Answered", long_date(item.answered_on) or "Not yet"),
        ],
        success="The written request has been removed.",
        remove=lambda item: services.remove_information_request(actor=request.user, request=item),
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_add(request, pk):
    review = _review(request, pk, "manage_review")
    form = forms.DraftForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        heading="Upload a draft",
        caption=review.reference,
        back_url=_back(review),
        success="The draft has been uploaded.",
        submit="Upload",
        run=lambda d: services.upload_draft(review=review, actor=request.user, **d),
    )


@login_required
def draft_download(request, pk, draft_pk):
    draft = selectors.access_draft(request.user, pk, draft_pk)
    review = draft.review
    return serve_document(
        actor=request.user,
        fieldfile=draft.file,
        subject=draft,
        partnership=review.partnership,
        download_name=f"{review.reference}-draft-v{draft.version}",
        label=f"{review.reference} draft v{draft.version}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, pk):
    review = _review(request, pk, "manage_recommendations")
    form = forms.RecommendationForm(request.POST or None, partnership_id=review.partnership_id)
    return form_page(
        request,
        form=form,
        heading="Add a recommendation",
        caption=review.reference,
        back_url=_back(review),
        success="The recommendation has been added.",
        submit="Add",
        run=lambda d: services.add_recommendation(review=review, actor=request.user, **d),
        next_url=lambda rec: reverse("reviews:recommendation-detail", args=[rec.pk]),
    )


@login_required
def recommendation_detail(request, pk):
    recommendation = selectors.access_recommendation(request.user, pk)
    review = recommendation.review
    can_manage = selectors.can_on_review(request.user, "manage_recommendations", review)
    return render(
        request,
        "reviews/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "review": review,
            "can_manage": can_manage,
            "changeable": can_manage and not services.recommendation_lock(recommendation),
            "removable": can_manage and not services.recommendation_lock(recommendation, removing=True),
        },
    )


def _recommendation(request, pk):
    """The recommendation, if the user may see it (404) and manage it (403)."""
    recommendation = selectors.access_recommendation(request.user, pk)
    _require(request, recommendation.review, "manage_recommendations")
    return recommendation


def _recommendation_url(recommendation) -> str:
    return reverse("reviews:recommendation-detail", args=[recommendation.pk])


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_change(request, pk):
    recommendation = _recommendation(request, pk)
    review = recommendation.review
    form = forms.RecommendationForm(
        request.POST or None,
        partnership_id=review.partnership_id,
        instance=Recommendation.objects.get(pk=recommendation.pk),
    )
    return form_page(
        request,
        form=form,
        heading=f"Change recommendation {recommendation.number}",
        caption=review.reference,
        back_url=_recommendation_url(recommendation),
        intro=services.recommendation_lock(recommendation),
        success="The recommendation has been changed.",
        run=lambda d: services.change_recommendation(recommendation=recommendation, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_remove(request, pk):
    recommendation = _recommendation(request, pk)
    review = recommendation.review
    actions = recommendation.actions.all()
    return confirm_removal(
        request,
        heading=f"Remove recommendation {recommendation.number}?",
        caption=review.reference,
        back_url=_recommendation_url(recommendation),
        success=f"Recommendation {recommendation.number} has been removed.",
        intro=f"Its {len(actions)} action{'s' if len(actions) != 1 else ''} will be removed too."
        if actions
        else "",
        details=[
            ("Recommendation", recommendation.text),
            ("Target date", long_date(recommendation.target_date)),
        ],
        refusal=services.recommendation_lock(recommendation, removing=True)
        if request.method == "GET"
        else "",
        remove=lambda: services.remove_recommendation(recommendation=recommendation, actor=request.user),
        next_url=_back(review) + "#recommendations",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    recommendation = selectors.access_recommendation(request.user, pk)
    review = recommendation.review
    if not selectors.can_on_review(request.user, "manage_recommendations", review):
        raise PermissionDenied("Only the business team or the review's lead reviewer can do this.")
    form = forms.ActionForm(request.POST or None, partnership_id=review.partnership_id)
    back = reverse("reviews:recommendation-detail", args=[recommendation.pk])
    return form_page(
        request,
        form=form,
        heading="Add an action",
        caption=f"Recommendation {recommendation.number}",
        back_url=back,
        success="The action has been added.",
        submit="Add",
        run=lambda d: services.add_action(recommendation=recommendation, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    action = selectors.access_action(request.user, pk)
    review = action.recommendation.review
    can_manage = selectors.can_on_review(request.user, "manage_recommendations", review)
    editable = can_manage and not services.action_lock(action)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Only the business team or the review's lead reviewer can do this.")
    form = forms.ActionStatusForm(request.POST or None, instance=Action.objects.get(pk=action.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The action has been updated.")
            return redirect(reverse("reviews:action-detail", args=[action.pk]))
    return render(
        request,
        "reviews/action_detail.html",
        {
            "action": action,
            "review": review,
            "recommendation": action.recommendation,
            "form": form if can_manage else None,
            "can_manage": can_manage,
            "editable": editable,
            "update_form": forms.ActionUpdateForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update_add(request, pk):
    action = selectors.access_action(request.user, pk)
    review = action.recommendation.review
    if not selectors.can_on_review(request.user, "manage_recommendations", review):
        raise PermissionDenied("Only the business team or the review's lead reviewer can do this.")
    form = forms.ActionUpdateForm(request.POST or None)
    back = reverse("reviews:action-detail", args=[action.pk])
    return form_page(
        request,
        form=form,
        heading="Add a progress update",
        caption=f"Action {action.pk}",
        back_url=back,
        success="The progress update has been added.",
        submit="Add",
        run=lambda d: services.add_action_update(action=action, actor=request.user, **d),
    )


def _action(request, pk):
    """The action, if the user may see it (404) and manage it (403)."""
    action = selectors.access_action(request.user, pk)
    _require(request, action.recommendation.review, "manage_recommendations")
    return action


@login_required
@require_http_methods(["GET", "POST"])
def action_change(request, pk):
    action = _action(request, pk)
    review = action.recommendation.review
    form = forms.ActionForm(
        request.POST or None,
        partnership_id=review.partnership_id,
        instance=Action.objects.get(pk=action.pk),
    )
    return form_page(
        request,
        form=form,
        heading=f"Change action {action.pk}",
        caption=f"{review.reference}, recommendation {action.recommendation.number}",
        back_url=reverse("reviews:action-detail", args=[action.pk]),
        intro=services.action_lock(action),
        success="The action has been changed.",
        run=lambda d: services.change_action(action=action, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_remove(request, pk):
    action = _action(request, pk)
    review = action.recommendation.review
    return confirm_removal(
        request,
        heading=f"Remove action {action.pk}?",
        caption=f"{review.reference}, recommendation {action.recommendation.number}",
        back_url=reverse("reviews:action-detail", args=[action.pk]),
        success=f"Action {action.pk} has been removed.",
        intro="Its progress updates will be removed too, and its deadline waived.",
        details=[
            ("Action", action.description),
            ("Owner", action.owner_display),
            ("Due", long_date(action.due_date)),
        ],
        refusal=services.action_lock(action) if request.method == "GET" else "",
        remove=lambda: services.remove_action(action=action, actor=request.user),
        next_url=_recommendation_url(action.recommendation),
    )
