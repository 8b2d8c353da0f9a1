"""The shared kernel: partnerships, agencies, memberships, the calendar's extra
non-working days, statutory deadlines and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from .roles import Role


class Partnership(models.Model):
    """A Local Safeguarding Children Partnership (the three safeguarding partners of an area)."""

    class RapidReviewAnchor(models.TextChoices):
        NOTIFICATION = "notification", "Date the Panel was notified"
        AWARENESS = "awareness", "Date the local authority became aware"

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters, like NCC.")],
        help_text="Short code used in case references, like NCC in NCC-2026-014.",
    )
    local_authority_area = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    # Partnership settings for the statutory clocks (docs/domain.md, "The clocks").
    rapid_review_anchor = models.CharField(
        max_length=20,
        choices=RapidReviewAnchor.choices,
        default=RapidReviewAnchor.NOTIFICATION,
        help_text="What the 15 working days of the rapid review count from (Panel guidance).",
    )
    lcspr_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months to complete a local CSPR (WT2023 ch5: an aim, not a bar)."
    )
    copies_before_publication_working_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="Working days before publication that copies go to the Panel and the "
        "Secretary of State (WT2023 ch5).",
    )
    yearly_report_period_start = models.DateField(
        "Start of the first yearly reporting period",
        null=True,
        blank=True,
        help_text="The first yearly report is due 12 months after this date; each later one "
        "12 months after the one before was published (Children Act 2004 s16G; WT2023 ch2). "
        "Setting it starts the clock.",
    )
    # Two-factor sign-in is required of every member (cspr.twofactor); a business
    # manager may relax it for practitioners who only make referrals.
    two_factor_optional_for_referrers = models.BooleanField(
        "Practitioners who only make referrals may sign in without two-factor",
        default=False,
        help_text="Practitioners who hold no other role and have not been added to a case or "
        "review may sign in with a password alone. Everyone else always enters a code too.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "lacsc", "Local authority children's social care"
        POLICE = "police", "Police"
        ICB = "icb", "Integrated care board"
        HEALTH_PROVIDER = "health", "Health provider"
        EDUCATION = "education", "Education"
        PROBATION = "probation", "Probation"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a partnership. A person may hold several roles, in several
    partnerships."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role"], name="membership_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"

    def clean(self) -> None:
        if self.agency_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "Choose an agency of the same partnership."})


class NonWorkingDay(models.Model):
    """An extra non-working day in England (for example a special bank holiday
    proclaimed after the ``holidays`` package was released). The calendar honours
    it at once."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name}"


class Deadline(models.Model):
    """One statutory clock (or action-plan due date) started by one object."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        WAIVED = "waived", "Waived"

    class Stage(models.TextChoices):
        NOTIFICATION = "notification", "Notification"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        REVIEW = "review", "Review"
        ACTION_PLAN = "action_plan", "Action plan"
        PUBLICATION = "publication", "Publication"
        PARTNERSHIP = "partnership", "Partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="deadlines")
    rule = models.CharField(max_length=60)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    # The object whose event started the clock.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    reference = models.CharField(max_length=40, help_text="The case reference (never a child's name).")
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="deadlines"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_deadlines",
        help_text="The person who owns the step, where one person does.",
    )
    start_date = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    waived_reason = models.TextField(blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"], name="deadline_one_per_rule"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waived") | ~models.Q(waived_reason=""),
                name="deadline_waiver_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_status_due"),
            models.Index(fields=["partnership", "status", "due_date"], name="deadline_pship_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.rule_definition.title} by {self.due_date:%d %b %Y}"

    @property
    def rule_definition(self):
        from .deadlines import get_rule

        return get_rule(self.rule)

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.MET, self.Status.WAIVED}


class LearningTheme(models.Model):
    """A learning theme from the one national list (the NSPCC case review briefing
    topics; editable), with which any stage may tag what it learns. The table keeps
    the name it had when the model lived in ``publication``."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "publication_learningtheme"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Append-only audit trail: who did what to which object, when."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        TRANSITION = "transition", "Moved to a new stage"
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        DELETE = "delete", "Deleted"
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        PERMISSION = "permission", "Permission changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(
        max_length=200, blank=True, help_text="A reference, never personal data."
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-at"], name="audit_pship_at"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events cannot be deleted.")


class AuditSeal(models.Model):
    """A seal over the audit events with ids ``first_id``..``last_id``: the SHA-256
    of those rows, in id order, chained to the previous seal's hash
    (``cspr.auditseal``). A changed, removed or slipped-in row no longer matches
    its seal, and ``manage.py verify_audit`` names the first seal that fails."""

    first_id = models.PositiveBigIntegerField()
    last_id = models.PositiveBigIntegerField()
    row_count = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_id"]
        constraints = [
            models.UniqueConstraint(fields=["last_id"], name="auditseal_last_id_unique"),
        ]

    def __str__(self) -> str:
        return f"Seal {self.pk}: events {self.first_id}–{self.last_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Audit seals cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit seals cannot be deleted.")
