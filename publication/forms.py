from __future__ import annotations

from django import forms

from cspr.forms import DateInput, GovukForm, GovukModelForm
from cspr.models import LearningTheme
from cspr.uploads import DocumentField

from .models import Briefing, Publication


def _themes_field():
    return forms.ModelMultipleChoiceField(
        queryset=LearningTheme.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Learning themes",
    )


class ScopeReasonMixin:
    """Say which field is missing, rather than the database constraint's name."""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("scope") == Publication.Scope.IMPROVEMENTS_ONLY
            and not (cleaned.get("scope_reason") or "").strip()
        ):
            self.add_error("scope_reason", "Enter why the full report will not be published.")
        return cleaned


class FinalReportForm(ScopeReasonMixin, GovukModelForm):
    file = DocumentField(label="The final report (or the information about improvements)")
    received_on = forms.DateField(
        label="Date the final report was received",
        widget=DateInput(),
        required=False,
        help_text="Leave empty for today. This completes the review's clock.",
    )
    themes = _themes_field()

    class Meta:
        model = Publication
        fields = [
            "title",
            "reviewer_names",
            "child_pseudonym",
            "summary_of_improvements",
            "systemic_analysis",
            "scope",
            "scope_reason",
            "legacy_scr",
        ]
        widgets = {"scope": forms.RadioSelect}

    #: Say what to enter, not "This field is required".
    REQUIRED_MESSAGES = {
        "title": "Enter the title of the report.",
        "summary_of_improvements": "Enter the summary of the improvements recommended.",
        "file": "Choose the final report file (PDF, DOCX or ODT).",
        "scope": "Choose whether to publish the full report or only the information about improvements.",
        "systemic_analysis": "Enter the analysis of the systemic reasons.",
        "child_pseudonym": "Enter the name the report gives the child, like Child C.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        self.fields["reviewer_names"].required = False
        self.fields[
            "reviewer_names"
        ].help_text = "Leave empty to use the review's lead reviewers. The published report names them."

    def validate_unique(self):
        pass


class PublicationEditForm(ScopeReasonMixin, GovukModelForm):
    file = DocumentField(label="Replace the file", required=False)
    themes = _themes_field()

    class Meta:
        model = Publication
        fields = [
            "title",
            "reviewer_names",
            "child_pseudonym",
            "summary_of_improvements",
            "systemic_analysis",
            "scope",
            "scope_reason",
            "legacy_scr",
        ]
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.values_list("pk", flat=True))


class PlanForm(GovukForm):
    planned_publication_date = forms.DateField(
        label="Planned publication date",
        widget=DateInput(),
        error_messages={"required": "Enter the planned publication date."},
    )


class CopiesForm(GovukForm):
    copy_to_panel_on = forms.DateField(
        label="Date the copy was sent to the National Panel", widget=DateInput(), required=False
    )
    copy_to_secretary_of_state_on = forms.DateField(
        label="Date the copy was sent to the Secretary of State", widget=DateInput(), required=False
    )
    copy_to_ofsted_on = forms.DateField(
        label="Date the copy was sent to Ofsted", widget=DateInput(), required=False
    )


class PublishForm(GovukForm):
    published_on = forms.DateField(
        label="Publication date",
        widget=DateInput(),
        error_messages={"required": "Enter the publication date."},
    )
    override_reason = forms.CharField(
        label="Reason for publishing early (partner lead only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed to publish sooner than the rule allows after the copies were sent.",
    )
    backdating_reason = forms.CharField(
        label="Why it is recorded more than 5 working days after it was published (partner lead only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed when the report was published more than 5 working days before today.",
    )


class TakeDownForm(GovukForm):
    reason = forms.CharField(
        label="Why is the report being taken down?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example a court order. This is recorded in the audit trail.",
        error_messages={"required": "Enter the reason for taking the report down."},
    )
    taken_down_on = forms.DateField(
        label="Date taken down", widget=DateInput(), required=False, help_text="Leave empty for today."
    )


class BriefingForm(GovukModelForm):
    themes = _themes_field()

    class Meta:
        model = Briefing
        fields = [
            "title",
            "background",
            "what_happened",
            "key_learning",
            "what_should_change",
            "question_1",
            "question_2",
            "question_3",
            "publish_with_report",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["background", "what_happened", "key_learning", "what_should_change"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.values_list("pk", flat=True))


class LibrarySearchForm(GovukForm):
    """Search and filters of published reviews and briefings: the learning library's
    and the public page's (a GET form, no JavaScript)."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    theme = forms.ChoiceField(
        label="Theme", required=False, error_messages={"invalid_choice": "Choose a theme from the list"}
    )
    year = forms.TypedChoiceField(
        label="Year published",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a year from the list"},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme")] + list(
            LearningTheme.objects.values_list("slug", "name")
        )
        self.fields["year"].choices = [("", "Any year")] + [(y, str(y)) for y in years]
