from django import forms

from cspr.forms import GovukFormMixin

from .models import LegalHold


class LegalHoldForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case held?",
        choices=LegalHold.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is held"},
    )
    detail = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What the hold is for and who asked for it (for example the police force "
        "and their reference, or the coroner). No names of the child or family.",
        error_messages={"required": "Enter the details of the hold"},
    )


class LiftHoldForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the hold lifted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter why the hold is lifted"},
    )
