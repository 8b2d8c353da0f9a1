"""Pages of information governance: the access review and leavers, legal holds,
subject access packs, and the privacy notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cspr.models import Partnership
from cspr.pages import form_page
from cspr.permissions import partnership_ids_for

from . import services
from .forms import LegalHoldForm, LiftHoldForm
from .models import ACTIONS, PERIOD_FIELDS, PrivacyNotice, RecordKind, RetentionSchedule
from .selectors import (
    access_case_for,
    access_legal_hold,
    access_person,
    access_review,
    access_review_partnership,
    disposals_visible_to,
    holds_visible_to,
)


@login_required
def governance_home(request):
    reviewable = Partnership.objects.filter(pk__in=partnership_ids_for(request.user, "review_access"))
    holds_in = partnership_ids_for(request.user, "view_legal_holds")
    if not reviewable.exists() and not holds_in:
        raise PermissionDenied("Only a business manager or partner lead can see this.")
    return render(
        request,
        "governance/home.html",
        {
            "reviewable": reviewable,
            "holds": holds_visible_to(request.user)[:200],
            "disposals": disposals_visible_to(request.user)[:50],
        },
    )


@login_required
def access_review_page(request, partnership_pk):
    partnership = access_review_partnership(request.user, partnership_pk)
    from django.conf import settings

    return render(
        request,
        "governance/access_review.html",
        {
            "partnership": partnership,
            "rows": access_review(partnership),
            "idle_days": settings.ACCESS_REVIEW_IDLE_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def deactivate_user(request, partnership_pk, user_pk):
    partnership = access_review_partnership(request.user, partnership_pk)
    person = access_person(request.user, partnership, user_pk)
    back_url = reverse("governance:access-review", args=[partnership.pk])
    refusal = ""
    if request.method == "POST":
        try:
            counts = services.deactivate_user(actor=request.user, user=person, partnership=partnership)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                (
                    f"{person.get_full_name() or person.username} no longer has access to "
                    f"{partnership.name}"
                    + (" and their account is deactivated." if counts.get("deactivated") else ".")
                ),
            )
            return redirect(back_url)
    elif person.pk == request.user.pk:
        refusal = "You cannot deactivate your own account."
    return render(
        request,
        "governance/deactivate.html",
        {
            "partnership": partnership,
            "person": person,
            "back_url": back_url,
            "refusal": refusal,
        },
    )


@login_required
def legal_hold_create(request, case_pk):
    case = access_case_for(request.user, case_pk, "place_legal_hold")
    form = LegalHoldForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Place a legal hold",
        caption=case.reference,
        intro="While the hold is in place nothing of this case is disposed of under the retention schedule.",
        back_url=reverse("cases:case-detail", args=[case.pk]),
        run=lambda data: services.place_legal_hold(actor=request.user, case=case, **data),
        submit="Place the hold",
        success="The legal hold is in place.",
    )


@login_required
def legal_hold_lift(request, pk):
    hold = access_legal_hold(request.user, pk)
    access_case_for(request.user, hold.case_id, "place_legal_hold")
    form = LiftHoldForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Lift the legal hold",
        caption=hold.case.reference,
        intro=f"{hold.get_reason_display()}: {hold.detail}",
        back_url=reverse("cases:case-detail", args=[hold.case_id]),
        run=lambda data: services.lift_legal_hold(actor=request.user, hold=hold, **data),
        submit="Lift the hold",
        success="The legal hold is lifted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def subject_access(request, case_pk):
    case = access_case_for(request.user, case_pk, "build_subject_access_pack")
    if request.method == "POST":
        name, data = services.build_subject_access_pack(actor=request.user, case=case)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request,
        "governance/subject_access.html",
        {
            "case": case,
            "deceased": case.any_child_died,
        },
    )


def _notice_context(partnership):
    schedule = RetentionSchedule.objects.filter(partnership=partnership).first()
    periods = [
        {
            "kind": RecordKind(kind).label,
            "action": ACTIONS[kind].label,
            "months": getattr(schedule, name) if schedule else None,
        }
        for kind, name in PERIOD_FIELDS.items()
    ]
    notice = PrivacyNotice.objects.filter(partnership=partnership).first()
    return {"partnership": partnership, "notice": notice, "periods": periods}


def privacy_notice(request):
    """The privacy notice: public (people whose data is held must be able to read it)."""
    partnerships = Partnership.objects.order_by("name")
    return render(request, "governance/privacy.html", {"partnerships": partnerships})


def privacy_notice_partnership(request, partnership_pk):
    partnership = get_object_or_404(Partnership, pk=partnership_pk)
    return render(request, "governance/privacy_partnership.html", _notice_context(partnership))
