"""Information governance: the partnership's retention schedule, legal holds on a
case, the record of what was disposed of, and the privacy notice's own words.

A disposal record names the kind of record, its id, the rule and the date, never
anything about the child or family.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case
from cspr.models import Partnership


class RecordKind(models.TextChoices):
    """The kinds of record the retention schedule covers (docs/retention.md)."""

    DECLINED_REFERRAL = "declined_referral", "Declined referrals"
    REFERRAL_IDENTITY = "referral_identity", "The child's identity on a referral, once the case is closed"
    DRAFT_REPORT = "draft_report", "Uploaded drafts, once the final report is published"
    CLOSED_CASE = "closed_case", "Closed and withdrawn cases"
    MESSAGE = "message", "In-app messages"
    DELIVERY_LOG = "delivery_log", "The e-mail delivery log"


class DisposalAction(models.TextChoices):
    ERASE = "erase", "Erased"
    PSEUDONYMISE = "pseudonymise", "Pseudonymised"


#: What disposal does to each kind (docs/retention.md explains why).
ACTIONS = {
    RecordKind.DECLINED_REFERRAL: DisposalAction.ERASE,
    RecordKind.REFERRAL_IDENTITY: DisposalAction.PSEUDONYMISE,
    RecordKind.DRAFT_REPORT: DisposalAction.ERASE,
    RecordKind.CLOSED_CASE: DisposalAction.PSEUDONYMISE,
    RecordKind.MESSAGE: DisposalAction.ERASE,
    RecordKind.DELIVERY_LOG: DisposalAction.ERASE,
}

#: The schedule's field for each kind.
PERIOD_FIELDS = {
    RecordKind.DECLINED_REFERRAL: "declined_referral_months",
    RecordKind.REFERRAL_IDENTITY: "referral_identity_months",
    RecordKind.DRAFT_REPORT: "draft_report_months",
    RecordKind.CLOSED_CASE: "closed_case_months",
    RecordKind.MESSAGE: "message_months",
    RecordKind.DELIVERY_LOG: "delivery_log_months",
}


def _period(label: str, help_text: str):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        help_text=help_text + " Empty: kept for ever (no automatic disposal).",
    )


class RetentionSchedule(models.Model):
    """How long the partnership keeps each kind of record, in months. Every period
    starts empty: nothing is disposed of until the partnership sets one."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="retention_schedule"
    )
    declined_referral_months = _period(
        "Declined referrals (months after the decision)",
        "The referral is erased.",
    )
    referral_identity_months = _period(
        "The child's identity on a referral (months after the case closed)",
        "The name, date of birth and address are removed; initials stay.",
    )
    draft_report_months = _period(
        "Uploaded drafts (months after the final report was published)",
        "Each draft version and its file is erased.",
    )
    closed_case_months = _period(
        "Closed and withdrawn cases (months after closing)",
        "The chronology and the free text about the child are erased; the reference, "
        "dates and decisions stay.",
    )
    message_months = _period("In-app messages (months after sending)", "The message is erased.")
    delivery_log_months = _period(
        "The e-mail delivery log (months after the entry)",
        "Finished entries (sent, abandoned or cancelled) are erased.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Retention schedule of {self.partnership}"

    def months(self, kind: str) -> int | None:
        return getattr(self, PERIOD_FIELDS[kind])


class LegalHold(models.Model):
    """A hold on a case: while it is in place nothing of the case is disposed of."""

    class Reason(models.TextChoices):
        POLICE_INVESTIGATION = "police_investigation", "Police investigation"
        INQUEST = "inquest", "Inquest"
        CRIMINAL_TRIAL = "criminal_trial", "Criminal trial"
        PUBLIC_INQUIRY = "public_inquiry", "Public inquiry"
        OTHER = "other", "Other legal proceedings"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField("Why the case is held", max_length=30, choices=Reason.choices)
    detail = models.TextField(
        "Details", help_text="What the hold is for, and who asked for it. No names of the child or family."
    )
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField("Why the hold is lifted", blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["case", "lifted_at"], name="legalhold_case_live")]

    def __str__(self) -> str:
        return f"Legal hold on {self.case.reference}: {self.get_reason_display()}"

    @property
    def audit_partnership(self):
        return self.case.partnership

    @property
    def audit_label(self) -> str:
        return f"Legal hold {self.pk} on {self.case.reference}"

    @property
    def is_live(self) -> bool:
        return self.lifted_at is None


class DisposalRecord(models.Model):
    """One record disposed of under the retention schedule: its kind, id, the rule,
    what was done and when. Nothing about the child or family."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="disposals")
    kind = models.CharField(max_length=30, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=20, choices=DisposalAction.choices)
    rule = models.CharField(max_length=200)
    disposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-disposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="disposal_once_per_record")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}: {self.get_action_display()}"


class PrivacyNotice(models.Model):
    """The partnership's own words in its privacy notice (the page fills in the rest)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="privacy_notice")
    controller = models.TextField(
        "Who the data controller is",
        blank=True,
        help_text="The safeguarding partners acting jointly, or the lead partner, and their "
        "ICO registration numbers.",
    )
    lawful_basis = models.TextField(
        "Lawful basis",
        blank=True,
        help_text="As the partnership records it: for example UK GDPR Article 6(1)(e) public "
        "task and Article 9(2)(g) substantial public interest with Data Protection Act 2018 "
        "Schedule 1 paragraph 18 (safeguarding of children).",
    )
    dpo_contact = models.TextField("How to contact the data protection officer", blank=True)
    extra = models.TextField("Anything else the partnership tells people", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Privacy notice of {self.partnership}"
