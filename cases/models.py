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

from .codes import (
    ADULT_AGE_MONTHS,
    MAX_CHILDREN,
    Ethnicity,
    Gender,
    Nature,
    PlacementType,
    YesNoNotKnown,
    age_group,
    age_label,
)


class OtherProcess(models.TextChoices):
    """Other processes that may be under way (docs/domain.md)."""

    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    INQUEST = "inquest", "Inquest"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "Domestic homicide review"
    SAFEGUARDING_ADULTS_REVIEW = "safeguarding_adults_review", "Safeguarding adults review"


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

    # The children (personal data: business team only) are ``ReferralChild`` rows.

    # The incident.
    incident_date = models.DateField("Date of the incident", null=True, blank=True)
    incident_description = models.TextField("What happened", blank=True)
    abuse_or_neglect = models.CharField(
        "Is abuse or neglect known or suspected?",
        max_length=10,
        choices=[("known", "Known"), ("suspected", "Suspected"), ("no", "Neither")],
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
        choices=YesNoNotKnown.choices,
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
    def children_initials(self) -> str:
        """'J.S., A.B.': the children's initials (uses a prefetched ``children``)."""
        return ", ".join(filter(None, (child.initials for child in self.children.all())))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def other_process_labels(self) -> list[str]:
        labels = dict(OtherProcess.choices)
        return [labels.get(code, code) for code in self.other_processes or []]


class ReferralChild(models.Model):
    """One child named on a referral (1 to 4): the child's identity, personal data
    shown only to the partnership's business team (and the author while they edit)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    ordinal = models.PositiveSmallIntegerField("Child number")
    name = models.CharField("Full name", max_length=200, blank=True)
    date_of_birth = models.DateField("Date of birth", null=True, blank=True)
    unborn = models.BooleanField("The child was unborn", default=False)
    address = models.TextField("Address", blank=True)
    gender = models.CharField("Gender", max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField("Ethnicity", max_length=20, choices=Ethnicity.choices, blank=True)
    nature = models.CharField(
        "Did the child die or was the child seriously harmed?",
        max_length=20,
        choices=Nature.choices,
        blank=True,
    )

    class Meta:
        ordering = ["referral_id", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "ordinal"], name="referralchild_one_per_ordinal"),
            models.CheckConstraint(
                condition=models.Q(ordinal__gte=1, ordinal__lte=MAX_CHILDREN),
                name="referralchild_ordinal_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} child {self.ordinal}"

    @property
    def initials(self) -> str:
        return initials(self.name)


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
    def children_initials(self) -> str:
        """'J.S., A.B.': the children's initials (uses a prefetched ``children``)."""
        return ", ".join(child.initials or f"Child {child.ordinal}" for child in self.children.all())

    def has_child(self, **filters) -> bool:
        """Whether one of the case's children matches ``filters`` (one query)."""
        return self.children.filter(**filters).exists()

    @property
    def any_child_looked_after(self) -> bool:
        return self.has_child(looked_after=YesNoNotKnown.YES)

    @property
    def any_child_died(self) -> bool:
        return self.has_child(nature=Nature.DIED)

    @property
    def looked_after_child_died(self) -> bool:
        """A looked-after child of the case died (Ofsted and the Secretary of State
        are told: WT2023 ch5)."""
        return self.has_child(looked_after=YesNoNotKnown.YES, nature=Nature.DIED)


class CaseChild(models.Model):
    """One child of a case (the incident), pseudonymised: 1 to 4 per case, each
    under 18 at the incident (unborn allowed), with the characteristics the DfE's
    serious incident notification statistics count, coded as they code them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    ordinal = models.PositiveSmallIntegerField("Child number")
    initials = models.CharField("Initials", max_length=12, blank=True)
    unborn = models.BooleanField("The child was unborn", default=False)
    age_months = models.PositiveSmallIntegerField(
        "Age at the incident, in months",
        null=True,
        blank=True,
        help_text="Empty for an unborn child or when the age is not known.",
    )
    gender = models.CharField("Gender", max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(
        "Ethnicity", max_length=20, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    ethnicity_detail = models.CharField(
        "Ethnicity as recorded",
        max_length=100,
        blank=True,
        help_text="Optional: the child's ethnicity in the words of the records.",
    )
    disability = models.CharField(
        "Disability", max_length=20, choices=YesNoNotKnown.choices, default=YesNoNotKnown.NOT_KNOWN
    )
    disability_kind = models.CharField("Kind of disability", max_length=200, blank=True)
    nature = models.CharField("Died, seriously harmed or other", max_length=20, choices=Nature.choices)
    looked_after = models.CharField(
        "Looked-after child", max_length=20, choices=YesNoNotKnown.choices, default=YesNoNotKnown.NOT_KNOWN
    )
    placement_type = models.CharField(
        "Placement type", max_length=30, choices=PlacementType.choices, blank=True
    )
    child_protection_plan = models.CharField(
        "On a child protection plan",
        max_length=20,
        choices=YesNoNotKnown.choices,
        default=YesNoNotKnown.NOT_KNOWN,
    )
    child_in_need = models.CharField(
        "A child in need", max_length=20, choices=YesNoNotKnown.choices, default=YesNoNotKnown.NOT_KNOWN
    )
    known_to_agencies = models.CharField(
        "Known to any agency",
        max_length=20,
        choices=YesNoNotKnown.choices,
        default=YesNoNotKnown.NOT_KNOWN,
    )
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="Agencies that knew the child"
    )
    caused_serious_harm_to_another = models.BooleanField(
        "The child caused serious harm to someone else", default=False
    )

    class Meta:
        ordering = ["case_id", "ordinal"]
        verbose_name_plural = "case children"
        constraints = [
            models.UniqueConstraint(fields=["case", "ordinal"], name="casechild_one_per_ordinal"),
            models.CheckConstraint(
                condition=models.Q(ordinal__gte=1, ordinal__lte=MAX_CHILDREN),
                name="casechild_ordinal_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(age_months__isnull=True) | models.Q(age_months__lt=ADULT_AGE_MONTHS),
                name="casechild_under_18",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} child {self.ordinal}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} child {self.ordinal}"

    @property
    def age_label(self) -> str:
        return age_label(unborn=self.unborn, age_months=self.age_months)

    @property
    def age_group(self) -> str:
        return age_group(unborn=self.unborn, age_months=self.age_months)

    def get_age_group_display(self) -> str:
        return self.age_group.label

    def agency_pks(self) -> list[int]:
        """The ids of the agencies that knew the child (annotated by
        ``selectors.children_with_agencies``, else read)."""
        if hasattr(self, "agency_id_list"):
            return list(self.agency_id_list or [])
        return list(self.agencies.order_by("name").values_list("pk", flat=True))

    def agency_names(self) -> list[str]:
        if hasattr(self, "agency_name_list"):
            return list(self.agency_name_list or [])
        return list(self.agencies.order_by("name").values_list("name", flat=True))

    @property
    def label(self) -> str:
        """'Child 2 (A.B.)' or 'Child 2'."""
        return f"Child {self.ordinal}" + (f" ({self.initials})" if self.initials else "")


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
