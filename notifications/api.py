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
from cspr.api import validated
from cspr.models import Deadline
from cspr.selectors import deadlines_of_case

from . import services
from .models import SeriousIncidentNotification as Notification
from .selectors import notifications_visible_to


class NotificationSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id", "case", "case_reference", "status", "aware_on", "incident_local_authority",
            "residence_local_authority", "ofsted_required", "notified_panel_on",
            "panel_reference", "notified_ofsted_on", "partners_told_on", "withdrawn_reason",
            "created_at", "updated_at",
        ]
        read_only_fields = [
            "status", "notified_panel_on", "panel_reference", "notified_ofsted_on",
            "partners_told_on", "withdrawn_reason", "created_at", "updated_at",
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


class NotificationFilter(django_filters.FilterSet):
    partnership = django_filters.NumberFilter(field_name="case__partnership")
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
        service(actor=request.user, notification=notification,
                **validated(serializer_class, request.data))
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
