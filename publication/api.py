"""REST API of the publication app: the same selectors and services as the pages."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cspr.api import FileUploadParsersMixin, FilterSet, validated
from cspr.models import LearningTheme
from cspr.workdays import current_calendar
from reviews.selectors import reviews_visible_to

from . import selectors, services
from .models import Publication


class PublicationSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=LearningTheme.objects.all(), required=False
    )
    minimum_window_ended = serializers.BooleanField(read_only=True)
    earliest_publication_date = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "review",
            "partnership",
            "status",
            "title",
            "reviewer_names",
            "summary_of_improvements",
            "systemic_analysis",
            "scope",
            "scope_reason",
            "child_pseudonym",
            "themes",
            "legacy_scr",
            "planned_publication_date",
            "copy_to_panel_on",
            "copy_to_secretary_of_state_on",
            "copy_to_ofsted_on",
            "earliest_publication_date",
            "published_on",
            "public_until",
            "minimum_window_ended",
            "early_publication_reason",
            "published_recorded_on",
            "backdating_reason",
            "taken_down_on",
            "take_down_reason",
        ]
        read_only_fields = [
            "partnership",
            "status",
            "planned_publication_date",
            "copy_to_panel_on",
            "copy_to_secretary_of_state_on",
            "copy_to_ofsted_on",
            "published_on",
            "public_until",
            "early_publication_reason",
            "published_recorded_on",
            "backdating_reason",
            "taken_down_on",
            "take_down_reason",
        ]

    def get_earliest_publication_date(self, obj) -> str | None:
        if "calendar" not in self.context:
            self.context["calendar"] = current_calendar()
        day = services.earliest_publication_date(obj, calendar=self.context["calendar"])
        return day.isoformat() if day else None


class CreatePublicationSerializer(serializers.Serializer):
    review = serializers.PrimaryKeyRelatedField(queryset=Publication.objects.none())
    file = serializers.FileField()
    title = serializers.CharField()
    summary_of_improvements = serializers.CharField()
    received_on = serializers.DateField(required=False)
    reviewer_names = serializers.CharField(required=False, allow_blank=True)
    systemic_analysis = serializers.CharField(required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=Publication.Scope.choices, required=False)
    scope_reason = serializers.CharField(required=False, allow_blank=True)
    child_pseudonym = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=LearningTheme.objects.all(), required=False
    )
    legacy_scr = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["review"].queryset = reviews_visible_to(request.user)


class PlanSerializer(serializers.Serializer):
    planned_publication_date = serializers.DateField()


class CopiesSerializer(serializers.Serializer):
    copy_to_panel_on = serializers.DateField(required=False, allow_null=True)
    copy_to_secretary_of_state_on = serializers.DateField(required=False, allow_null=True)
    copy_to_ofsted_on = serializers.DateField(required=False, allow_null=True)


class PublishSerializer(serializers.Serializer):
    published_on = serializers.DateField(required=False, allow_null=True)
    override_reason = serializers.CharField(required=False, allow_blank=True)
    backdating_reason = serializers.CharField(required=False, allow_blank=True)


class TakeDownSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    taken_down_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PublicationFilter(FilterSet):
    theme = django_filters.CharFilter(field_name="themes__slug")
    year = YearFilter(
        field_name="published_on",
        lookup_expr="year",
        min_value=1900,
        max_value=9999,
        help_text="The year of publication, like 2026.",
    )

    class Meta:
        model = Publication
        fields = ["status", "partnership", "review", "theme", "year"]


class PublicationViewSet(
    FileUploadParsersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Final reports and their publication. POST (multipart) adds the final
    report; actions: plan, record-copies, publish, take-down."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    UPLOAD_ACTIONS = ("create",)

    def get_queryset(self):
        return selectors.publications_visible_to(self.request.user).order_by("-created_at", "-id").distinct()

    def _out(self, publication, code=status.HTTP_200_OK):
        fresh = selectors.publications_visible_to(self.request.user).get(pk=publication.pk)
        return Response(PublicationSerializer(fresh).data, status=code)

    @extend_schema(request=CreatePublicationSerializer, responses=PublicationSerializer)
    def create(self, request, *args, **kwargs):
        values = validated(CreatePublicationSerializer, request.data, context={"request": request})
        publication = services.create_final_report(actor=request.user, **values)
        return self._out(publication, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        publication = self.get_object()
        serializer = self.get_serializer(publication, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k != "review"}
        services.update_publication(publication=publication, actor=request.user, **values)
        return self._out(publication)

    def _run(self, request, serializer_class, service):
        publication = self.get_object()
        service(publication=publication, actor=request.user, **validated(serializer_class, request.data))
        return self._out(publication)

    @extend_schema(request=PlanSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        return self._run(request, PlanSerializer, services.plan_publication)

    @extend_schema(request=CopiesSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"], url_path="record-copies")
    def record_copies(self, request, pk=None):
        return self._run(request, CopiesSerializer, services.record_copies)

    @extend_schema(request=PublishSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._run(request, PublishSerializer, services.publish)

    @extend_schema(request=TakeDownSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"], url_path="take-down")
    def take_down(self, request, pk=None):
        return self._run(request, TakeDownSerializer, services.take_down)
