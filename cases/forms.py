"""Forms of the referral and case pages. They parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from cspr.forms import GovukForm, GovukModelForm
from cspr.models import Agency
from cspr.roles import CASE_MANAGERS

from .models import Case, ChronologyEntry, OtherProcess, Referral
from .selectors import case_access_grants
from .services import CASE_FIELDS, REQUIRED_TO_SUBMIT


def _drop_blank_choice(field) -> None:
    field.choices = [(value, label) for value, label in field.choices if value != ""]


class ReferralForm(GovukModelForm):
    """The referral, in sections. Every field may be left empty in a draft; the
    ones needed to submit are marked (not "optional") and checked on submission."""

    SECTIONS = [
        ("about-you", "About you", ["referrer_name", "referrer_agency", "referrer_role", "referrer_contact"]),
        (
            "the-child",
            "The child",
            [
                "child_name",
                "child_date_of_birth",
                "child_unborn",
                "child_sex",
                "child_ethnicity",
                "child_address",
            ],
        ),
        (
            "the-incident",
            "The incident",
            ["incident_date", "incident_description", "abuse_or_neglect", "outcome", "why_criteria_met"],
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
            "child_name",
            "child_date_of_birth",
            "child_unborn",
            "child_sex",
            "child_ethnicity",
            "child_address",
            "incident_date",
            "incident_description",
            "abuse_or_neglect",
            "outcome",
            "why_criteria_met",
            "agencies_involved",
            "concerns_about_agencies",
            "childrens_social_care_aware",
            "other_processes",
            "information_response",
        ]
        widgets = {
            "child_sex": forms.RadioSelect,
            "abuse_or_neglect": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "childrens_social_care_aware": forms.RadioSelect,
            "agencies_involved": forms.CheckboxSelectMultiple,
            "child_address": forms.Textarea(attrs={"rows": 3}),
            "incident_description": forms.Textarea(attrs={"rows": 6}),
            "why_criteria_met": forms.Textarea(attrs={"rows": 4}),
            "concerns_about_agencies": forms.Textarea(attrs={"rows": 4}),
            "information_response": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "child_date_of_birth": "Leave empty if the child was unborn.",
            "child_address": "Write 'Not known' if you do not know it.",
            "incident_description": "What happened, when and where. Use roles, not the names "
            "of family members.",
            "referrer_contact": "So the business team can ask you about this referral.",
        }

    def __init__(self, *args, partnership, answering: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(partnership=partnership)
        self.fields["referrer_agency"].queryset = agencies
        self.fields["agencies_involved"].queryset = agencies
        self.fields["agencies_involved"].help_text = "Select all that apply."
        # The referrer's own details, which browsers may fill in (WCAG 1.3.5).
        self.fields["referrer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["referrer_role"].widget.attrs["autocomplete"] = "organization-title"
        for name in ("child_sex", "abuse_or_neglect", "outcome", "childrens_social_care_aware"):
            _drop_blank_choice(self.fields[name])
        for name, field in self.fields.items():
            field.required = False
            if name in REQUIRED_TO_SUBMIT or name in ("agencies_involved", "child_date_of_birth"):
                field.required_to_submit = True
        if answering:
            self.fields["information_response"].required_to_submit = True
        else:
            del self.fields["information_response"]

    def _post_clean(self):
        # The service checks and saves; the ModelForm only parses.
        pass

    def sections(self):
        return [
            {"id": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in self.SECTIONS
        ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("agencies_involved", None)
        return data


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
    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "agencies"]
        widgets = {
            "agencies": forms.CheckboxSelectMultiple,
            "child_sex": forms.RadioSelect,
            "outcome": forms.RadioSelect,
        }
        help_texts = {"child_initials": "Initials only, like J.S. Never the name."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership_id=self.instance.partnership_id)
        _drop_blank_choice(self.fields["outcome"])

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
