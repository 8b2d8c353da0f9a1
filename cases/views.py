"""Pages of referrals and cases. They parse input, call a service or a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cspr.forms import apply_service_errors
from cspr.pages import form_page
from cspr.panels import panels_for
from cspr.permissions import can, partnership_ids_for, partnerships_visible_to, require
from cspr.selectors import deadlines_of_case

from . import services
from .codes import MAX_CHILDREN, Nature
from .forms import (
    BroughtInForm,
    CaseAccessForm,
    CaseChildForm,
    CaseForm,
    ChronologyEntryForm,
    DeclineForm,
    InformationRequestForm,
    ReferralForm,
)
from .models import Case, CaseChild, Referral
from .selectors import (
    access_case,
    access_case_grant,
    access_referral,
    case_access_grants,
    cases_visible_to,
    referrals_visible_to,
)

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


@login_required
def referral_list(request):
    user = request.user
    visible = referrals_visible_to(user)
    mine = visible.filter(author=user).prefetch_related("children")
    triage_ids = partnership_ids_for(user, "triage_referral")
    context = {"mine": mine, "can_refer": bool(partnership_ids_for(user, "submit_referral"))}
    if triage_ids:
        status = request.GET.get("status", Referral.Status.SUBMITTED)
        team = visible.filter(partnership_id__in=triage_ids).exclude(status=Referral.Status.DRAFT)
        if status in Referral.Status.values:
            team = team.filter(status=status)
        context.update(
            team_page=_page(request, team.select_related("case").prefetch_related("children")),
            status=status,
            statuses=[(v, label) for v, label in Referral.Status.choices if v != "draft"],
        )
    return render(request, "cases/referral_list.html", context)


def _referral_form_page(request, *, partnership, referral: Referral | None):
    answering = bool(referral and referral.status == Referral.Status.MORE_INFORMATION_REQUESTED)
    form = ReferralForm(
        request.POST or None,
        instance=referral or Referral(partnership=partnership),
        partnership=partnership,
        answering=answering,
    )
    form_action = request.get_full_path()
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.save_referral_draft(
                actor=request.user,
                values=form.values(),
                agencies=list(form.cleaned_data["agencies_involved"]),
                referral=referral,
                partnership=partnership,
                children=form.children(),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            form_action = reverse("cases:referral-edit", args=[referral.pk])
            if request.POST.get("action") == "continue":
                errors = services.referral_submission_errors(referral)
                if not errors:
                    return redirect("cases:referral-check", referral.pk)
                form.apply_errors(ValidationError(errors))
                messages.info(request, "Your answers are saved as a draft.")
            else:
                messages.success(request, f"Referral {referral.pk} is saved as a draft.")
                return redirect("cases:referral-detail", referral.pk)
    return render(
        request,
        "cases/referral_form.html",
        {
            "form": form,
            "referral": referral,
            "partnership": partnership,
            "form_action": form_action,
            "max_children": MAX_CHILDREN,
        },
    )


@login_required
def referral_create(request):
    partnerships = list(
        partnerships_visible_to(request.user).filter(
            pk__in=partnership_ids_for(request.user, "submit_referral")
        )
    )
    if not partnerships:
        raise PermissionDenied("Only members of a partnership can make a referral.")
    chosen = request.GET.get("partnership")
    if len(partnerships) == 1:
        partnership = partnerships[0]
    else:
        partnership = next((p for p in partnerships if str(p.pk) == chosen), None)
        if partnership is None:
            return render(
                request,
                "cases/referral_choose_partnership.html",
                {"partnerships": partnerships, "error": chosen is not None},
            )
    return _referral_form_page(request, partnership=partnership, referral=None)


def _own_editable_referral(request, pk) -> Referral:
    referral = access_referral(request.user, pk)
    if referral.author_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote this referral can change it.")
    return referral


@login_required
def referral_edit(request, pk):
    referral = _own_editable_referral(request, pk)
    if not referral.is_editable:
        messages.info(request, "This referral has been submitted: it can no longer be changed.")
        return redirect("cases:referral-detail", referral.pk)
    return _referral_form_page(request, partnership=referral.partnership, referral=referral)


@login_required
def referral_check(request, pk):
    referral = _own_editable_referral(request, pk)
    if not referral.is_editable:
        return redirect("cases:referral-detail", referral.pk)
    problems = []
    if request.method == "POST":
        try:
            services.submit_referral(actor=request.user, referral=referral)
        except ValidationError as exc:
            edit = reverse("cases:referral-edit", args=[referral.pk])
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            problems = [
                (m, f"{edit}#id_{f}" if f and f != "children" else edit)
                for f, ms in errors.items()
                for m in ms
            ]
        else:
            messages.success(
                request,
                f"Referral {referral.pk} is submitted to the business team of {referral.partnership.name}.",
            )
            return redirect("cases:referral-detail", referral.pk)
    return render(
        request,
        "cases/referral_check.html",
        {
            "referral": referral,
            "show_identity": True,
            "problems": problems,
            "agencies": referral.agencies_involved.all(),
            "children": referral.children.all(),
        },
    )


def _referral_detail_context(request, referral: Referral) -> dict:
    user = request.user
    identity = can(user, "view_child_identity", referral.partnership_id) or (
        referral.author_id == user.pk and referral.is_editable
    )
    can_triage = (
        can(user, "triage_referral", referral.partnership_id) and referral.status == Referral.Status.SUBMITTED
    )
    case = getattr(referral, "case", None) if referral.status == Referral.Status.ACCEPTED else None
    return {
        "referral": referral,
        "show_identity": identity,
        "can_triage": can_triage,
        "is_author": referral.author_id == user.pk,
        "case": case,
        "can_view_case": bool(case) and cases_visible_to(user).filter(pk=case.pk).exists(),
        "agencies": referral.agencies_involved.all(),
        "children": referral.children.all(),
    }


@login_required
def referral_detail(request, pk):
    referral = access_referral(request.user, pk, record_view=True)
    context = _referral_detail_context(request, referral)
    return render(request, "cases/referral_detail.html", context)


@login_required
@require_POST
def referral_accept(request, pk):
    referral = access_referral(request.user, pk)
    try:
        case = services.accept_referral(actor=request.user, referral=referral)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("cases:referral-detail", referral.pk)
    messages.success(request, f"Referral accepted. Case {case.reference} is opened.")
    return redirect("cases:case-detail", case.pk)


def _triage_form_page(request, pk, *, form_class, service, title, success):
    referral = access_referral(request.user, pk)
    require(request.user, "triage_referral", referral.partnership_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success.format(pk=referral.pk))
            return redirect("cases:referral-detail", referral.pk)
    return render(
        request, "cases/referral_triage_form.html", {"form": form, "referral": referral, "title": title}
    )


@login_required
def referral_decline(request, pk):
    return _triage_form_page(
        request,
        pk,
        form_class=DeclineForm,
        service=services.decline_referral,
        title="Decline the referral",
        success="Referral {pk} is declined.",
    )


@login_required
def referral_request_information(request, pk):
    return _triage_form_page(
        request,
        pk,
        form_class=InformationRequestForm,
        service=services.request_more_information,
        title="Ask the referrer for more information",
        success="Referral {pk} is sent back to the referrer with your question.",
    )


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


@login_required
def case_list(request):
    cases = cases_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    reference = request.GET.get("reference", "").strip()
    if reference:
        cases = cases.filter(reference__icontains=reference)
    nature = request.GET.get("nature", "")
    if nature in Nature.values:
        cases = cases.filter(pk__in=CaseChild.objects.filter(nature=nature).values("case_id"))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": _page(request, cases.prefetch_related("children")),
            "status": status,
            "reference": reference,
            "statuses": Case.Status.choices,
            "nature": nature,
            "natures": Nature.choices,
        },
    )


def _case_detail(request, pk, *, chronology_form=None):
    case = access_case(request.user, pk, detail=True, record_view=True)
    user = request.user
    can_edit = can(user, "edit_case", case.partnership_id) and case.status == Case.Status.OPEN
    context = {
        "case": case,
        "deadlines": deadlines_of_case(case),
        "can_edit": can_edit,
        "can_mark_brought_in": can(user, "mark_case_brought_in", case.partnership_id),
        "can_record_notification": can(user, "record_notification", case.partnership_id)
        and case.status == Case.Status.OPEN,
        "can_view_referral": case.referral_id is not None
        and can(user, "view_child_identity", case.partnership_id),
        "can_view_dfe_summary": can(user, "view_dfe_summary", case.partnership_id),
        "children": case.children.all(),
        "max_children": MAX_CHILDREN,
        "chronology_form": chronology_form
        if chronology_form is not None
        else (ChronologyEntryForm(case=case) if can_edit else None),
    }
    # The later stages (rapid review, review, publication) add their own panels.
    context["panels"] = panels_for("case", request, case)
    if chronology_form is not None and chronology_form.errors:
        context["form"] = chronology_form  # error summary and "Error:" title
    return render(request, "cases/case_detail.html", context)


@login_required
def case_detail(request, pk):
    return _case_detail(request, pk)


@login_required
@require_POST
def chronology_add(request, pk):
    case = access_case(request.user, pk)
    form = ChronologyEntryForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.add_chronology_entry(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The chronology entry is added.")
            return redirect(reverse("cases:case-detail", args=[case.pk]) + "#chronology")
    return _case_detail(request, pk, chronology_form=form)


@login_required
def case_edit(request, pk):
    case = access_case(request.user, pk)
    require(request.user, "edit_case", case.partnership_id)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                actor=request.user,
                case=case,
                values=form.values(),
                agencies=list(form.cleaned_data["agencies"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Case {case.reference} is updated.")
            return redirect("cases:case-detail", case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


@login_required
def case_brought_in(request, pk):
    """Mark the case as brought in from before this system (with where from and why),
    or no longer: its recorded dates may then be older than the review regulations."""
    case = access_case(request.user, pk)
    require(request.user, "mark_case_brought_in", case.partnership_id)
    form = BroughtInForm(
        request.POST or None,
        initial={"brought_in": case.brought_in, "source": case.brought_in_source},
    )
    return form_page(
        request,
        form=form,
        heading="Brought in from before this system",
        caption=f"Case {case.reference}",
        back_url=reverse("cases:case-detail", args=[case.pk]),
        run=lambda d: services.set_brought_in(actor=request.user, case=case, **d),
        success=f"Case {case.reference} is updated.",
    )


# ---------------------------------------------------------------------------
# People added to one case
# ---------------------------------------------------------------------------


@login_required
def case_access(request, pk):
    """Who else may see this case (object-level grants), and adding someone."""
    case = access_case(request.user, pk)
    require(request.user, "edit_case", case.partnership_id)
    form = CaseAccessForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_case_access(actor=request.user, case=case, user=form.cleaned_data["user"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The person is added to the case.")
            return redirect("cases:case-access", pk=case.pk)
    return render(
        request,
        "cases/case_access.html",
        {
            "case": case,
            "form": form,
            "grants": case_access_grants(case),
        },
    )


@login_required
@require_POST
def case_access_remove(request, pk, grant_pk):
    grant = access_case_grant(request.user, pk, grant_pk)
    services.revoke_case_access(actor=request.user, grant=grant)
    messages.success(request, "The person is removed from the case. Their access has ended.")
    return redirect("cases:case-access", pk=pk)


# ---------------------------------------------------------------------------
# The children of a case
# ---------------------------------------------------------------------------


def _child_form_page(request, case, *, child=None):
    form = CaseChildForm(request.POST or None, instance=child or CaseChild(case=case), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_case_child(
                actor=request.user,
                case=case,
                values=form.values(),
                agencies=list(form.cleaned_data["agencies"]),
                ordinal=child.ordinal if child else None,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            done = "is changed" if child else "is added"
            messages.success(request, f"Child {saved.ordinal} of case {case.reference} {done}.")
            return redirect(reverse("cases:case-detail", args=[case.pk]) + f"#child-{saved.ordinal}")
    number = child.ordinal if child else case.children.count() + 1
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "caption": f"Case {case.reference}",
            "heading": f"Change child {number}" if child else f"Add child {number}",
            "intro": "These details are pseudonymised: initials and an age, never the child's name. "
            "Each answer is coded as the Department for Education's statistics code it.",
            "submit": "Save the child",
            "back_url": reverse("cases:case-detail", args=[case.pk]),
        },
    )


def _editable_case(request, pk) -> Case:
    case = access_case(request.user, pk)
    require(request.user, "edit_case", case.partnership_id)
    return case


def _case_child(case: Case, ordinal) -> CaseChild:
    child = case.children.filter(ordinal=ordinal).first()
    if child is None:
        raise Http404("No such child on this case.")
    return child


@login_required
def case_child_add(request, pk):
    case = _editable_case(request, pk)
    if request.method == "GET" and case.children.count() >= MAX_CHILDREN:
        messages.error(request, services.TOO_MANY_CHILDREN)
        return redirect("cases:case-detail", case.pk)
    return _child_form_page(request, case)


@login_required
def case_child_edit(request, pk, ordinal):
    case = _editable_case(request, pk)
    return _child_form_page(request, case, child=_case_child(case, ordinal))


@login_required
def case_child_remove(request, pk, ordinal):
    case = _editable_case(request, pk)
    child = _case_child(case, ordinal)
    refusal = None
    if request.method == "POST":
        try:
            services.remove_case_child(actor=request.user, case=case, ordinal=child.ordinal)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, f"Child {child.ordinal} is taken off case {case.reference}.")
            return redirect("cases:case-detail", case.pk)
    elif case.children.count() == 1:
        refusal = "A case names at least one child: change this child instead."
    return render(
        request,
        "includes/confirm_removal.html",
        {
            "caption": f"Case {case.reference}",
            "heading": f"Take child {child.ordinal} off the case",
            "details": [("Initials", child.initials), ("Age at the incident", child.age_label)],
            "intro": "Only for a child named by mistake. The children after this one move up a number.",
            "refusal": refusal,
            "back_url": reverse("cases:case-detail", args=[case.pk]),
        },
    )
