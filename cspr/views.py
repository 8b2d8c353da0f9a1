"""Kernel pages: home (the user's partnerships and roles), the accessibility statement
and the health check."""

import csv

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import audit
from .formats import csv_cell
from .forms import DateInput, GovukForm
from .models import AuditEvent, Membership, Partnership
from .permissions import memberships, partnership_ids_for
from .selectors import audit_events_visible_to


@login_required
def home(request):
    grouped: dict = {}
    for membership in memberships(request.user):
        entry = grouped.setdefault(
            membership.partnership_id, {"partnership": membership.partnership, "roles": []}
        )
        entry["roles"].append(membership)
    return render(request, "cspr/home.html", {"partnerships": list(grouped.values())})


def accessibility_statement(request):
    """The accessibility statement: public, linked from every page's footer."""
    return render(request, "cspr/accessibility.html")


def health(request):
    """Liveness for the load balancer and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# ---------------------------------------------------------------------------
# The audit trail: partner leads and business managers see their partnerships'.
# ---------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


class AuditFilterForm(GovukForm):
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(), required=False, empty_label="All your partnerships"
    )
    action = forms.ChoiceField(required=False, label="What happened")
    date_from = forms.DateField(required=False, label="From", widget=DateInput)
    date_to = forms.DateField(required=False, label="To", widget=DateInput)
    reference = forms.CharField(
        required=False,
        max_length=100,
        label="Reference",
        help_text="All or part of a case reference or other label.",
    )
    actor = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Done by",
        empty_label="Anyone",
    )

    def __init__(self, *args, partnership_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.filter(pk__in=partnership_ids)
        if len(partnership_ids) < 2:
            del self.fields["partnership"]
        self.fields["action"].choices = [("", "Anything"), *AuditEvent.Action.choices]
        self.fields["actor"].queryset = (
            get_user_model()
            .objects.filter(
                pk__in=Membership.objects.filter(partnership_id__in=partnership_ids).values("user_id")
            )
            .order_by("first_name", "last_name", "username")
        )
        self.fields["actor"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned

    def filter(self, events):
        data = self.cleaned_data
        if data.get("partnership"):
            events = events.filter(partnership=data["partnership"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        if data.get("reference"):
            events = events.filter(subject_label__icontains=data["reference"])
        if data.get("actor"):
            events = events.filter(actor=data["actor"])
        return events

    def describe(self) -> dict:
        """The filters used, for the export's audit row (ids and references only)."""
        out = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            out[name] = value.pk if hasattr(value, "pk") else str(value)
        return out


def _audit_form(request):
    ids = partnership_ids_for(request.user, "view_audit_trail")
    if not ids:
        raise PermissionDenied("Only a business manager or partner lead can see the audit trail.")
    form = AuditFilterForm(request.GET or None, partnership_ids=ids)
    events = audit_events_visible_to(request.user)
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    elif form.is_bound:
        events = events.none()
    return form, events


@login_required
def audit_trail(request):
    form, events = _audit_form(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cspr/audit_trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_trail_export(request):
    form, events = _audit_form(request)
    if form.is_bound and not form.is_valid():
        return audit_trail(request)
    chosen = form.cleaned_data.get("partnership") if form.is_bound else None
    partnerships = (
        [chosen]
        if chosen
        else list(Partnership.objects.filter(pk__in=partnership_ids_for(request.user, "view_audit_trail")))
    )
    filters = form.describe() if form.is_bound else {}
    with transaction.atomic():
        # One row in each partnership's trail whose events are in the file.
        for partnership in partnerships:
            audit.record(
                actor=request.user,
                action=audit.Action.EXPORT,
                partnership=partnership,
                label="audit trail CSV",
                detail={"filters": filters},
            )
    writer = csv.writer(_Echo())
    local = timezone.get_current_timezone()

    def rows():
        yield writer.writerow(["When", "Partnership", "What happened", "Object", "Done by", "Details"])
        for event in events.iterator(chunk_size=500):
            actor = event.actor
            yield writer.writerow(
                [
                    csv_cell(event.at.astimezone(local).strftime("%d %B %Y %H:%M:%S")),
                    csv_cell(event.partnership.code if event.partnership else ""),
                    csv_cell(event.get_action_display()),
                    csv_cell(event.subject_label),
                    csv_cell(actor.get_username() if actor else ""),
                    csv_cell(event.detail or ""),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
