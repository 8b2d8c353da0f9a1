"""The commissioned review (local CSPR, other learning review, national review
liaison, legacy serious case review), its team, events, family involvement,
reg 14 requests, drafts, and the recommendations and action plan.

Family members are recorded by their ROLE ("mother", "step-father"), never by
name: nothing here may identify the child's family in anything published.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from cases.models import Case
from cspr.formats import long_date
from cspr.models import Agency, Partnership
from cspr.statemachine import require_transition
from cspr.uploads import document_upload_to


class Review(models.Model):
    class Kind(models.TextChoices):
        LOCAL_CSPR = "local_cspr", "Local child safeguarding practice review"
        OTHER_LEARNING = "other_learning", "Other learning review"
        NATIONAL = "national", "National review (commissioned by the Panel)"
        LEGACY_SCR = "legacy_scr", "Serious case review (2015 guidance)"

    class Method(models.TextChoices):
        MULTI_AGENCY_CASE_REVIEW = "multi_agency_case_review", "Multi-agency case review"
        PARTNERSHIP_REVIEW = "partnership_review", "Partnership review"
        APPRECIATIVE_INQUIRY = "appreciative_inquiry", "Appreciative inquiry"
        LEARNING_EVENT = "learning_event", "Learning event"

    class Status(models.TextChoices):
        COMMISSIONED = "commissioned", "Commissioned"
        IN_PROGRESS = "in_progress", "In progress"
        FINAL_REPORT_RECEIVED = "final_report_received", "Final report received"
        COMPLETED = "completed", "Completed"

    TRANSITIONS = {
        Status.IN_PROGRESS: {Status.COMMISSIONED},
        Status.FINAL_REPORT_RECEIVED: {Status.COMMISSIONED, Status.IN_PROGRESS},
        Status.COMPLETED: {Status.FINAL_REPORT_RECEIVED},
    }

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    method = models.CharField(
        "Method of the learning review", max_length=30, choices=Method.choices, blank=True
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.COMMISSIONED)
    decided_on = models.DateField("Date of the decision to hold the review")
    #: The day the partners commissioned it (on or after the decision, on or before
    #: the final report): the day the ``commission_review`` clock is met.
    commissioned_on = models.DateField("Date the review was commissioned")

    # Terms of reference.
    scope = models.TextField("Scope", blank=True)
    period_from = models.DateField("Period under review: from", null=True, blank=True)
    period_to = models.DateField("Period under review: to", null=True, blank=True)
    key_lines_of_enquiry = models.TextField("Key lines of enquiry", blank=True)
    methodology = models.TextField("Methodology", blank=True)

    findings = models.TextField("Findings", blank=True)

    started_on = models.DateField(null=True, blank=True)
    final_report_received_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    # National reviews: the partners contribute to the Panel's review.
    panel_decision_on = models.DateField("Date of the Panel's decision", null=True, blank=True)
    panel_decision = models.TextField("The Panel's decision", blank=True)
    panel_liaison_contact = models.CharField("Panel liaison contact", max_length=200, blank=True)
    local_contribution = models.TextField("The partnership's contribution", blank=True)
    national_report_published_on = models.DateField(
        "Date the national report was published", null=True, blank=True
    )
    national_report_url = models.URLField("Link to the national report", blank=True)

    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        permissions = [
            ("manage_review", "Manage the review (terms of reference, team, events, drafts)"),
            ("manage_recommendations", "Manage the review's recommendations and actions"),
        ]
        indexes = [models.Index(fields=["partnership", "status"], name="review_pship_status")]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} review {self.pk}"

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.OTHER_LEARNING and self.method:
            return f"{self.get_kind_display()}: {self.get_method_display().lower()}"
        return self.get_kind_display()

    def clean(self) -> None:
        if self.kind == self.Kind.OTHER_LEARNING and not self.method:
            raise ValidationError({"method": "Choose the method of the learning review."})
        if self.kind != self.Kind.OTHER_LEARNING and self.method:
            raise ValidationError({"method": "Only another learning review has a method."})
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValidationError(
                {"period_to": "The end of the period under review must be after its start."}
            )

    def require_transition(self, to: str) -> str:
        return require_transition(self, to=to, allowed=self.TRANSITIONS)


class ReviewUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign-key grants on one review (lead reviewers,
    review team members)."""

    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class LeadReviewer(models.Model):
    """A lead reviewer: a user of the service, or an external name. The published
    report carries these names."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lead_reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="User account",
    )
    name = models.CharField(
        "Name",
        max_length=200,
        blank=True,
        help_text="For a reviewer without an account. Leave empty to use the account's name.",
    )
    organisation = models.CharField("Organisation", max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return ""


class TeamMember(models.Model):
    """A member of the review team, for an agency. Granted access to view the review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Person",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role_on_team = models.CharField("Role on the team", max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.agency})"


