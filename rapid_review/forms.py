"""Small forms, one per part of the rapid review. They check the shape of the
input; the services check the rules. Each has a prefix, so that several can sit
on the detail page without their ids clashing."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model, model_to_dict

from cases.models import OtherProcess
from cspr.forms import DateInput, GovukForm

from .models import RapidReview


class ReviewFieldsForm(GovukForm):
    """A form over some of the review's own fields (no instance is changed by it)."""

    field_names: list[str] = []
    widgets: dict = {}

    def __init__(self, *args, review: RapidReview, **kwargs):
        kwargs.setdefault("initial", model_to_dict(review, fields=self.field_names))
        self.review = review
        self.base_fields = fields_for_model(RapidReview, fields=self.field_names, widgets=self.widgets)
        super().__init__(*args, **kwargs)


class AnalysisForm(ReviewFieldsForm):
    prefix = "analysis"
    field_names = RapidReview.ANALYSIS_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_processes"] = forms.MultipleChoiceField(
            label="Other processes under way",
            choices=OtherProcess.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        for name in (
            "household_composition",
            "chronology_summary",
            "key_practice_episodes",
            "family_context",
            "good_practice",
            "learning_identified",
            "other_processes_detail",
        ):
            self.fields[name].widget.attrs["rows"] = 4


class CriteriaForm(ReviewFieldsForm):
    prefix = "criteria"
    field_names = RapidReview.CRITERIA_FIELDS


class SignOffForm(ReviewFieldsForm):
    prefix = "signoff"
    field_names = RapidReview.SIGN_OFF_FIELDS


class MeetingForm(GovukForm):
    prefix = "meeting"
    date = forms.DateField(
        label="Date of the meeting",
        widget=DateInput,
        error_messages={"required": "Enter the date of the meeting."},
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)


class AttendeeForm(GovukForm):
    prefix = "attendee"
    meeting = forms.ModelChoiceField(
        label="Meeting",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the meeting.",
            "invalid_choice": "Choose a meeting of this rapid review.",
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="A member of staff: never a family member.",
        error_messages={"required": "Enter the attendee's name."},
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=None, required=False, empty_label="No agency or another organisation"
    )
    role = forms.CharField(
        label="Role", max_length=200, error_messages={"required": "Enter the attendee's role."}
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = review.meetings.all()
        self.fields["agency"].queryset = review.case.partnership.agencies.all()


class AttendeeEditForm(AttendeeForm):
    """An attendee's name, agency and role, to correct (the meeting stays)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["meeting"]


class AgencyReturnForm(GovukForm):
    prefix = "return"
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        error_messages={
            "required": "Choose the agency.",
            "invalid_choice": "Choose an agency of this partnership.",
        },
    )
    requested_on = forms.DateField(
        label="Date requested", widget=DateInput, error_messages={"required": "Enter the date requested."}
    )
    received_on = forms.DateField(label="Date received", widget=DateInput, required=False)
    summary = forms.CharField(
        label="Summary of the agency's involvement", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)
        if "agency" in self.fields:
            self.fields["agency"].queryset = review.case.partnership.agencies.all()


class AgencyReturnEditForm(AgencyReturnForm):
    prefix = "return"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agency"]


class SafetyActionForm(GovukForm):
    prefix = "action"
    action = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action."},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="The person or agency responsible.",
        error_messages={"required": "Enter who owns the action."},
    )
    due_on = forms.DateField(label="Due by", widget=DateInput, required=False)
    done_on = forms.DateField(label="Done on", widget=DateInput, required=False)

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)


class MeetingHeldForm(GovukForm):
    prefix = "held"

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)


class DecisionForm(GovukForm):
    prefix = "decision"
    pending = forms.BooleanField(
        label="The decision is still pending",
        required=False,
        help_text="The review can still be sent to the Panel; say when the decision is expected.",
    )
    expected_on = forms.DateField(label="Date the decision is expected", widget=DateInput, required=False)
    decision = forms.ChoiceField(
        label="The partners' decision",
        choices=RapidReview.Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rationale = forms.CharField(
        label="Reasons for the decision", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    criteria_departure_reasons = forms.CharField(
        label="Why the partners decided against the criteria recorded",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for a local review when none of criteria (a) to (d) is met, or for no "
        "further review when one is.",
    )
    national_review_may_be_appropriate = forms.BooleanField(
        label="The partners think a national review may be more appropriate",
        required=False,
        help_text="Only the Panel decides on a national review: this tells it what the partners think.",
    )
    national_review_reasons = forms.CharField(
        label="Why a national review may be more appropriate",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = forms.DateField(
        label="Date of the decision", widget=DateInput, required=False, help_text="Leave empty for today."
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "pending": review.decision_pending,
                "expected_on": review.decision_expected_on,
                "decision": review.decision,
                "rationale": review.decision_rationale,
                "national_review_may_be_appropriate": review.national_review_may_be_appropriate,
                "national_review_reasons": review.national_review_reasons,
                "criteria_departure_reasons": review.criteria_departure_reasons,
                "decided_on": review.decided_on,
            },
        )
        super().__init__(*args, **kwargs)


class ShareDecisionForm(GovukForm):
    prefix = "share"
    shared_with = forms.CharField(
        label="Who the decision and its reasons were shared with",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example the relevant partners and the family.",
        error_messages={"required": "Enter who the decision and its reasons were shared with."},
    )
    shared_on = forms.DateField(
        label="Date shared", widget=DateInput, error_messages={"required": "Enter the date shared."}
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        kwargs.setdefault(
            "initial", {"shared_with": review.decision_shared_with, "shared_on": review.decision_shared_on}
        )
        super().__init__(*args, **kwargs)


class SubmitForm(GovukForm):
    prefix = "submit"
    sent_on = forms.DateField(
        label="Date sent to the Panel",
        widget=DateInput,
        error_messages={"required": "Enter the date sent to the Panel."},
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)


class PanelResponseForm(GovukForm):
    prefix = "panel"
    response = forms.ChoiceField(
        label="The Panel's response",
        choices=RapidReview.PanelResponse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Panel's response."},
    )
    responded_on = forms.DateField(
        label="Date of the Panel's response",
        widget=DateInput,
        error_messages={"required": "Enter the date of the response."},
    )
    text = forms.CharField(
        label="What the Panel said", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, review: RapidReview, **kwargs):
        super().__init__(*args, **kwargs)
