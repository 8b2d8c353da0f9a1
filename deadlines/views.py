"""Pages of the deadlines app: the dashboard, its CSV export, waiving a deadline and
the iCalendar feed. Views parse input, call a selector or service, render."""

from __future__ import annotations

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cspr import audit
from cspr import services as kernel_services
from cspr.formats import csv_cell
from cspr.forms import apply_service_errors
from cspr.permissions import memberships, partnership_ids_for, require
from cspr.workdays import calendar_for
from messaging.selectors import undelivered_emails_for

from . import services
from .charts import bar_chart
from .filters import DeadlineFilter
from .forms import WaiveDeadlineForm
from .ical import calendar_feed
from .models import CalendarFeed
from .selectors import (
    access_deadline,
    calendar_deadlines,
    counts_per_stage,
    dashboard_clocks,
    dashboard_order,
    on_time_performance,
    page_values,
    row_values,
    rows_for,
)

PAGE_SIZE = 100
#: What a calendar token looks like (URL-safe base64); anything else is no calendar.
_CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _require_dashboard(user) -> set[int]:
    pids = partnership_ids_for(user, "view_dashboard")
    if not pids:
        raise PermissionDenied(
            "Only a business manager or partner lead can see every clock of the partnership."
        )
    return pids


def _filtered(request):
    """The dashboard's filter set, its filtered queryset (clocks still running overdue
    first, or met clocks the latest first) and which clocks it shows."""
    today = timezone.localdate()
    base = dashboard_clocks(request.user)
    filterset = DeadlineFilter(request.GET, queryset=base, request=request)
    if filterset.is_valid():
        queryset, show = filterset.qs, filterset.form.cleaned_data.get("status") or ""
    else:
        queryset, show = base.none(), ""
    return filterset, dashboard_order(queryset, show), today, show


@login_required
def dashboard(request):
    pids = _require_dashboard(request.user)
    filterset, queryset, today, show = _filtered(request)
    calendar = calendar_for(request)
    # Counted on the clocks alone; only the page's rows are read, as plain values.
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_for(page_values(page.object_list), today=today, calendar=calendar)
    performance = on_time_performance(request.user, today)
    for entry in performance:
        entry["chart"] = bar_chart(entry["points"])
    query = request.GET.copy()
    query.pop("page", None)
    waivable = partnership_ids_for(request.user, "waive_deadline")
    return render(
        request,
        "deadlines/dashboard.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "show": show,
            "met_rows": rows if show else [],
            "overdue_rows": [r for r in rows if r.overdue],
            "upcoming_rows": [r for r in rows if r.running and not r.overdue],
            "stage_counts": counts_per_stage(queryset, today),
            "performance": performance,
            "today": today,
            "query": query.urlencode(),
            "waivable": waivable,
            "several_partnerships": len(pids) > 1,
            "undelivered_emails": undelivered_emails_for(request.user).count(),
        },
    )


@login_required
def export_csv(request):
    pids = _require_dashboard(request.user)
    filterset, queryset, today, _show = _filtered(request)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.form.errors.items()
        )
        return HttpResponseBadRequest(
            f"Correct the filters before exporting ({problems}).", content_type="text/plain; charset=utf-8"
        )
    rows = rows_for(row_values(queryset), today=today, calendar=calendar_for(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deadlines-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Case reference",
            "Partnership",
            "Stage",
            "Rule",
            "Source",
            "Agency",
            "Owner",
            "Start date",
            "Due date",
            "Working days left",
            "Status",
            "RAG",
            "Met on",
            "Met late",
            "Working days late",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                csv_cell(v)
                for v in [
                    row.reference,
                    row.partnership_name,
                    row.stage_label,
                    row.rule.title,
                    row.rule.source,
                    row.agency_name,
                    row.owner_name,
                    row.start_date.isoformat(),
                    row.due_date.isoformat(),
                    "" if row.working_days_left is None else row.working_days_left,
                    row.status_label,
                    row.rag_label,
                    row.met_on.isoformat() if row.met_on else "",
                    ("Yes" if row.met_late else "No") if row.met_on else "",
                    "" if row.working_days_late is None else row.working_days_late,
                ]
            ]
        )
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    partnerships = {m.partnership_id: m.partnership for m in memberships(request.user)}
    for pid in sorted(pids):
        audit.record(
            actor=request.user,
            action=audit.Action.EXPORT,
            label="deadlines CSV",
            partnership=partnerships[pid],
            detail={"rows": sum(1 for r in rows if r.partnership_id == pid), "filters": filters},
        )
    return response


@login_required
def waive(request, pk):
    deadline = access_deadline(request.user, pk)
    require(request.user, "waive_deadline", deadline.partnership_id)
    form = WaiveDeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kernel_services.waive_deadline(
                deadline=deadline, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{deadline.reference}: {deadline.rule_definition.title} is waived.")
            return redirect("notifications:dashboard")
    return render(
        request,
        "deadlines/waive.html",
        {
            "deadline": deadline,
            "rule": deadline.rule_definition,
            "form": form,
        },
    )


@login_required
def calendar_page(request):
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(reverse("notifications:calendar-feed", args=[feed.token]))
    return render(request, "deadlines/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_reset(request):
    services.reset_calendar_feed(user=request.user)
    messages.success(request, "Your calendar address has been reset. The old address no longer works.")
    return redirect("notifications:calendar")


def calendar_ics(request, token):
    """The secret per-user iCalendar feed: no sign-in (calendar apps cannot), the
    token is the key; a reset token or an inactive user gets 404."""
    if not _CALENDAR_TOKEN.fullmatch(token):
        raise Http404("No such calendar.")
    try:
        feed = CalendarFeed.objects.select_related("user").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404("No such calendar.") from None
    if not feed.user.is_active:
        raise Http404("No such calendar.")
    body = calendar_feed(calendar_deadlines(feed.user, timezone.localdate()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
