"""Pages of the serious incident notification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from cases.selectors import access_case
from cspr.formats import long_date
from cspr.forms import apply_service_errors
from cspr.permissions import can, require

from . import services
from .forms import CorrectNotificationForm, NotificationForm, PanelNotificationForm, WithdrawForm
from .selectors import access_notification, notifications_visible_to


@login_required
def notification_list(request):
    page = Paginator(notifications_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
def notification_create(request, case_pk):
    case = access_case(request.user, case_pk)
    require(request.user, "record_notification", case.partnership_id)
    form = NotificationForm(request.POST or None, initial={
        "ofsted_required": case.looked_after,
        "incident_local_authority": case.partnership.local_authority_area,
    })
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.record_notification(
                actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The notification for {case.reference} is recorded. "
                             "The 5 working days to notify the National Panel have started.")
            return redirect("notifications:notification-detail", notification.pk)
    return render(request, "notifications/notification_form.html", {"form": form, "case": case})


def _detail(request, notification, *, form=None):
    user = request.user
    manage = can(user, "record_notification", notification.case.partnership_id)
    context = {
        "notification": notification,
        "case": notification.case,
        "can_record_panel": manage and notification.status == notification.Status.AWARE,
        "can_withdraw": manage and notification.status != notification.Status.WITHDRAWN,
        "can_correct": manage and notification.status != notification.Status.WITHDRAWN,
    }
    if context["can_record_panel"]:
        context["panel_form"] = form or PanelNotificationForm(instance=notification)
    if form is not None and form.errors:
        context["form"] = form
    return render(request, "notifications/notification_detail.html", context)


@login_required
def notification_detail(request, pk):
    return _detail(request, access_notification(request.user, pk))


@login_required
def panel_notification(request, pk):
    notification = access_notification(request.user, pk)
    if request.method != "POST":
        return redirect("notifications:notification-detail", pk)
    require(request.user, "record_notification", notification.case.partnership_id)
    form = PanelNotificationForm(request.POST, instance=notification)
    if form.is_valid():
        try:
            services.record_panel_notification(
                actor=request.user, notification=notification, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The notification to the National Panel is recorded.")
            return redirect("notifications:notification-detail", pk)
    return _detail(request, notification, form=form)


@login_required
def withdraw(request, pk):
    notification = access_notification(request.user, pk)
    require(request.user, "record_notification", notification.case.partnership_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_notification(actor=request.user, notification=notification,
                                           reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The notification and case {notification.case.reference} "
                             "are withdrawn.")
            return redirect("notifications:notification-detail", pk)
    return render(request, "notifications/withdraw.html",
                  {"form": form, "notification": notification, "case": notification.case})


@login_required
def correct(request, pk):
    """Correct the dates recorded for a notification; the clocks move with them."""
    notification = access_notification(request.user, pk)
    require(request.user, "record_notification", notification.case.partnership_id)
    withdrawn = notification.status == notification.Status.WITHDRAWN
    form = CorrectNotificationForm(request.POST or None, instance=notification)
    if request.method == "POST" and not withdrawn and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in form.fields}
        try:
            correction = services.correct_notification(
                actor=request.user, notification=notification, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _correction_message(correction))
            return redirect("notifications:notification-detail", pk)
    return render(request, "notifications/correct.html", {
        "form": form, "notification": notification, "case": notification.case,
        "withdrawn": withdrawn,
    })




def _correction_message(correction) -> str:
    """The confirmation: which clocks moved, with their old and new due dates."""
    parts = ["The notification dates are corrected."]
    for clock in correction.clocks:
        deadline = clock.deadline
        if clock.due_date_moved:
            text = (f"{clock.title}: was due {long_date(clock.old_due_date)}, "
                    f"now due {long_date(deadline.due_date)}")
        else:
            text = f"{clock.title}: still due {long_date(deadline.due_date)}"
        if deadline.status == deadline.Status.MET:
            text += f", met on {long_date(deadline.met_on)}"
        elif deadline.status == deadline.Status.WAIVED:
            text += ", waived"
        elif clock.old_status != deadline.status:
            text += f", {deadline.get_status_display().lower()} again"
        parts.append(text + ".")
    if not correction.clocks:
        parts.append("No deadline moved.")
    return " ".join(parts)
