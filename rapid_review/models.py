"""The rapid review of a notified serious child safeguarding case, and the
partners' decision on what review (if any) to hold.

Nothing here holds the child's name: a rapid review is its case reference. The
people named (attendees, sign-off, action owners) are staff, never the family.

State machine (``mark_as_*`` methods; the services call them):

    open -> meeting held -> decided -> submitted to the Panel -> Panel responded
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case, OtherProcess
from cspr.formats import long_date
from cspr.models import Agency, Partnership
from cspr.statemachine import require_transition


class RapidReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MEETING_HELD = "meeting_held", "Meeting held"
        DECIDED = "decided", "Decided"
        SUBMITTED = "submitted", "Sent to the Panel"
        PANEL_RESPONDED = "panel_responded", "Panel responded"

    class Decision(models.TextChoices):
        """The three outcomes open to the partners (a national review is the Panel's
        call alone: the partners may only say they think one would fit better)."""

        LOCAL_CSPR = "local_cspr", "Hold a local child safeguarding practice review"
        OTHER_LEARNING_REVIEW = "other_learning_review", "Hold another learning review"
        NO_FURTHER_REVIEW = "no_further_review", "No further review"

    class PanelResponse(models.TextChoices):
        AGREES = "agrees", "The Panel agrees with the decision"
        NATIONAL_REVIEW = "national_review", "The Panel will hold a national review"
        MORE_INFORMATION = "more_information", "The Panel asks for more information"

    #: to-status -> statuses it may be reached from (cspr.statemachine).
    TRANSITIONS = {
        Status.MEETING_HELD: {Status.OPEN},
        Status.DECIDED: {Status.MEETING_HELD, Status.DECIDED},
        Status.SUBMITTED: {Status.DECIDED},
        Status.PANEL_RESPONDED: {Status.SUBMITTED},
    }

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="rapid_review")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    anchor = models.CharField(
        "The 15 working days count from",
        max_length=20,
        choices=Partnership.RapidReviewAnchor.choices,
    )
    anchor_date = models.DateField("Date the 15 working days count from")

    # What the rapid review records.
    household_composition = models.TextField(
        "Household and family composition",
        blank=True,
        help_text="Roles only (for example mother, mother's partner, two siblings aged 3 and 6): no names.",
    )
    chronology_summary = models.TextField("Short chronology of key events", blank=True)
    key_practice_episodes = models.TextField("Analysis of key practice episodes", blank=True)
    family_context = models.TextField(
        "Family context",
        blank=True,
        help_text="Including how race, inequality and protected characteristics shaped the "
        "family's experience and the practice.",
    )
    good_practice = models.TextField("Good practice found so far", blank=True)
    learning_identified = models.TextField("Areas of learning found so far", blank=True)
    other_processes = models.JSONField(
        "Other processes under way",
        default=list,
        blank=True,
        help_text="Codes from cases.models.OtherProcess.",
    )
    other_processes_detail = models.TextField("More about other processes", blank=True)

    # The criteria of the CSPR Regulations 2018, reg 11, and the "have regard to" factors.
    criterion_improvements_needed = models.BooleanField(
        "(a) The case highlights improvements needed, including ones identified before",
        default=False,
    )
    criterion_recurring_themes = models.BooleanField(
        "(b) The case highlights recurring themes in safeguarding children", default=False
    )
    criterion_agencies_working_together = models.BooleanField(
        "(c) The case highlights concerns about two or more agencies working together",
        default=False,
    )
    criterion_panel_thought_local = models.BooleanField(
        "(d) The Panel considered the case and thought it better reviewed locally",
        default=False,
    )
    regard_single_agency = models.BooleanField("Concerns about a single agency", default=False)
    regard_no_agency_involvement = models.BooleanField(
        "No agency involvement, where that itself is a concern", default=False
    )
    regard_several_areas = models.BooleanField(
        "More than one local authority, police area or integrated care board involved",
        default=False,
    )
    regard_institutional_setting = models.BooleanField("An institutional or custodial setting", default=False)
    criteria_notes = models.TextField("How the partners weighed the criteria", blank=True)

    # The decision.
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField("Reasons for the decision", blank=True)
    national_review_may_be_appropriate = models.BooleanField(
        "The partners think a national review may be more appropriate", default=False
    )
    national_review_reasons = models.TextField(
        "Why the partners think a national review may be more appropriate", blank=True
    )
    criteria_departure_reasons = models.TextField(
        "Why the partners decided against the criteria recorded",
        blank=True,
        help_text="Needed for a local review when none of criteria (a) to (d) is met, or for "
        "no further review when one is.",
    )
    decision_pending = models.BooleanField("The decision is still pending", default=False)
    decision_expected_on = models.DateField("Date the decision is expected", null=True, blank=True)
    decided_on = models.DateField("Date of the decision", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_shared_with = models.TextField(
        "Who the decision and its reasons were shared with",
        blank=True,
        help_text="For example the relevant partners and the family (Kirklees procedure).",
    )
    decision_shared_on = models.DateField("Date the decision was shared", null=True, blank=True)

    # Sign-off by the three safeguarding partners (staff names and roles).
    sign_off_local_authority = models.CharField(
        "Signed off for the local authority (name and role)", max_length=200, blank=True
    )
    sign_off_police = models.CharField(
        "Signed off for the police (name and role)", max_length=200, blank=True
    )
    sign_off_icb = models.CharField(
        "Signed off for the integrated care board (name and role)", max_length=200, blank=True
    )

    # Submission and the Panel's response (a service figure, not a statutory clock).
    submitted_on = models.DateField("Date sent to the Panel", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_response = models.CharField(max_length=30, choices=PanelResponse.choices, blank=True)
    panel_responded_on = models.DateField("Date of the Panel's response", null=True, blank=True)
    panel_response_text = models.TextField("What the Panel said", blank=True)
    panel_response_working_days = models.PositiveSmallIntegerField(
        "Working days the Panel took", null=True, blank=True
    )

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    #: Fields the analysis, criteria and sign-off forms edit (until submission).
    ANALYSIS_FIELDS = [
        "household_composition",
        "chronology_summary",
        "key_practice_episodes",
        "family_context",
        "good_practice",
        "learning_identified",
        "other_processes",
        "other_processes_detail",
    ]
    CRITERIA_FIELDS = [
        "criterion_improvements_needed",
        "criterion_recurring_themes",
        "criterion_agencies_working_together",
        "criterion_panel_thought_local",
        "regard_single_agency",
        "regard_no_agency_involvement",
        "regard_several_areas",
        "regard_institutional_setting",
        "criteria_notes",
    ]
    SIGN_OFF_FIELDS = ["sign_off_local_authority", "sign_off_police", "sign_off_icb"]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="rapid_review_status")]

    def __str__(self) -> str:
        return f"Rapid review {self.case.reference}"

    @property
    def partnership(self) -> Partnership:
        return self.case.partnership

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} rapid review"

    @property
    def is_submitted(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.PANEL_RESPONDED)

    @property
    def decision_may_be_recorded(self) -> bool:
        """Whether the partners' decision may be recorded now: once the meeting is held
        and until the review is sent to the Panel; after that only to complete a
        decision that was pending (``services.record_decision`` enforces the same)."""
        if self.decision_outstanding:
            return True
        return self.status != self.Status.OPEN and not self.is_submitted

    @property
    def decision_outstanding(self) -> bool:
        """Pending, or recorded before the three outcomes were the only choices (a
        referral to the Panel, kept as the partners' statement alone): the partners'
        decision may still be completed after the review was sent."""
        return self.decision_pending or (
            self.status not in (self.Status.OPEN, self.Status.MEETING_HELD) and not self.decision
        )

    def criteria_departure(self, decision: str | None = None) -> str:
        """How ``decision`` (the recorded one by default) goes against the criteria
        recorded, in words ("" when it does not): a local review with none of reg 11
        (a) to (d) met, or no further review with one met."""
        decision = self.decision if decision is None else decision
        met = bool(self.criteria_met())
        if decision == self.Decision.LOCAL_CSPR and not met:
            return (
                "None of criteria (a) to (d) is recorded as met, but the partners decided on a local review"
            )
        if decision == self.Decision.NO_FURTHER_REVIEW and met:
            return "Criteria are recorded as met, but the partners decided on no further review"
        return ""

    def other_process_labels(self) -> list[str]:
        labels = dict(OtherProcess.choices)
        return [labels.get(code, code) for code in self.other_processes or []]

    def criteria_met(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CRITERIA_FIELDS[:4]
            if getattr(self, name)
        ]

    def regard_factors(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CRITERIA_FIELDS[4:8]
            if getattr(self, name)
        ]

    # -- state machine ----------------------------------------------------------------

    def _move(self, to: str, message: str) -> str:
        old = require_transition(self, to=to, allowed=self.TRANSITIONS, message=message)
        self.status = to
        return old

    def mark_as_meeting_held(self) -> str:
        message = (
            "The rapid review meeting is already recorded as held."
            if self.status != self.Status.OPEN
            else None
        )
        return self._move(self.Status.MEETING_HELD, message or "")

    def mark_as_decided(self) -> str:
        if self.status == self.Status.OPEN:
            message = "Record the rapid review meeting as held before recording the decision."
        else:
            message = self.submitted_message()
        return self._move(self.Status.DECIDED, message)

    def mark_as_submitted(self) -> str:
        if self.is_submitted:
            message = f"This rapid review was already sent to the Panel on {long_date(self.submitted_on)}."
        else:
            message = (
                "Record the decision (or that it is pending) before sending the rapid review to the Panel."
            )
        return self._move(self.Status.SUBMITTED, message)

    def mark_as_panel_responded(self) -> str:
        if self.status == self.Status.PANEL_RESPONDED:
            message = f"The Panel's response of {long_date(self.panel_responded_on)} is already recorded."
        else:
            message = "Send the rapid review to the Panel before recording its response."
        return self._move(self.Status.PANEL_RESPONDED, message)

    def submitted_message(self) -> str:
        return (
            f"This rapid review was sent to the Panel on {long_date(self.submitted_on)} "
            "and can no longer be changed."
        )


class RapidReviewMeeting(models.Model):
    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("Date of the meeting")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return long_date(self.date)


class Attendee(models.Model):
    """A member of staff at a rapid review meeting (never a family member)."""

    meeting = models.ForeignKey(RapidReviewMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("Name", max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    role = models.CharField("Role", max_length=200)

    class Meta:
        ordering = ["meeting__date", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class AgencyReturn(models.Model):
    """One agency's information return: what it knew of the child and family."""

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="agency_returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("Date requested")
    received_on = models.DateField("Date received", null=True, blank=True)
    summary = models.TextField("Summary of the agency's involvement", blank=True)

    class Meta:
        ordering = ["agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency} return"


class SafetyAction(models.Model):
    """An immediate action to safeguard this or other children."""

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="safety_actions")
    action = models.TextField("Action")
    owner = models.CharField(
        "Owner", max_length=200, help_text="The person or agency responsible (staff, not family)."
    )
    due_on = models.DateField("Due by", null=True, blank=True)
    done_on = models.DateField("Done on", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action[:50]
