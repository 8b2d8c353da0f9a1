"""The dashboard's filters, shared by the page, the CSV export and the API, so all
three filter the same way."""

from __future__ import annotations

import django_filters
from django import forms

from cspr.deadlines import rule_choices
from cspr.forms import GovukForm
from cspr.models import Agency, Deadline, Partnership
from cspr.permissions import partnership_ids_for
from cspr.workdays import calendar_for

from .selectors import SHOW_CHOICES, with_status


def _agencies(request):
    if request is None:
        return Agency.objects.none()
    return (
        Agency.objects.filter(partnership_id__in=partnership_ids_for(request.user, "view_dashboard"))
        .select_related("partnership")
        .order_by("partnership__name", "name")
    )


def _partnerships(request):
    if request is None:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=partnership_ids_for(request.user, "view_dashboard"))


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DeadlineFilterForm(GovukForm):
    pass


class DeadlineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=SHOW_CHOICES,
        empty_label="Clocks still running",
        label="Show",
        method="filter_status",
    )
    stage = django_filters.ChoiceFilter(
        choices=Deadline.Stage.choices, empty_label="All stages", label="Stage"
    )
    rule = django_filters.ChoiceFilter(choices=rule_choices, empty_label="All rules", label="Rule")
    agency = django_filters.ModelChoiceFilter(queryset=_agencies, empty_label="All agencies", label="Agency")
    partnership = django_filters.ModelChoiceFilter(
        queryset=_partnerships, empty_label="All your partnerships", label="Partnership"
    )
    due_within = IntegerFilter(
        method="filter_due_within",
        label="Due within (working days)",
        help_text="For example 10. Overdue clocks are always included.",
        min_value=0,
        max_value=520,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Deadline
        fields = ["status", "stage", "rule", "agency", "partnership", "due_within"]
        form = DeadlineFilterForm

    def filter_status(self, queryset, name, value):
        return queryset  # applied in filter_queryset, left out or not

    def filter_queryset(self, queryset):
        """Every filter, then which clocks: still running unless ``status`` asks for met
        (or met late) ones. Applied even when ``status`` is left out, so the page, the CSV
        and the API list the clocks still running by default."""
        show = self.form.cleaned_data.get("status") or ""
        return with_status(super().filter_queryset(queryset), show)

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        from django.utils import timezone

        calendar = calendar_for(self.request)
        last_day = calendar.add_working_days(timezone.localdate(), int(value))
        return queryset.filter(due_date__lte=last_day)
