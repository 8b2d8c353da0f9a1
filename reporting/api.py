"""REST API of yearly reports: /api/v1/yearly-reports/ (the same selectors and services
as the pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api import CaseClockSerializer
from cspr.api import FileUploadParsersMixin, validated
from cspr.models import Partnership
from cspr.permissions import partnership_for, partnership_ids_for
from cspr.selectors import deadlines_of
from cspr.uploads import check_document
from cspr.workdays import calendar_for

from . import services
from .models import YearlyReport
from .selectors import yearly_reports_visible_to


class YearlyReportSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.none(), required=False)
    file = serializers.FileField(required=False, write_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = YearlyReport
        fields = [
            "id",
            "partnership",
            "period_start",
            "period_end",
            "published_on",
            "url",
            "file",
            "has_file",
            "copies_sent_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["copies_sent_on", "created_at", "updated_at"]
        extra_kwargs = {
            "period_start": {"allow_null": True},
            "period_end": {"allow_null": True},
            "published_on": {"allow_null": True},
            "url": {"required": False, "allow_blank": True},
        }
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["partnership"].queryset = Partnership.objects.filter(
                pk__in=partnership_ids_for(request.user, "record_yearly_report")
            )

    def validate_file(self, value):
        if value:
            try:
                value.cspr_kind = check_document(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return value

    def get_has_file(self, report) -> bool:
        return bool(report.file)


class YearlyReportDetailSerializer(YearlyReportSerializer):
    deadlines = serializers.SerializerMethodField()

    class Meta(YearlyReportSerializer.Meta):
        fields = [*YearlyReportSerializer.Meta.fields, "deadlines"]
        read_only_fields = [*YearlyReportSerializer.Meta.read_only_fields, "deadlines"]

    @extend_schema_field(CaseClockSerializer(many=True))
    def get_deadlines(self, report):
        return CaseClockSerializer(
            deadlines_of(report).order_by("due_date"), many=True, context=self.context
        ).data


class CopiesSentSerializer(serializers.Serializer):
    copies_sent_on = serializers.DateField(allow_null=True)


class YearlyReportViewSet(
    FileUploadParsersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Published yearly reports of the partnerships where you are a partner lead or
    business manager (Children Act 2004 s16G; WT2023 ch2). Creating one meets the running
    12-month clock and starts the next, and the 7 days to send the report on."""

    serializer_class = YearlyReportDetailSerializer
    #: The report's file, or its address (url) alone: multipart either way.
    UPLOAD_ACTIONS = ("create",)

    def get_serializer_class(self):
        return YearlyReportSerializer if self.action == "list" else YearlyReportDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return YearlyReport.objects.none()
        return yearly_reports_visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["calendar"] = calendar_for(self.request)
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = partnership_for(
            self.request.user, "record_yearly_report", data.pop("partnership", None)
        )
        serializer.instance = services.record_yearly_report(
            actor=self.request.user, partnership=partnership, **data
        )

    @extend_schema(request=CopiesSentSerializer, responses=YearlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def sent(self, request, pk=None):
        """Record the day the report was sent to the Panel and the Department for Education."""
        report = self.get_object()
        services.record_yearly_report_copies_sent(
            actor=request.user, report=report, **validated(CopiesSentSerializer, request.data)
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)
