"""Forms of the referral and case pages. They parse input; the rules live in services."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cspr.forms import GovukForm, GovukModelForm, apply_service_errors, style_field
from cspr.models import Agency
from cspr.roles import CASE_MANAGERS

from . import codes
from .codes import MAX_CHILDREN, MONTHS_SHOWN_UNDER
from .models import Case, CaseChild, ChronologyEntry, OtherProcess, Referral
from .selectors import case_access_grants
from .services import (
    CASE_CHILD_FIELDS,
    CASE_FIELDS,
    CODED_CHILD_FIELDS,
    REFERRAL_CHILD_FIELDS,
    REQUIRED_OF_EACH_CHILD,
    REQUIRED_TO_SUBMIT,
    child_error_key,
)

CHILD_KEY = re.compile(r"^child_(\d+)_(\w+)$")


def _drop_blank_choice(field) -> None:
    field.choices = [(value, label) for value, label in field.choices if value != ""]


def _referral_child_fields(n: int) -> dict:
    """The fields of child ``n`` on the referral form (``child_N_field``)."""
    optional = "" if n == 1 else " Leave empty if the incident concerns fewer children."
    return {
        "name": forms.CharField(
            label="Full name", max_length=200, required=False, help_text=optional.strip()
        ),
        "date_of_birth": forms.DateField(
            label="Date of birth",
            required=False,
            help_text="Leave empty if the child was unborn.",
            error_messages={"invalid": "Enter a real date, like 25 11 2020."},
        ),
        "unborn": forms.BooleanField(label="The child was unborn", required=False),
        "address": forms.CharField(
            label="Address",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Write 'Not known' if you do not know it.",
        ),
        "gender": forms.ChoiceField(
            label="Gender", choices=codes.Gender.choices, required=False, widget=forms.RadioSelect
        ),
        "ethnicity": forms.ChoiceField(
            label="Ethnicity",
            choices=[("", "Choose an ethnic group"), *codes.Ethnicity.choices],
            required=False,
        ),
        "nature": forms.ChoiceField(
            label="Did the child die or was the child seriously harmed?",
            choices=codes.Nature.choices,
            required=False,
            widget=forms.RadioSelect,
            help_text="'Other': for example a child who caused serious harm to someone else "
            "and was themselves abused or neglected.",
        ),
    }


class ReferralForm(GovukModelForm):
    """The referral, in sections. Every field may be left empty in a draft; the
    ones needed to submit are marked (not "optional") and checked on submission.
    The children are a fixed set of four fieldsets (no JavaScript needed): the
    first is the child the referral is about, the others are filled in only when
    the incident concerns more children."""

    SECTIONS = [
        ("about-you", "About you", ["referrer_name", "referrer_agency", "referrer_role", "referrer_contact"]),
        (
            "the-incident",
            "The incident",
            ["incident_date", "incident_description", "abuse_or_neglect", "why_criteria_met"],
        ),
        (
            "agencies",
            "Agencies and concerns",
            ["agencies_involved", "concerns_about_agencies", "childrens_social_care_aware"],
        ),
        ("other-processes", "Other processes", ["other_processes"]),
    ]

    other_processes = forms.MultipleChoiceField(
        label="Other processes under way",
        choices=OtherProcess.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )

    class Meta:
        model = Referral
        fields = [
            "referrer_name",
            "referrer_agency",
            "referrer_role",
            "referrer_contact",
            "incident_date",
            "incident_description",
            "abuse_or_neglect",
            "why_criteria_met",
            "agencies_involved",
            "concerns_about_agencies",
            "childrens_social_care_aware",
            "other_processes",
            "information_response",
        ]
        widgets = {
            "abuse_or_neglect": forms.RadioSelect,
            "childrens_social_care_aware": forms.RadioSelect,
            "agencies_involved": forms.CheckboxSelectMultiple,
            "incident_description": forms.Textarea(attrs={"rows": 6}),
            "why_criteria_met": forms.Textarea(attrs={"rows": 4}),
            "concerns_about_agencies": forms.Textarea(attrs={"rows": 4}),
            "information_response": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "incident_description": "What happened, when and where. Use roles, not the names "
            "of family members.",
            "referrer_contact": "So the business team can ask you about this referral.",
        }

    def __init__(self, *args, partnership, answering: bool = False, **kwargs):
        instance = kwargs.get("instance")
        stored = list(instance.children.all()) if instance is not None and instance.pk else []
        initial = kwargs.setdefault("initial", {})
        for child in stored:
            for name in REFERRAL_CHILD_FIELDS:
                initial[child_error_key(child.ordinal, name)] = getattr(child, name)
        super().__init__(*args, **kwargs)
        # The children's fieldsets, before the incident (in the page's order).
        for n in range(1, MAX_CHILDREN + 1):
            for name, field in _referral_child_fields(n).items():
                style_field(field, name)
                self.fields[child_error_key(n, name)] = field
        agencies = Agency.objects.filter(partnership=partnership)
        self.fields["referrer_agency"].queryset = agencies
        self.fields["agencies_involved"].queryset = agencies
        self.fields["agencies_involved"].help_text = "Select all that apply."
        # The referrer's own details, which browsers may fill in (WCAG 1.3.5).
        self.fields["referrer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["referrer_role"].widget.attrs["autocomplete"] = "organization-title"
        for name in ("abuse_or_neglect", "childrens_social_care_aware"):
            _drop_blank_choice(self.fields[name])
        for name, field in self.fields.items():
            field.required = False
            if name in REQUIRED_TO_SUBMIT or name == "agencies_involved":
                field.required_to_submit = True
        for name in (*REQUIRED_OF_EACH_CHILD, "date_of_birth"):
            self.fields[child_error_key(1, name)].required_to_submit = True
        if answering:
            self.fields["information_response"].required_to_submit = True
        else:
            del self.fields["information_response"]
        self._ordinals: dict[int, int] = {}

    def _post_clean(self):
        # The service checks and saves; the ModelForm only parses.
        pass

    def sections(self):
        return [
            {"id": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in self.SECTIONS
        ]

    def child_fieldsets(self):
        return [
            {
                "number": n,
                "id": f"child-{n}",
                "fields": [self[child_error_key(n, name)] for name in REFERRAL_CHILD_FIELDS],
            }
            for n in range(1, MAX_CHILDREN + 1)
        ]

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("child_")}
        data.pop("agencies_involved", None)
        return data

    def children(self) -> list[dict]:
        """The children filled in, in order; a fieldset left empty names no child."""
        children, self._ordinals = [], {}
        for n in range(1, MAX_CHILDREN + 1):
            child = {name: self.cleaned_data.get(child_error_key(n, name)) for name in REFERRAL_CHILD_FIELDS}
            child["unborn"] = bool(child["unborn"])
            for name in ("name", "address", "gender", "ethnicity", "nature"):
                child[name] = child[name] or ""
            if any(child[name] not in ("", None, False) for name in REFERRAL_CHILD_FIELDS):
                children.append(child)
                self._ordinals[len(children)] = n
        return children

    def apply_errors(self, error: ValidationError) -> None:
        """A service's errors, with each child's moved to the fieldset it was typed in
        (a child typed in the third fieldset after an empty second one is child 2)."""
        if hasattr(error, "error_dict"):
            moved = {}
            for key, errors in error.error_dict.items():
                match = CHILD_KEY.match(key)
                if match and int(match[1]) in self._ordinals:
                    key = child_error_key(self._ordinals[int(match[1])], match[2])
                moved[key] = errors
            error = ValidationError(moved)
        apply_service_errors(self, error)


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why is the referral declined?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The referrer will see this.",
    )
    recommend_other_learning_review = forms.BooleanField(
        label="Recommend another learning review instead", required=False
    )


class InformationRequestForm(GovukForm):
    question = forms.CharField(
        label="What do you need to know from the referrer?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CaseForm(GovukModelForm):
    """The incident itself; each child has its own page (``CaseChildForm``)."""

    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "agencies"]
        widgets = {"agencies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership_id=self.instance.partnership_id)

    def _post_clean(self):
        # The service validates and saves; do not let the ModelForm touch the instance.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CASE_FIELDS}


class BroughtInForm(GovukForm):
    """Mark a case as brought in from before this system, or no longer."""

    brought_in = forms.BooleanField(
        label="This case was brought in from before this system",
        help_text="For example imported from a spreadsheet, or a case already under way when the "
        "partnership started using this service. Its recorded dates may then be older than 29 June "
        "2018; they must still be in the order the events happened, and none in the future.",
        required=False,
    )
    source = forms.CharField(
        label="Where it was brought in from",
        help_text="For example “spreadsheet export” or “paper file”. Needed when the case is marked.",
        max_length=200,
        required=False,
    )
    reason = forms.CharField(
        label="Why",
        help_text="Why its dates may be older than 29 June 2018, or why it is no longer marked. "
        "Kept in the audit trail. Do not include the child's name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class CaseChildForm(GovukModelForm):
    """One child of a case, pseudonymised, with the coded characteristics the DfE's
    statistics count. The age is typed in years, and in months under 2."""

    age_years = forms.IntegerField(
        label="Age at the incident, in years",
        required=False,
        min_value=0,
        help_text="Leave empty if the child was unborn or the age is not known.",
        error_messages={"invalid": "Enter the age as a whole number of years, like 6"},
    )
    age_extra_months = forms.IntegerField(
        label="And months, for a child under 2",
        required=False,
        min_value=0,
        max_value=11,
        help_text="For example 8 for a baby of 8 months (0 years and 8 months).",
        error_messages={"invalid": "Enter the months as a whole number from 0 to 11"},
    )

    #: The form's order: the model's, the age typed as years and months, and the
    #: agencies after "known to any agency".
    FIELD_ORDER = [
        part
        for name in CASE_CHILD_FIELDS
        for part in {
            "age_months": ["age_years", "age_extra_months"],
            "known_to_agencies": ["known_to_agencies", "agencies"],
        }.get(name, [name])
    ]

    class Meta:
        model = CaseChild
        fields = [name for name in CASE_CHILD_FIELDS if name != "age_months"] + ["agencies"]
        widgets = {
            "agencies": forms.CheckboxSelectMultiple,
            "gender": forms.RadioSelect,
            "nature": forms.RadioSelect,
            "disability": forms.RadioSelect,
            "looked_after": forms.RadioSelect,
            "child_protection_plan": forms.RadioSelect,
            "child_in_need": forms.RadioSelect,
            "known_to_agencies": forms.RadioSelect,
        }
        help_texts = {
            "initials": "Initials only, like J.S. Never the name.",
            "placement_type": "Only for a looked-after child.",
            "agencies": "The agencies of the partnership that knew the child before the incident.",
            "nature": "'Other': for example a child who caused serious harm to someone else "
            "and was themselves abused or neglected.",
        }

    def __init__(self, *args, case, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.age_months is not None:
            initial = kwargs.setdefault("initial", {})
            if instance.age_months < MONTHS_SHOWN_UNDER:
                initial.update(age_years=instance.age_months // 12, age_extra_months=instance.age_months % 12)
            else:
                initial.update(age_years=instance.age_months // 12)
        super().__init__(*args, **kwargs)
        self.order_fields(self.FIELD_ORDER)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership_id=case.partnership_id)
        self.fields["agencies"].required = False
        self.fields["nature"].required = False  # the service gives the message
        self.fields["nature"].required_to_submit = True
        for name in (
            "nature",
            "gender",
            "disability",
            "looked_after",
            "child_protection_plan",
            "child_in_need",
            "known_to_agencies",
        ):
            _drop_blank_choice(self.fields[name])
            self.fields[name].required = False
        self.fields["placement_type"].choices = [("", "Not looked after"), *codes.PlacementType.choices]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in CASE_CHILD_FIELDS if name != "age_months"}
        for name in CODED_CHILD_FIELDS:
            data[name] = data[name] or ""
        data["initials"] = data["initials"] or ""
        years, months = self.cleaned_data.get("age_years"), self.cleaned_data.get("age_extra_months")
        if years is None and months is None:
            data["age_months"] = None
        else:
            data["age_months"] = (years or 0) * 12 + (months or 0)
        return data

    def apply_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "age_months" in error.error_dict:
            error.error_dict["age_years"] = error.error_dict.pop("age_months")
        apply_service_errors(self, error)


class ChronologyEntryForm(GovukModelForm):
    class Meta:
        model = ChronologyEntry
        fields = ["date", "agency", "entry"]
        widgets = {"entry": forms.Textarea(attrs={"rows": 3})}
        labels = {"date": "Date of the event", "entry": "What happened"}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=case.partnership_id)
        self.fields["date"].required = False  # the service gives the message
        self.fields["entry"].required = False
        self.fields["date"].required_to_submit = True
        self.fields["entry"].required_to_submit = True

    def _post_clean(self):
        pass


class CaseAccessForm(GovukForm):
    """Add a member of the partnership to one case."""

    user = forms.ModelChoiceField(
        label="Person to add",
        help_text="For example the panel liaison who sends the rapid review to the Panel. "
        "Partner leads and business managers see every case already.",
        queryset=None,
        empty_label="Choose a person",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        granted = case_access_grants(case).values("user_id")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership_id=case.partnership_id)
            .exclude(memberships__partnership_id=case.partnership_id, memberships__role__in=CASE_MANAGERS)
            .exclude(pk__in=granted)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
