"""Forms of the deadlines app."""

from __future__ import annotations

from django import forms

from cspr.forms import GovukForm


class WaiveDeadlineForm(GovukForm):
    reason = forms.CharField(
        label="Why are you waiving this deadline?",
        help_text="The reason is kept in the audit trail. Do not include the child's name.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the reason for waiving this deadline."},
    )
