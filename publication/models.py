"""The final report and its publication, and 7-minute briefings.

Nothing here may identify the child or the family: the child is given a chosen
name ("Child C"); the public pages show only the fields listed in
``PUBLIC_FIELDS`` of each model.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from cspr.models import LearningTheme, Partnership
from cspr.uploads import document_upload_to
from reviews.models import Review


class Publication(models.Model):
    """The final report of a review and its publication."""

    UPLOAD_FOLDER = "final-reports"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing for publication"
        PUBLISHED = "published", "Published"
        TAKEN_DOWN = "taken_down", "Taken down"

    class Scope(models.TextChoices):
        FULL = "full", "Publish the full report"
        IMPROVEMENTS_ONLY = "improvements_only", "Publish only the information about improvements"

    TRANSITIONS = {
        Status.PUBLISHED: {Status.PREPARING},
        Status.TAKEN_DOWN: {Status.PUBLISHED},
    }

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="publication")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="publications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREPARING)
    title = models.CharField(
        "Title",
        max_length=200,
        help_text="Use the child's chosen name, like “Child C: local child safeguarding practice "
        "review”. Never the child's or the family's names.",
    )
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    size = models.PositiveIntegerField(default=0)
    reviewer_names = models.CharField(
        "Lead reviewer names",
        max_length=300,
        help_text="The published report names the reviewer or reviewers.",
    )
    summary_of_improvements = models.TextField("Summary of the improvements recommended")
    systemic_analysis = models.TextField(
        "Analysis of the systemic or underlying reasons",
        blank=True,
        help_text="Why things were done, or not done, as they were.",
    )
    scope = models.CharField(
        "What will be published", max_length=20, choices=Scope.choices, default=Scope.FULL
    )
    scope_reason = models.TextField(
        "Why the full report will not be published",
        blank=True,
        help_text="Required when only the information about improvements is published.",
    )
    child_pseudonym = models.CharField(
        "The child's chosen name",
        max_length=60,
        blank=True,
        help_text="For example “Child C” or “Frankie”. Never the child's real name.",
    )
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="publications")
    legacy_scr = models.BooleanField(
        "A serious case review under the 2015 guidance",
        default=False,
    )

    planned_publication_date = models.DateField("Planned publication date", null=True, blank=True)
    copy_to_panel_on = models.DateField("Date the copy was sent to the National Panel", null=True, blank=True)
    copy_to_secretary_of_state_on = models.DateField(
        "Date the copy was sent to the Secretary of State", null=True, blank=True
    )
    copy_to_ofsted_on = models.DateField("Date the copy was sent to Ofsted", null=True, blank=True)

    published_on = models.DateField(null=True, blank=True)
    published_recorded_on = models.DateField(
        "Date the publication was recorded",
        null=True,
        blank=True,
        help_text="The 12 months count from the later of this and the publication date.",
    )
    backdating_reason = models.TextField(
        "Why the publication date is more than 5 working days before it was recorded", blank=True
    )
    backdated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    public_until = models.DateField(
        null=True, blank=True, help_text="The end of the minimum 12 months the report stays public."
    )
    early_publication_reason = models.TextField(blank=True)
    early_publication_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_down_on = models.DateField(null=True, blank=True)
    take_down_reason = models.TextField(blank=True)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The learning library's full-text search: written by a database trigger on
    # PostgreSQL whenever the row is written (migration 0004); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="publication_status"),
            GinIndex(fields=["search_vector"], name="publication_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="improvements_only") | ~models.Q(scope_reason=""),
                name="publication_partial_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="taken_down") | ~models.Q(take_down_reason=""),
                name="publication_take_down_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"Publication {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def window_ended(self, today=None) -> bool:
        """The minimum 12 months of publication are over (the report stays up until
        someone decides)."""
        today = today or timezone.localdate()
        return bool(self.is_public and self.public_until and self.public_until <= today)

    @property
    def minimum_window_ended(self) -> bool:
        return self.window_ended()

    @property
    def theme_names(self) -> list[str]:
        return [theme.name for theme in self.themes.all()]


class Briefing(models.Model):
    """A 7-minute briefing: one page of a review's learning for team meetings."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="briefings")
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="briefings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(
        "Title",
        max_length=200,
        help_text="Use the child's chosen name, never a real name.",
    )
    background = models.TextField("Background")
    what_happened = models.TextField("What happened")
    key_learning = models.TextField("Key learning")
    what_should_change = models.TextField("What should change")
    question_1 = models.CharField("Reflective question 1", max_length=300)
    question_2 = models.CharField("Reflective question 2", max_length=300)
    question_3 = models.CharField("Reflective question 3", max_length=300)
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="briefings")
    publish_with_report = models.BooleanField(
        "Publish it with the review's final report",
        default=True,
        help_text="Otherwise publish it on its own.",
    )
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # As the publication's: kept up to date by a database trigger on PostgreSQL.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [GinIndex(fields=["search_vector"], name="briefing_search")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"Briefing {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def may_be_published_on_its_own(self) -> bool:
        """A draft the team chose to publish on its own (not with the review's final
        report) may be published now (``services.publish_briefing`` enforces the same)."""
        return self.status == self.Status.DRAFT and not self.publish_with_report

    @property
    def questions(self) -> list[str]:
        return [q for q in (self.question_1, self.question_2, self.question_3) if q]
