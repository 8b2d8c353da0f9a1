"""Dates are typed in GOV.UK's date input (day, month, year), never the browser's
date picker, and refused with GOV.UK's messages, the part in error highlighted."""

import datetime as dt
import re

import pytest
from django import forms
from django.urls import reverse

from cases.models import Referral
from cspr.forms import GovukForm, GovukModelForm
from tests.factories import log_in


class IncidentForm(GovukForm):
    incident_on = forms.DateField(label="Date of the incident", help_text="For example, 27 3 2026")
    reported_on = forms.DateField(label="Date reported", required=False)


def parts(name, day, month, year):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_the_date_input_has_three_labelled_numeric_boxes_in_a_fieldset_and_no_date_picker():
    html = str(IncidentForm())
    assert 'type="date"' not in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        box = re.search(rf'<input[^>]*id="id_incident_on-{part}"[^>]*>', html).group(0)
        assert f'name="incident_on-{part}"' in box and 'type="text"' in box and 'inputmode="numeric"' in box
        assert re.search(rf'<label[^>]*for="id_incident_on-{part}"[^>]*>\s*{label}\s*</label>', html)
    assert re.search(r"<legend[^>]*>\s*Date of the incident\s*</legend>", html)
    assert re.search(r"<legend[^>]*>\s*Date reported \(optional\)\s*</legend>", html)
    assert 'aria-describedby="id_incident_on-hint"' in html  # the fieldset names its hint


def test_the_three_boxes_make_the_date():
    form = IncidentForm(data=parts("incident_on", "2", "1", "2026") | parts("reported_on", "", "", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"incident_on": dt.date(2026, 1, 2), "reported_on": None}


def test_one_iso_value_under_the_fields_own_name_is_still_read():
    form = IncidentForm(data={"incident_on": "2026-01-02"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["incident_on"] == dt.date(2026, 1, 2)
    assert IncidentForm(data={"incident_on": "2026-02-31"}).errors["incident_on"] == [
        "Date of the incident must be a real date"
    ]


def test_31_february_is_refused_as_not_a_real_date_keeping_what_was_typed_with_the_day_highlighted():
    form = IncidentForm(data=parts("incident_on", "31", "2", "2026"))
    assert not form.is_valid()
    assert form.errors["incident_on"] == ["Date of the incident must be a real date"]
    html = str(form)
    assert 'value="31"' in html and 'value="2026"' in html  # not silently emptied
    assert "govuk-form-group--error" in html
    assert re.search(r'class="[^"]*govuk-input--error[^"]*" id="id_incident_on-day"', html)
    assert not re.search(r'class="[^"]*govuk-input--error[^"]*" id="id_incident_on-(month|year)"', html)
    assert 'aria-describedby="id_incident_on-hint id_incident_on-error"' in html


@pytest.mark.parametrize(
    ("typed", "message", "highlighted"),
    [
        (("3", "", "2026"), "Date of the incident must include a month", {"month"}),
        (("", "3", "2026"), "Date of the incident must include a day", {"day"}),
        (("3", "", ""), "Date of the incident must include a month and year", {"month", "year"}),
        (("3", "13", "2026"), "Date of the incident must be a real date", {"month"}),
        (("x", "3", "2026"), "Date of the incident must be a real date", {"day"}),
        (("3", "3", "26"), "Date of the incident must include a year with 4 numbers", {"year"}),
        (("", "", ""), "Enter the date of the incident", {"day", "month", "year"}),
    ],
)
def test_each_mistake_has_gov_uk_s_message_and_highlights_only_the_part_in_error(typed, message, highlighted):
    form = IncidentForm(data=parts("incident_on", *typed))
    assert form.errors["incident_on"] == [message]
    html = str(form)
    marked = set(re.findall(r'class="[^"]*govuk-input--error[^"]*" id="id_incident_on-(\w+)"', html))
    assert marked == highlighted


def test_the_error_summary_links_to_the_first_part_in_error_and_that_box_exists():
    from django.template.loader import render_to_string

    form = IncidentForm(data=parts("incident_on", "3", "", "") | parts("reported_on", "", "", "2026"))
    assert not form.is_valid()
    summary = render_to_string("includes/error_summary.html", {"form": form})
    html = str(form)
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == ["id_incident_on-month", "id_reported_on-day"]
    for target in targets:
        assert f'id="{target}"' in html


class ModelDateForm(GovukModelForm):
    class Meta:
        model = Referral
        fields = ["incident_date"]


def test_a_models_date_field_is_a_date_input_too():
    form = ModelDateForm(data=parts("incident_date", "29", "2", "2025"))
    assert form.errors["incident_date"] == [f"{form['incident_date'].label} must be a real date"]
    assert 'id="id_incident_date-day"' in str(form)


@pytest.mark.django_db
def test_a_referral_with_31_february_is_refused_on_the_page_and_nothing_is_saved(client, practitioner):
    log_in(client, practitioner)
    response = client.post(
        reverse("cases:referral-create"), parts("incident_date", "31", "2", "2026") | {"action": "save"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_incident_date-day">Date of the incident must be a real date</a>' in html
    assert 'id="id_incident_date-day"' in html and 'value="31"' in html
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_future_date_typed_in_the_boxes_is_refused_by_the_service_with_the_whole_date_highlighted(
    client, practitioner
):
    log_in(client, practitioner)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client.post(
        reverse("cases:referral-create"),
        parts("incident_date", str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
        | {"action": "save"},
    )
    html = response.content.decode()
    assert "The date of the incident" in html and "must be today or in the past" in html
    marked = set(re.findall(r'class="[^"]*govuk-input--error[^"]*" id="id_incident_date-(\w+)"', html))
    assert marked == {"day", "month", "year"}
    assert not Referral.objects.exists()
