"""Forms of the notification pages. They parse input; the rules live in services."""

from django import forms

from cspr.forms import GovukForm, GovukModelForm

from .models import SeriousIncidentNotification


class NotificationForm(GovukModelForm):
    class Meta:
        model = SeriousIncidentNotification
        fields = ["aware_on", "incident_local_authority", "residence_local_authority",
                  "ofsted_required"]
        help_texts = {
            "aware_on": "The 5 working days to notify the National Panel count from the day after.",
            "residence_local_authority": "Leave empty if it is the same as where the incident "
            "happened.",
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
        fields = ["notified_panel_on", "panel_reference", "notified_ofsted_on",
                  "partners_told_on"]
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
        fields = ["aware_on", "notified_panel_on", "panel_reference", "notified_ofsted_on",
                  "partners_told_on"]
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
            for name in ("notified_panel_on", "panel_reference", "notified_ofsted_on",
                         "partners_told_on"):
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
