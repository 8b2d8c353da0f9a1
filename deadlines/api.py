"""REST API of statutory clocks: /api/v1/deadlines/ (read-only, the dashboard's
selector and filters) and a waive action for partner leads."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cspr import services as kernel_services
from cspr.api import IdFilter, LatenessFieldsMixin, validated
from cspr.deadlines import rule_choices
from cspr.models import Deadline
from cspr.permissions import require
from cspr.workdays import calendar_for

from .filters import DeadlineFilter, IntegerFilter
from .selectors import LIVE, access_deadline, dashboard_clocks, dashboard_order, rag_status


class DeadlineSerializer(LatenessFieldsMixin, serializers.ModelSerializer):
    rule_title = serializers.SerializerMethodField()
    rule_source = serializers.SerializerMethodField()
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)
    working_days_left = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "reference",
            "partnership",
            "partnership_name",
            "stage",
            "rule",
            "rule_title",
            "rule_source",
            "agency",
            "owner",
            "start_date",
            "due_date",
            "status",
            "met_on",
            "waived_reason",
            "working_days_left",
            "rag",
            "met_late",
            "working_days_late",
        ]
        read_only_fields = fields

    def _left(self, obj) -> int | None:
        if obj.status not in LIVE:
            return None
        calendar = self.context["calendar"]
        return calendar.working_days_between(self.context["today"], obj.due_date)

    def get_rule_title(self, obj) -> str:
        return obj.rule_definition.title

    def get_rule_source(self, obj) -> str:
        return obj.rule_definition.source

    def get_working_days_left(self, obj) -> int | None:
        """Working days from today to the due date; null once the clock is met or waived."""
        return self._left(obj)

    def get_rag(self, obj) -> str | None:
        """red, amber, green or grey for a clock still running; null once met or waived."""
        left = self._left(obj)
        if left is None:
            return None
        return rag_status(obj.rule_definition, obj.due_date, self.context["today"], left)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 520})
class DueWithinFilter(IntegerFilter):
    pass


@extend_schema_field({"type": "string", "enum": [code for code, _title in rule_choices()]})
class RuleFilter(django_filters.ChoiceFilter):
    """The statutory rule, one of the kernel's (documented as their list)."""


class DeadlineAPIFilter(DeadlineFilter):
    """The dashboard's filters, the agency and partnership by id: one the user does
    not have finds nothing (the page offers only theirs)."""

    rule = RuleFilter(choices=rule_choices)
    agency = IdFilter(field_name="agency")
    partnership = IdFilter(field_name="partnership")
    due_within = DueWithinFilter(
        method="filter_due_within",
        help_text="Working days, 0 to 520 (for example 10). Overdue clocks are always included.",
        min_value=0,
        max_value=520,
    )


class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Clocks of the partnerships where you are a partner lead or business manager:
    those still running (open or missed), overdue first; with ``status=met`` every met
    clock, or with ``status=met_late`` those met after their due date, the latest met
    first (``met_late`` and ``working_days_late`` say how late)."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineAPIFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Deadline.objects.none()
        # The filters choose which clocks (still running by default); the order follows.
        show = self.request.query_params.get("status", "")
        return dashboard_order(dashboard_clocks(self.request.user), show)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["calendar"] = calendar_for(self.request)
        context["today"] = timezone.localdate()
        return context

    @extend_schema(request=WaiveSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        """Waive a clock with a reason (partner leads only)."""
        deadline = access_deadline(request.user, pk)
        require(request.user, "waive_deadline", deadline.partnership_id)
        payload = validated(WaiveSerializer, request.data)
        deadline = kernel_services.waive_deadline(
            deadline=deadline, actor=request.user, reason=payload["reason"]
        )
        return Response(self.get_serializer(deadline).data)