class PractitionerEvent(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    date = models.DateField("Date of the event")
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="Agencies taking part"
    )
    attendee_count = models.PositiveSmallIntegerField("Number of attendees", null=True, blank=True)
    attendee_names = models.TextField(
        "Staff who attended",
        blank=True,
        help_text="Practitioners' names, one a line. Never family members.",
    )
    notes = models.TextField("Notes", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"Practitioner event {long_date(self.date)}"


class FamilyInvolvement(models.Model):
    """The family's involvement, by role: never by name."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_involvement")
    family_role = models.CharField(
        "Family member's role",
        max_length=100,
        help_text="Their relationship to the child, like “mother” or “grandfather”. Never a name.",
    )
    invited_on = models.DateField("Date invited", null=True, blank=True)
    met_on = models.DateField("Date met", null=True, blank=True)
    declined_on = models.DateField("Date declined", null=True, blank=True)
    notes = models.TextField("Notes", blank=True, help_text="Do not write names.")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "family involvement"

    def __str__(self) -> str:
        return self.family_role


class InformationRequest(models.Model):
    """A written request to the reviewer for information or a draft (CSPR Regulations
    2018, reg 14)."""

    class What(models.TextChoices):
        INFORMATION = "information", "Information"
        DRAFT = "draft", "A draft of the report"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="information_requests")
    requested_on = models.DateField("Date of the request")
    what = models.CharField("What was asked for", max_length=20, choices=What.choices)
    detail = models.TextField("Details of the request", blank=True)
    answered_on = models.DateField("Date answered", null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"Request of {long_date(self.requested_on)}"


class DraftVersion(models.Model):
    """One uploaded version of the draft report."""

    UPLOAD_FOLDER = "drafts"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="drafts")
    version = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    size = models.PositiveIntegerField(default=0)
    notes = models.TextField("What changed in this version", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="draft_version_unique")]

    def __str__(self) -> str:
        return f"Draft version {self.version}"

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper()


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("Recommendation")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name="Agencies it is for")
    target_date = models.DateField("Target date")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    @property
    def audit_label(self) -> str:
        return f"{self.review.case.reference} recommendation {self.number}"

    @property
    def partnership(self):
        return self.review.partnership


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OVERDUE = "overdue", "Overdue"
        COMPLETE = "complete", "Complete"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("Action")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Owner (a person)",
    )
    owner_role = models.CharField(
        "Owner (a named role)",
        max_length=200,
        blank=True,
        help_text="For example “Head of safeguarding”, when no one person owns it.",
    )
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Owning agency",
    )
    due_date = models.DateField("Due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence_of_impact = models.TextField(
        "How will we know it has made a difference?",
        blank=True,
        help_text="The evidence of impact you will look for.",
    )
    completed_on = models.DateField("Date completed", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Action {self.pk}"

    @property
    def current_status(self) -> str:
        """The status, with "overdue" derived when the due date has passed."""
        if self.status != self.Status.COMPLETE and self.due_date < timezone.localdate():
            return self.Status.OVERDUE
        return self.status

    def get_current_status_display(self) -> str:
        return self.Status(self.current_status).label

    @property
    def owner_display(self) -> str:
        parts = []
        if self.owner_user_id:
            parts.append(self.owner_user.get_full_name() or self.owner_user.username)
        if self.owner_role:
            parts.append(self.owner_role)
        if self.owner_agency_id:
            parts.append(self.owner_agency.name)
        return ", ".join(parts)


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField("Date")
    note = models.TextField("Progress")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Progress on {self.date:%d %b %Y}"
