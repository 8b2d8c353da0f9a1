"""REST API of serious incident notifications: the same selectors and services as the pages."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api import CaseClockSerializer
from cases.models import Case
from cases.selectors import cases_visible_to
from cspr.api import FilterSet, IdFilter, validated
from cspr.models import Deadline, Partnership
from cspr.permissions import partnership_for, partnership_ids_for
from cspr.selectors import deadlines_of, deadlines_of_case
from cspr.workdays import calendar_for

from . import services
from .models import CareLeaverDeathReport
from .models import SeriousIncidentNotification as Notification
from .selectors import care_leaver_deaths_visible_to, notifications_visible_to


class NotificationSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "case",
            "case_reference",
            "status",
            "aware_on",
            "incident_local_authority",
            "residence_local_authority",
            "ofsted_required",
            "notified_panel_on",
            "panel_reference",
            "notified_ofsted_on",
            "partners_told_on",
            "withdrawn_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "notified_panel_on",
            "panel_reference",
            "notified_ofsted_on",
            "partners_told_on",
            "withdrawn_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"incident_local_authority": {"allow_blank": True, "required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = cases_visible_to(request.user)


class NotificationDetailSerializer(NotificationSerializer):
    deadlines = serializers.SerializerMethodField()

    class Meta(NotificationSerializer.Meta):
        fields = [*NotificationSerializer.Meta.fields, "deadlines"]

    @extend_schema_field(CaseClockSerializer(many=True))
    def get_deadlines(self, notification):
        deadlines = deadlines_of_case(notification.case).filter(stage=Deadline.Stage.NOTIFICATION)
        return CaseClockSerializer(deadlines, many=True).data


class PanelNotificationSerializer(serializers.Serializer):
    notified_panel_on = serializers.DateField()
    panel_reference = serializers.CharField(allow_blank=True)
    notified_ofsted_on = serializers.DateField(required=False, allow_null=True)
    partners_told_on = serializers.DateField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class CorrectNotificationSerializer(serializers.Serializer):
    """The corrected values. A field left out keeps its recorded value; the Panel's
    fields only once the notification to the Panel is recorded."""

    aware_on = serializers.DateField(required=False)
    notified_panel_on = serializers.DateField(required=False)
    panel_reference = serializers.CharField(required=False, allow_blank=True, max_length=60)
    notified_ofsted_on = serializers.DateField(required=False, allow_null=True)
    partners_told_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class NotificationFilter(FilterSet):
    partnership = IdFilter(field_name="case__partnership")
    reference = django_filters.CharFilter(field_name="case__reference", lookup_expr="iexact")
    aware_on = django_filters.DateFromToRangeFilter()
    incident_date = django_filters.DateFromToRangeFilter(field_name="case__incident_date")

    class Meta:
        model = Notification
        fields = ["status"]


class NotificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Serious incident notifications (Children Act 2004 s16C(1)). Creating one records
    the local authority's awareness and starts the 5-working-day clocks."""

    filterset_class = NotificationFilter

    def get_queryset(self):
        return notifications_visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return NotificationDetailSerializer
        if self.action == "record_panel_notification":
            return PanelNotificationSerializer
        if self.action == "withdraw":
            return WithdrawSerializer
        if self.action == "correct":
            return CorrectNotificationSerializer
        return NotificationSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.record_notification(actor=self.request.user, **data)

    def _respond(self, notification):
        notification = self.get_queryset().get(pk=notification.pk)
        return Response(
            NotificationDetailSerializer(notification, context=self.get_serializer_context()).data
        )

    def _run(self, request, serializer_class, service):
        """A step on one notification: the body checked, the service called, the
        notification as it now is."""
        notification = self.get_object()
        service(actor=request.user, notification=notification, **validated(serializer_class, request.data))
        return self._respond(notification)

    @extend_schema(request=PanelNotificationSerializer, responses=NotificationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-panel-notification")
    def record_panel_notification(self, request, pk=None):
        return self._run(request, PanelNotificationSerializer, services.record_panel_notification)

    @extend_schema(request=WithdrawSerializer, responses=NotificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(request, WithdrawSerializer, services.withdraw_notification)

    @extend_schema(request=CorrectNotificationSerializer, responses=NotificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct dates recorded wrongly: the clocks move with them (as the page does)."""
        return self._run(request, CorrectNotificationSerializer, services.correct_notification)


# -- the death of a care leaver (aged 18 to 24) ------------------------------------------


class CareLeaverDeathSerializer(serializers.ModelSerializer):
    """A care leaver's death. ``age`` and the dates are checked by the service (the same
    messages as the page's); ``partnership`` may be left out by a member of one."""

    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.none(), required=False)
    age = serializers.IntegerField(allow_null=True)
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = CareLeaverDeathReport
        fields = [
            "id",
            "reference",
            "partnership",
            "pseudonym",
            "age",
            "died_on",
            "aware_on",
            "notified_on",
            "notification_reference",
            "recipients",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "recipients", "created_at", "updated_at"]
        extra_kwargs = {
            "pseudonym": {"allow_blank": True},
            "died_on": {"allow_null": True},
            "aware_on": {"allow_null": True},
            "notification_reference": {"allow_blank": True, "required": False},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["partnership"].queryset = Partnership.objects.filter(
                pk__in=partnership_ids_for(request.user, "report_care_leaver_death")
            )

    def get_recipients(self, report) -> list[str]:
        return list(report.RECIPIENTS)


class CareLeaverDeathDetailSerializer(CareLeaverDeathSerializer):
    """One report with its clock (``met_late`` and ``working_days_late`` included)."""

    deadlines = serializers.SerializerMethodField()

    class Meta(CareLeaverDeathSerializer.Meta):
        fields = [*CareLeaverDeathSerializer.Meta.fields, "deadlines"]
        read_only_fields = [*CareLeaverDeathSerializer.Meta.read_only_fields, "deadlines"]

    @extend_schema_field(CaseClockSerializer(many=True))
    def get_deadlines(self, report):
        return CaseClockSerializer(deadlines_of(report), many=True, context=self.context).data


class CareLeaverDeathNotifiedSerializer(serializers.Serializer):
    notified_on = serializers.DateField(allow_null=True)
    notification_reference = serializers.CharField(allow_blank=True, max_length=60)


class CareLeaverDeathViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deaths of care leavers aged 18 to 24 (WT2023 ch5): creating one records the local
    authority's awareness and starts the 5 working days to notify the Secretary of State
    and Ofsted; ``notified`` records that notification. Partner leads and business
    managers of the partnership only; no rapid review follows."""

    serializer_class = CareLeaverDeathDetailSerializer

    def get_serializer_class(self):
        return CareLeaverDeathSerializer if self.action == "list" else CareLeaverDeathDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CareLeaverDeathReport.objects.none()
        return care_leaver_deaths_visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["calendar"] = calendar_for(self.request)
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = partnership_for(
            self.request.user, "report_care_leaver_death", data.pop("partnership", None)
        )
        serializer.instance = services.record_care_leaver_death(
            actor=self.request.user, partnership=partnership, **data
        )

    @extend_schema(request=CareLeaverDeathNotifiedSerializer, responses=CareLeaverDeathDetailSerializer)
    @action(detail=True, methods=["post"])
    def notified(self, request, pk=None):
        report = self.get_object()
        services.record_care_leaver_death_notified(
            actor=request.user,
            report=report,
            **validated(CareLeaverDeathNotifiedSerializer, request.data),
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)
