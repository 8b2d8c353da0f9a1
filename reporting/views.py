"""Pages of the partnership's yearly report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from cspr.forms import apply_service_errors
from cspr.pages import form_page
from cspr.permissions import partnership_for
from cspr.selectors import deadlines_of
from cspr.uploads import serve_document

from . import services
from .forms import CopiesSentForm, YearlyReportForm
from .selectors import (
    access_yearly_report,
    yearly_report_clocks,
    yearly_report_partnerships,
    yearly_reports_visible_to,
)


def _partnerships(user) -> list:
    partnerships = list(yearly_report_partnerships(user))
    if not partnerships:
        raise PermissionDenied("Only a business manager or partner lead can see the yearly reports.")
    return partnerships


@login_required
def yearly_report_list(request):
    partnerships = _partnerships(request.user)
    return render(
        request,
        "reporting/yearly_report_list.html",
        {
            "reports": yearly_reports_visible_to(request.user)[:100],
            "clocks": yearly_report_clocks(request.user).filter(status__in=services.LIVE),
            "unset": [
                p
                for p in partnerships
                if p.yearly_report_period_start is None and not p.yearly_reports.exists()
            ],
        },
    )


@login_required
def yearly_report_create(request):
    partnerships = _partnerships(request.user)
    form = YearlyReportForm(request.POST or None, request.FILES or None, partnerships=partnerships)

    def run(data):
        data = dict(data)
        partnership = partnership_for(request.user, "record_yearly_report", data.pop("partnership", None))
        return services.record_yearly_report(actor=request.user, partnership=partnership, **data)

    return form_page(
        request,
        form=form,
        heading="Record a published yearly report",
        intro="The safeguarding partners publish a report at least once in every 12 months "
        "(Children Act 2004 s16G; Working Together to Safeguard Children 2023, chapter 2). "
        "Recording it meets the running clock and starts the next 12 months, and the 7 days "
        "to send the report to the Panel and the Department for Education.",
        back_url=reverse("reporting:yearly-report-list"),
        run=run,
        submit="Record the report",
        success="The yearly report is recorded. The next one is due 12 months after its publication.",
        next_url=lambda report: reverse("reporting:yearly-report-detail", args=[report.pk]),
    )


def _detail(request, report, *, form=None):
    context = {
        "report": report,
        "clocks": deadlines_of(report).order_by("due_date"),
        "copies_form": None if report.copies_sent_on else (form or CopiesSentForm()),
    }
    if form is not None and form.errors:
        context["form"] = form
    return render(request, "reporting/yearly_report_detail.html", context)


@login_required
def yearly_report_detail(request, pk):
    return _detail(request, access_yearly_report(request.user, pk))


@login_required
def yearly_report_copies_sent(request, pk):
    report = access_yearly_report(request.user, pk)
    if request.method != "POST":
        return redirect("reporting:yearly-report-detail", pk)
    form = CopiesSentForm(request.POST)
    if form.is_valid():
        try:
            services.record_yearly_report_copies_sent(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The date the report was sent on is recorded.")
            return redirect("reporting:yearly-report-detail", pk)
    return _detail(request, report, form=form)


@login_required
def yearly_report_file(request, pk):
    report = access_yearly_report(request.user, pk)
    return serve_document(
        actor=request.user,
        fieldfile=report.file,
        download_name=f"yearly-report-{report.period_label}".replace(" ", "-"),
        subject=report,
        partnership=report.partnership,
    )
