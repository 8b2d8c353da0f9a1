"""Pages of the serious incident notification."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.selectors import access_case
from cspr import audit
from cspr.formats import csv_cell, long_date
from cspr.forms import apply_service_errors
from cspr.models import Partnership
from cspr.pages import form_page
from cspr.permissions import can, partnership_for, partnership_ids_for, require
from cspr.selectors import deadlines_of

from . import figures, services
from .forms import (
    CareLeaverDeathForm,
    CareLeaverDeathNotifiedForm,
    CorrectNotificationForm,
    FiguresForm,
    NotificationForm,
    PanelNotificationForm,
    WithdrawForm,
)
from .selectors import (
    access_care_leaver_death,
    access_dfe_summary,
    access_notification,
    care_leaver_deaths_visible_to,
    dfe_form_summary,
    notifications_visible_to,
)


@login_required
def notification_list(request):
    page = Paginator(notifications_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "can_see_figures": bool(partnership_ids_for(request.user, "view_notification_figures")),
        },
    )


@login_required
def notification_create(request, case_pk):
    case = access_case(request.user, case_pk)
    require(request.user, "record_notification", case.partnership_id)
    form = NotificationForm(
        request.POST or None,
        initial={
            "ofsted_required": case.any_child_looked_after,
            "incident_local_authority": case.partnership.local_authority_area,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.record_notification(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"The notification for {case.reference} is recorded. "
                "The 5 working days to notify the National Panel have started.",
            )
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
            services.withdraw_notification(
                actor=request.user, notification=notification, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"The notification and case {notification.case.reference} are withdrawn."
            )
            return redirect("notifications:notification-detail", pk)
    return render(
        request,
        "notifications/withdraw.html",
        {"form": form, "notification": notification, "case": notification.case},
    )


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
            correction = services.correct_notification(actor=request.user, notification=notification, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _correction_message(correction))
            return redirect("notifications:notification-detail", pk)
    return render(
        request,
        "notifications/correct.html",
        {
            "form": form,
            "notification": notification,
            "case": notification.case,
            "withdrawn": withdrawn,
        },
    )


def _correction_message(correction) -> str:
    """The confirmation: which clocks moved, with their old and new due dates."""
    parts = ["The notification dates are corrected."]
    for clock in correction.clocks:
        deadline = clock.deadline
        if clock.due_date_moved:
            text = (
                f"{clock.title}: was due {long_date(clock.old_due_date)}, "
                f"now due {long_date(deadline.due_date)}"
            )
        else:
            text = f"{clock.title}: still due {long_date(deadline.due_date)}"
        if deadline.status == deadline.Status.MET:
            text += f", met on {long_date(deadline.met_on)}"
            if clock.lateness_change:
                text += f": {clock.lateness_change}"
        elif deadline.status == deadline.Status.WAIVED:
            text += ", waived"
        elif clock.old_status != deadline.status:
            text += f", {deadline.get_status_display().lower()} again"
        parts.append(text + ".")
    if not correction.clocks:
        parts.append("No deadline moved.")
    return " ".join(parts)


# -- the death of a care leaver (aged 18 to 24) ------------------------------------------


def _care_leaver_partnerships(user) -> list:
    ids = partnership_ids_for(user, "report_care_leaver_death")
    if not ids:
        raise PermissionDenied(
            "Only a business manager or partner lead can record the death of a care leaver."
        )
    return list(Partnership.objects.filter(pk__in=ids))


@login_required
def care_leaver_death_list(request):
    _care_leaver_partnerships(request.user)
    page = Paginator(care_leaver_deaths_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/care_leaver_death_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
        },
    )


@login_required
def care_leaver_death_create(request):
    partnerships = _care_leaver_partnerships(request.user)
    form = CareLeaverDeathForm(request.POST or None, partnerships=partnerships)

    def run(data):
        data = dict(data)
        partnership = partnership_for(request.user, "report_care_leaver_death", data.pop("partnership", None))
        return services.record_care_leaver_death(actor=request.user, partnership=partnership, **data)

    return form_page(
        request,
        form=form,
        heading="Record the death of a care leaver",
        caption="Care leaver aged 18 to 24",
        intro="The local authority must notify the Secretary of State and Ofsted, through the "
        "DfE online notification service, within 5 working days of becoming aware of the "
        "death of a care leaver aged 18 to 24 (Working Together to Safeguard Children 2023, "
        "chapter 5). This is not a serious incident notification about a child, and no "
        "rapid review follows.",
        back_url=reverse("notifications:care-leaver-death-list"),
        run=run,
        submit="Record and start the clock",
        success="The death is recorded. The 5 working days to notify the Secretary of State "
        "and Ofsted have started.",
        next_url=lambda report: reverse("notifications:care-leaver-death-detail", args=[report.pk]),
    )


def _care_leaver_detail(request, report, *, form=None):
    clock = deadlines_of(report, rule=services.CARE_LEAVER_DEATH_RULE).first()
    context = {
        "report": report,
        "clock": clock,
        "recipients": report.RECIPIENTS,
        "notified_form": None if report.is_notified else (form or CareLeaverDeathNotifiedForm()),
    }
    if form is not None and form.errors:
        context["form"] = form
    return render(request, "notifications/care_leaver_death_detail.html", context)


@login_required
def care_leaver_death_detail(request, pk):
    return _care_leaver_detail(request, access_care_leaver_death(request.user, pk))


@login_required
def care_leaver_death_notified(request, pk):
    report = access_care_leaver_death(request.user, pk)
    if request.method != "POST":
        return redirect("notifications:care-leaver-death-detail", pk)
    form = CareLeaverDeathNotifiedForm(request.POST)
    if form.is_valid():
        try:
            services.record_care_leaver_death_notified(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The notification to the Secretary of State and Ofsted is recorded.")
            return redirect("notifications:care-leaver-death-detail", pk)
    return _care_leaver_detail(request, report, form=form)


@login_required
def dfe_summary(request, case_pk):
    """The case's answers for the DfE online notification form, to copy across one by
    one (the form times out after 20 minutes and saves nothing)."""
    case = access_dfe_summary(request.user, case_pk)
    return render(
        request,
        "notifications/dfe_summary.html",
        {"case": case, "sections": dfe_form_summary(case)},
    )


def _figures_request(request):
    """The figures form, bound to the query (defaults: the first partnership, the last
    financial year, notifications as the statistics count them)."""
    pids = partnership_ids_for(request.user, "view_notification_figures")
    if not pids:
        raise PermissionDenied("Only a partnership's business team can see its notification figures.")
    partnerships = Partnership.objects.filter(pk__in=pids).order_by("name")
    today = timezone.localdate()
    latest = figures.current_financial_year(today)
    years = [(y, figures.year_label(y)) for y in range(latest, figures.FIRST_YEAR - 1, -1)]
    data = {
        "partnership": request.GET.get("partnership") or partnerships[0].pk,
        "year": request.GET.get("year") or (latest - 1 if latest > figures.FIRST_YEAR else latest),
        "unit": request.GET.get("unit") or "notifications",
    }
    return FiguresForm(data, partnerships=partnerships, years=years, units=list(figures.UNITS.items()))


@login_required
def notification_figures(request):
    """The partnership's notifications for a financial year by each of the national
    statistics' breakdowns."""
    form = _figures_request(request)
    context = {"form": form}
    if form.is_valid():
        partnership, year, unit = (form.cleaned_data[k] for k in ("partnership", "year", "unit"))
        context.update(
            partnership=partnership,
            year_label=figures.year_label(year),
            unit_label=figures.UNITS[unit],
            result=figures.figures(partnership.pk, year, unit),
            csv_query=request.GET.urlencode() or f"partnership={partnership.pk}&year={year}&unit={unit}",
        )
    return render(request, "notifications/figures.html", context)


@login_required
def notification_figures_csv(request):
    form = _figures_request(request)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a partnership, a financial year and a unit.")
    partnership, year, unit = (form.cleaned_data[k] for k in ("partnership", "year", "unit"))
    result = figures.figures(partnership.pk, year, unit)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="notifications-{partnership.code}-{figures.year_label(year)}-{unit}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["time_period", "partnership", "unit", "breakdown", "category", "number", "percentage"])
    period = f"{year}{(year + 1) % 100:02d}"
    writer.writerow([period, csv_cell(partnership.name), unit, "Total", "Total", result["total"], 100])
    for breakdown in result["breakdowns"]:
        for row in breakdown["rows"]:
            writer.writerow(
                [
                    period,
                    csv_cell(partnership.name),
                    unit,
                    breakdown["title"],
                    row["category"],
                    row["number"],
                    "" if row["percentage"] is None else row["percentage"],
                ]
            )
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        label="notification figures CSV",
        partnership=partnership,
        detail={"year": figures.year_label(year), "unit": unit},
    )
    return response
