"""Forms of the yearly report pages. They parse input; the rules live in services."""

from django import forms

from cspr.forms import GovukForm
from cspr.models import Partnership
from cspr.uploads import DocumentField


class YearlyReportForm(GovukForm):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), required=False)
    period_start = forms.DateField(label="First day of the period the report covers", required=False)
    period_end = forms.DateField(label="Last day of the period the report covers", required=False)
    published_on = forms.DateField(label="Date the report was published", required=False)
    url = forms.URLField(
        label="Link to the published report",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Give a link, upload the report, or both.",
    )
    file = DocumentField(label="The published report", required=False)

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period_start", "period_end", "published_on"):
            self.fields[name].required_to_submit = True
        if len(partnerships) > 1:
            self.fields["partnership"].queryset = Partnership.objects.filter(
                pk__in=[p.pk for p in partnerships]
            )
            self.fields["partnership"].required = True
        else:
            del self.fields["partnership"]


class CopiesSentForm(GovukForm):
    copies_sent_on = forms.DateField(
        label="Date the report was sent to the Panel and the Department for Education",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copies_sent_on"].required_to_submit = True
