"""Forms of the messaging app."""

from __future__ import annotations

from cspr.forms import GovukModelForm

from .models import EmailPreference


class EmailPreferenceForm(GovukModelForm):
    class Meta:
        model = EmailPreference
        fields = [
            "early_reminders",
            "late_reminders",
            "due_day_reminders",
            "weekly_digest",
            "rapid_review_news",
        ]
