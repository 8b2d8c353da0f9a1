"""Forms of the notification pages. They parse input; the rules live in services."""

from django import forms

from cspr.forms import GovukForm, GovukModelForm
from cspr.models import Partnership

from .models import SeriousIncidentNotification


class NotificationForm(GovukModelForm):
    class Meta:
        model = SeriousIncidentNotification
        fields = ["aware_on", "incident_local_authority", "residence_local_authority", "ofsted_required"]
        help_texts = {
            "aware_on": "The 5 working days to notify the National Panel count from the day after.",
            "residence_local_authority": "Leave empty if it is the same as where the incident happened.",
            "ofsted_required": "The child was looked after, or in a setting Ofsted inspects.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aware_on"].required = False  # the service gives the message
        self.fields["aware_on"].required_to_submit = True
        self.fields["incident_local_authority"].required_to_submit = True

    def _post_clean(self):
        pass


class PanelNotificationForm(GovukModelForm):
    class Meta:
        model = SeriousIncidentNotification
        fields = ["notified_panel_on", "panel_reference", "notified_ofsted_on", "partners_told_on"]
        help_texts = {"panel_reference": "The reference the notification service gave you."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_panel_on"].required_to_submit = True
        self.fields["panel_reference"].required_to_submit = True
        if self.instance.ofsted_required:
            self.fields["notified_ofsted_on"].required_to_submit = True
        else:
            del self.fields["notified_ofsted_on"]

    def _post_clean(self):
        pass


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the notification withdrawn?",
        help_text="For example, the case turned out not to meet the criteria. "
        "The case is withdrawn and its open deadlines are waived with this reason.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CorrectNotificationForm(GovukModelForm):
    """The recorded dates, to correct. Shows the Panel's fields only once the
    notification to the Panel is recorded."""

    reason = forms.CharField(
        label="Why are the dates corrected?",
        help_text="For example, the date of awareness was typed wrongly. The reason is kept "
        "in the audit trail with the old and new dates.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service gives the message
    )

    class Meta:
        model = SeriousIncidentNotification
        fields = [
            "aware_on",
            "notified_panel_on",
            "panel_reference",
            "notified_ofsted_on",
            "partners_told_on",
        ]
        help_texts = {
            "aware_on": "The 5 working days to notify the National Panel count from the day after.",
            "panel_reference": "The reference the notification service gave you.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        notification = self.instance
        self.fields["aware_on"].required = False  # the service gives the message
        self.fields["aware_on"].required_to_submit = True
        self.fields["reason"].required_to_submit = True
        if notification.status != SeriousIncidentNotification.Status.NOTIFIED:
            for name in ("notified_panel_on", "panel_reference", "notified_ofsted_on", "partners_told_on"):
                del self.fields[name]
            return
        self.fields["notified_panel_on"].required_to_submit = True
        self.fields["panel_reference"].required_to_submit = True
        if notification.ofsted_required:
            self.fields["notified_ofsted_on"].required_to_submit = True
        elif not notification.notified_ofsted_on:
            del self.fields["notified_ofsted_on"]

    def _post_clean(self):
        pass


def _date(label: str, help_text: str = "", *, required_to_submit: bool = True):
    field = forms.DateField(label=label, help_text=help_text, required=False)
    field.required_to_submit = required_to_submit
    return field


class CareLeaverDeathForm(GovukForm):
    """The death of a care leaver aged 18 to 24. Empty or out-of-range answers reach the
    service, which gives the messages (the same as the API's)."""

    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(), label="Partnership", required=False
    )
    pseudonym = forms.CharField(
        label="The young person's pseudonym or initials",
        max_length=60,
        required=False,
        help_text="Never their name.",
    )
    age = forms.IntegerField(
        label="Age at death (years)", required=False, help_text="A care leaver aged 18 to 24."
    )
    died_on = _date("Date of death")
    aware_on = _date(
        "Date the local authority became aware",
        "The 5 working days to notify the Secretary of State and Ofsted count from the day after.",
    )
    notified_on = _date(
        "Date the Secretary of State and Ofsted were notified",
        "Only if already notified, through the DfE online notification service.",
        required_to_submit=False,
    )
    notification_reference = forms.CharField(
        label="Notification reference",
        max_length=60,
        required=False,
        help_text="The reference the DfE online notification service gave you.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("pseudonym", "age"):
            self.fields[name].required_to_submit = True
        if len(partnerships) > 1:
            self.fields["partnership"].queryset = Partnership.objects.filter(
                pk__in=[p.pk for p in partnerships]
            )
            self.fields["partnership"].required = True
        else:
            del self.fields["partnership"]


class CareLeaverDeathNotifiedForm(GovukForm):
    notified_on = _date(
        "Date the Secretary of State and Ofsted were notified",
        "Through the DfE online notification service.",
    )
    notification_reference = forms.CharField(
        label="Notification reference",
        max_length=60,
        required=False,
        help_text="The reference the DfE online notification service gave you.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notification_reference"].required_to_submit = True


class FiguresForm(GovukForm):
    """Which partnership, financial year and unit the figures are for (a GET form)."""

    partnership = forms.ModelChoiceField(label="Partnership", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label="Financial year (April to March)", coerce=int, choices=())
    unit = forms.ChoiceField(label="Count", choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, partnerships, years, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["year"].choices = years
        self.fields["unit"].choices = units
