"""Referrals (the practitioner's form) and cases (the serious child safeguarding
case, with the child's details pseudonymised).

The child's name, date of birth and address live only on the ``Referral`` and are
shown only to the partnership's business team (partner leads and business
managers); everywhere else a case is its reference and the child's initials.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from cspr.models import Agency, Partnership


class Outcome(models.TextChoices):
    DIED = "died", "Died"
    SERIOUSLY_HARMED = "seriously_harmed", "Seriously harmed"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known or not recorded"


class OtherProcess(models.TextChoices):
    """Other processes that may be under way (docs/domain.md)."""

    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    INQUEST = "inquest", "Inquest"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "Domestic homicide review"
    SAFEGUARDING_ADULTS_REVIEW = "safeguarding_adults_review", "Safeguarding adults review"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Referral(models.Model):
    """A practitioner's referral of a possible serious child safeguarding case."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        MORE_INFORMATION_REQUESTED = "more_information_requested", "More information requested"
        ACCEPTED = "accepted", "Accepted as a serious child safeguarding case"
        DECLINED = "declined", "Declined"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)

    # The referrer.
    referrer_name = models.CharField("Your name", max_length=200, blank=True)
    referrer_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Your agency",
    )
    referrer_role = models.CharField("Your role", max_length=200, blank=True)
    referrer_contact = models.CharField("Your phone number or email address", max_length=200, blank=True)

    # The child (personal data: business team only).
    child_name = models.CharField("Child's full name", max_length=200, blank=True)
    child_date_of_birth = models.DateField("Child's date of birth", null=True, blank=True)
    child_unborn = models.BooleanField("The child was unborn", default=False)
    child_address = models.TextField("Child's address", blank=True)
    child_sex = models.CharField("Child's sex", max_length=10, choices=Sex.choices, blank=True)
    child_ethnicity = models.CharField("Child's ethnicity", max_length=100, blank=True)

    # The incident.
    incident_date = models.DateField("Date of the incident", null=True, blank=True)
    incident_description = models.TextField("What happened", blank=True)
    abuse_or_neglect = models.CharField(
        "Is abuse or neglect known or suspected?",
        max_length=10,
        choices=[("known", "Known"), ("suspected", "Suspected"), ("no", "Neither")],
        blank=True,
    )
    outcome = models.CharField(
        "Did the child die or was the child seriously harmed?",
        max_length=20,
        choices=Outcome.choices,
        blank=True,
    )
    why_criteria_met = models.TextField(
        "Why you think this may be a serious child safeguarding case", blank=True
    )
    agencies_involved = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="Agencies involved with the child"
    )
    concerns_about_agencies = models.TextField("Your concerns about how agencies worked together", blank=True)
    childrens_social_care_aware = models.CharField(
        "Does the local authority's children's social care know about this?",
        max_length=10,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    other_processes = models.JSONField(
        "Other processes under way",
        default=list,
        blank=True,
        help_text="Codes from OtherProcess.",
    )

    # Triage by the business manager.
    submitted_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    information_request = models.TextField("Question for the referrer", blank=True)
    information_response = models.TextField("Your answer to the question", blank=True)
    decline_reason = models.TextField("Reason for declining", blank=True)
    recommend_other_learning_review = models.BooleanField("Recommend another learning review", default=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    #: The state machine: to_status -> the statuses it may be reached from.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.DRAFT, Status.MORE_INFORMATION_REQUESTED},
        Status.MORE_INFORMATION_REQUESTED: {Status.SUBMITTED},
        Status.ACCEPTED: {Status.SUBMITTED},
        Status.DECLINED: {Status.SUBMITTED},
    }
    #: Statuses in which the author may change the referral.
    EDITABLE = {Status.DRAFT, Status.MORE_INFORMATION_REQUESTED}

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status"], name="referral_pship_status")]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Referral {self.pk}"

    @property
    def child_initials(self) -> str:
        return initials(self.child_name)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def other_process_labels(self) -> list[str]:
        labels = dict(OtherProcess.choices)
        return [labels.get(code, code) for code in self.other_processes or []]


def initials(name: str) -> str:
    """'Jordan Lee Smith' -> 'J.L.S.'; empty for no name."""
    return "".join(f"{part[0].upper()}." for part in (name or "").split() if part[:1].isalpha())


class Case(models.Model):
    """A serious child safeguarding case. The child is pseudonymised here."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn (did not meet the criteria)"

    class Stage(models.TextChoices):
        """Where the case is in the statutory pipeline (later stages set by their apps)."""

        OPENED = "opened", "Case opened"
        NOTIFICATION = "notification", "Serious incident notification"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        DECISION = "decision", "Decision"
        REVIEW = "review", "Review"
        PUBLICATION = "publication", "Publication"
        CLOSED = "closed", "Closed"

    TRANSITIONS = {
        Status.WITHDRAWN: {Status.OPEN},
        Status.CLOSED: {Status.OPEN},
    }

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=40, unique=True)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.OPENED)
    withdrawn_reason = models.TextField(blank=True)

    child_initials = models.CharField("Child's initials", max_length=12, blank=True)
    child_age_years = models.PositiveSmallIntegerField(
        "Child's age in years", null=True, blank=True, help_text="Leave empty for an unborn child."
    )
    child_unborn = models.BooleanField("The child was unborn", default=False)
    child_sex = models.CharField("Child's sex", max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    child_ethnicity = models.CharField("Child's ethnicity", max_length=100, blank=True)
    child_disability = models.CharField("Child's disability, if any", max_length=200, blank=True)
    outcome = models.CharField(
        "Did the child die or was the child seriously harmed?",
        max_length=20,
        choices=Outcome.choices,
    )
    looked_after = models.BooleanField("Looked-after child", default=False)
    child_protection_plan = models.BooleanField("On a child protection plan", default=False)
    child_in_need = models.BooleanField("A child in need", default=False)
    caused_serious_harm_to_another = models.BooleanField(
        "The child caused serious harm to someone else", default=False
    )
    incident_date = models.DateField("Date of the incident")
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="cases", verbose_name="Agencies involved"
    )

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A case brought in from before this system (an import, a case already under way):
    # while set, its recorded dates may be older than the review regulations
    # (cspr.chronology.check_happened(historic=...)); set with a source and a reason
    # by the business team (cases.services.set_brought_in), audited.
    brought_in = models.BooleanField("Brought in from before this system", default=False)
    brought_in_source = models.CharField("Where it was brought in from", max_length=200, blank=True)
    brought_in_reason = models.TextField("Why its dates may be older", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status"], name="case_pship_status")]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def child_age_label(self) -> str:
        """'Unborn', '1 year', '6 years' or 'Not recorded'."""
        if self.child_unborn:
            return "Unborn"
        if self.child_age_years is None:
            return "Not recorded"
        return f"{self.child_age_years} year{'' if self.child_age_years == 1 else 's'}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign-key grants on one case (panel liaison, reviewers)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class ChronologyEntry(models.Model):
    """One dated entry in the case's chronology of key events, by agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology")
    date = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entry = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.case.reference} {self.date}"
