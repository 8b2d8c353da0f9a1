"""Forms of the reviews app. They parse input; services apply the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from cspr.forms import DateInput, GovukForm, GovukModelForm
from cspr.models import Agency
from cspr.uploads import DocumentField

from .models import (
    Action,
    ActionUpdate,
    FamilyInvolvement,
    InformationRequest,
    PractitionerEvent,
    Recommendation,
    Review,
    TeamMember,
)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        initials = f" ({obj.children_initials})" if obj.children_initials else ""
        return f"{obj.reference}{initials}"


def partnership_members(partnership_id):
    return (
        get_user_model()
        .objects.filter(memberships__partnership_id=partnership_id, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def partnership_agencies(partnership_id):
    return Agency.objects.filter(partnership_id=partnership_id).order_by("name")


class CommissionReviewForm(GovukForm):
    case = CaseChoiceField(
        queryset=None,
        label="Case",
        empty_label="Choose a case",
        error_messages={"required": "Choose the case the review is about."},
    )
    kind = forms.ChoiceField(
        label="Kind of review",
        choices=Review.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of review."},
    )
    method = forms.ChoiceField(
        label="Method (for another learning review)",
        choices=[("", "Not another learning review")] + list(Review.Method.choices),
        required=False,
    )
    decided_on = forms.DateField(
        label="Date the partners decided to hold it",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the decision.",
            "invalid": "Enter a real date, like 25 11 2026.",
        },
    )
    commissioned_on = forms.DateField(
        label="Date the review was commissioned",
        help_text="Today, unless it was commissioned earlier. On or after the date of the decision.",
        widget=DateInput(),
        required=False,
        error_messages={"invalid": "Enter a real date, like 25 11 2026."},
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases.prefetch_related("children")
        self.fields["commissioned_on"].initial = timezone.localdate()


class CommissionFromRapidReviewForm(GovukForm):
    """The date of the "Commission the review" button on a decided rapid review."""

    commissioned_on = CommissionReviewForm.base_fields["commissioned_on"]


class TermsOfReferenceForm(GovukModelForm):
    class Meta:
        model = Review
        fields = ["scope", "period_from", "period_to", "key_lines_of_enquiry", "methodology"]


class FindingsForm(GovukModelForm):
    class Meta:
        model = Review
        fields = ["findings"]


class NationalReviewForm(GovukModelForm):
    national_report_url = forms.URLField(
        label="Link to the national report", required=False, assume_scheme="https"
    )

    class Meta:
        model = Review
        fields = [
            "panel_decision_on",
            "panel_decision",
            "panel_liaison_contact",
            "local_contribution",
            "national_report_published_on",
            "national_report_url",
        ]


class ReviewStatusForm(GovukForm):
    STEPS = [
        ("start", "The review has started"),
        ("final_report_received", "The final report has been received"),
        ("complete", "The review is complete"),
    ]
    step = forms.ChoiceField(
        label="What has happened?",
        choices=STEPS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened."},
    )
    on = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )


class LeadReviewerForm(GovukForm):
    user = MemberChoiceField(
        queryset=None,
        required=False,
        label="Person with an account",
        empty_label="No account: enter a name below",
    )
    name = forms.CharField(
        label="Name of a reviewer without an account",
        required=False,
        max_length=200,
        help_text="The published report carries the lead reviewers' names.",
    )
    organisation = forms.CharField(label="Organisation", required=False, max_length=200)

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = partnership_members(partnership_id)


class TeamMemberForm(GovukModelForm):
    user = MemberChoiceField(queryset=None, label="Person", error_messages={"required": "Choose the person."})

    class Meta:
        model = TeamMember
        fields = ["user", "agency", "role_on_team"]
        error_messages = {"agency": {"required": "Choose the agency they represent."}}

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = partnership_members(partnership_id)
        self.fields["agency"].queryset = partnership_agencies(partnership_id)

    def validate_unique(self):  # the service checks and says it in plain English
        pass


class PractitionerEventForm(GovukModelForm):
    class Meta:
        model = PractitionerEvent
        fields = ["date", "agencies", "attendee_count", "attendee_names", "notes"]
        widgets = {"agencies": forms.CheckboxSelectMultiple}
        error_messages = {"date": {"required": "Enter the date of the event."}}

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = partnership_agencies(partnership_id)


class FamilyInvolvementForm(GovukModelForm):
    class Meta:
        model = FamilyInvolvement
        fields = ["family_role", "invited_on", "met_on", "declined_on", "notes"]
        error_messages = {"family_role": {"required": "Enter the family member's role, like “mother”."}}


class InformationRequestForm(GovukModelForm):
    class Meta:
        model = InformationRequest
        fields = ["requested_on", "what", "detail"]
        widgets = {"what": forms.RadioSelect}


class AnswerRequestForm(GovukForm):
    answered_on = forms.DateField(
        label="Date answered",
        widget=DateInput(),
        error_messages={"required": "Enter the date it was answered."},
    )


class DraftForm(GovukForm):
    file = DocumentField(label="Draft report")
    notes = forms.CharField(
        label="What changed in this version", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecommendationForm(GovukModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "agencies", "target_date"]
        widgets = {"agencies": forms.CheckboxSelectMultiple}
        error_messages = {
            "text": {"required": "Enter the recommendation."},
            "target_date": {"required": "Enter the target date."},
        }

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = partnership_agencies(partnership_id)


class ActionForm(GovukModelForm):
    owner_user = MemberChoiceField(queryset=None, required=False, label="Owner (a person)")

    class Meta:
        model = Action
        fields = ["description", "owner_user", "owner_role", "owner_agency", "due_date", "evidence_of_impact"]
        error_messages = {
            "description": {"required": "Describe the action."},
            "due_date": {"required": "Enter the due date."},
        }

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = partnership_members(partnership_id)
        self.fields["owner_agency"].queryset = partnership_agencies(partnership_id)


class ActionStatusForm(GovukModelForm):
    """The action's status, on its page (what it is, its owner and due date are
    changed on the "Change" page)."""

    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        choices=[c for c in Action.Status.choices if c[0] != Action.Status.OVERDUE],
        help_text="“Overdue” is shown automatically when the due date has passed.",
    )

    class Meta:
        model = Action
        fields = ["status", "completed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status == Action.Status.OVERDUE:
            self.initial["status"] = Action.Status.AT_RISK


class ActionUpdateForm(GovukModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["date", "note"]
        error_messages = {"note": {"required": "Describe the progress."}}
