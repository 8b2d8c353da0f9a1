"""REST API of referrals and cases: the same selectors and services as the pages."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cspr.api import FilterSet, LatenessFieldsMixin, validated
from cspr.models import Agency, Deadline, Partnership
from cspr.permissions import can
from cspr.selectors import deadlines_of_case

from . import codes, services
from .models import Case, CaseChild, ChronologyEntry, OtherProcess, Referral, ReferralChild
from .selectors import (
    access_case,
    access_referral,
    case_detail_queryset,
    record_referral_views,
    referrals_visible_to,
)

IDENTITY_FIELDS = ("name", "date_of_birth", "address")


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


class ReferralChildSerializer(serializers.ModelSerializer):
    """One child the referral names. ``name``, ``date_of_birth`` and ``address`` are
    shown only to the business team (and the author while they may change it)."""

    gender = serializers.ChoiceField(choices=codes.Gender.choices, required=False, allow_blank=True)
    ethnicity = serializers.ChoiceField(choices=codes.Ethnicity.choices, required=False, allow_blank=True)
    nature = serializers.ChoiceField(choices=codes.Nature.choices, required=False, allow_blank=True)
    initials = serializers.CharField(read_only=True)

    class Meta:
        model = ReferralChild
        fields = ["ordinal", *services.REFERRAL_CHILD_FIELDS, "initials"]
        read_only_fields = ["ordinal", "initials"]
        extra_kwargs = {name: {"required": False} for name in services.REFERRAL_CHILD_FIELDS}


class ReferralSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all())
    referrer_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    agencies_involved = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), many=True, required=False
    )
    other_processes = serializers.MultipleChoiceField(choices=OtherProcess.choices, required=False)
    author = serializers.CharField(source="author.username", read_only=True)
    case_reference = serializers.SerializerMethodField()
    children = ReferralChildSerializer(
        many=True,
        required=False,
        help_text="Every child the referral names, in order (1 to 4 to submit); given, it "
        "replaces the children named before. Errors about one child are keyed "
        "child_N_field (child_2_date_of_birth); about the list, children.",
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "partnership",
            "author",
            "status",
            *services.REFERRAL_FIELDS,
            "children",
            "agencies_involved",
            "information_request",
            "decline_reason",
            "recommend_other_learning_review",
            "submitted_at",
            "triaged_at",
            "case_reference",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "information_request",
            "decline_reason",
            "recommend_other_learning_review",
            "submitted_at",
            "triaged_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {name: {"required": False} for name in services.REFERRAL_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            if hasattr(self.instance, "pk"):
                self.fields["partnership"].read_only = True

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_reference(self, referral) -> str | None:
        if referral.status != Referral.Status.ACCEPTED:
            return None
        case = getattr(referral, "case", None)
        return case.reference if case else None

    def to_representation(self, referral):
        data = super().to_representation(referral)
        data["other_processes"] = list(referral.other_processes or [])
        user = _user(self)
        identity = user is not None and (
            can(user, "view_child_identity", referral.partnership_id)
            or (referral.author_id == user.pk and referral.is_editable)
        )
        if not identity:
            for child in data.get("children") or []:
                for name in IDENTITY_FIELDS:
                    child.pop(name, None)
        return data


# Required by the service, not here: the service checks the caller may triage
# first (403), then the reason (400 with the field's message).
class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    recommend_other_learning_review = serializers.BooleanField(default=False)


class InformationRequestSerializer(serializers.Serializer):
    question = serializers.CharField(allow_blank=True, required=False, default="")


class ReferralFilter(FilterSet):
    incident_date = django_filters.DateFromToRangeFilter()
    reference = django_filters.CharFilter(field_name="case__reference", lookup_expr="iexact")

    class Meta:
        model = Referral
        fields = ["status", "partnership"]


class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals: a practitioner sees the ones they wrote; the business team sees every
    submitted referral of its partnerships. Drafts are written with create/update."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self):
        return (
            referrals_visible_to(self.request.user)
            .select_related("case")
            .prefetch_related("agencies_involved", "children")
        )

    def get_object(self):
        """The referral of the address, through the same access function as its page."""
        referral = access_referral(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, referral)
        return referral

    def list(self, request, *args, **kwargs):
        """The referrals (each one whose child's identity is shown to the business
        team is a view in the audit trail, as for one referral)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        record_referral_views(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        """The referral (a view showing the child's identity to the business team is
        audited, as on its page)."""
        return self._respond(access_referral(request.user, kwargs["pk"], record_view=True))

    def _split(self, validated: dict):
        data = dict(validated)
        partnership = data.pop("partnership", None)
        agencies = data.pop("agencies_involved", None)
        children = data.pop("children", None)
        if "other_processes" in data:
            data["other_processes"] = sorted(data["other_processes"])
        if children is not None:
            children = [dict(child) for child in children]
        return data, partnership, agencies, children

    def perform_create(self, serializer):
        values, partnership, agencies, children = self._split(serializer.validated_data)
        serializer.instance = services.save_referral_draft(
            actor=self.request.user,
            values=values,
            agencies=agencies,
            partnership=partnership,
            children=children,
        )

    def perform_update(self, serializer):
        values, _partnership, agencies, children = self._split(serializer.validated_data)
        serializer.instance = services.save_referral_draft(
            actor=self.request.user,
            values=values,
            agencies=agencies,
            referral=serializer.instance,
            children=children,
        )

    def _respond(self, referral):
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        referral = services.submit_referral(actor=request.user, referral=self.get_object())
        return self._respond(referral)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        case = services.accept_referral(actor=request.user, referral=self.get_object())
        return self._respond(case.referral)

    @extend_schema(request=DeclineSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        referral = self.get_object()
        body = validated(DeclineSerializer, request.data)
        services.decline_referral(actor=request.user, referral=referral, **body)
        return self._respond(referral)

    @extend_schema(request=InformationRequestSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, pk=None):
        referral = self.get_object()
        body = validated(InformationRequestSerializer, request.data)
        services.request_more_information(actor=request.user, referral=referral, **body)
        return self._respond(referral)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


class ChronologyEntrySerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ChronologyEntry
        fields = ["id", "date", "agency", "agency_name", "entry", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"entry": {"allow_blank": True}}


class CaseClockSerializer(LatenessFieldsMixin, serializers.ModelSerializer):
    title = serializers.CharField(source="rule_definition.title", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule",
            "title",
            "start_date",
            "due_date",
            "status",
            "met_on",
            "waived_reason",
            "met_late",
            "working_days_late",
        ]


class ChildIdentitySerializer(serializers.Serializer):
    ordinal = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    unborn = serializers.BooleanField()
    address = serializers.CharField()


class CaseChildSerializer(serializers.ModelSerializer):
    """One child of the case, pseudonymised, coded as the DfE's statistics code it."""

    agencies = serializers.ListField(
        source="agency_pks",
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Ids of the agencies that knew the child.",
    )
    age = serializers.CharField(
        source="age_label", read_only=True, help_text="'Unborn', '8 months', '6 years' or 'Not known'."
    )
    age_group = serializers.ChoiceField(choices=codes.AgeGroup.choices, read_only=True)

    class Meta:
        model = CaseChild
        fields = ["ordinal", *services.CASE_CHILD_FIELDS, "agencies", "age", "age_group"]
        read_only_fields = fields


class CaseChildWriteSerializer(serializers.ModelSerializer):
    """One child in a PATCH of the case's ``children`` (a field left out keeps its value)."""

    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    placement_type = serializers.ChoiceField(
        choices=codes.PlacementType.choices, required=False, allow_blank=True
    )

    class Meta:
        model = CaseChild
        fields = [*services.CASE_CHILD_FIELDS, "agencies"]
        extra_kwargs = {name: {"required": False} for name in services.CASE_CHILD_FIELDS}


class CaseSerializer(serializers.ModelSerializer):
    children = CaseChildSerializer(many=True, read_only=True)
    children_identity = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "partnership",
            "status",
            "stage",
            "referral",
            *services.CASE_FIELDS,
            "agencies",
            "children",
            "withdrawn_reason",
            "brought_in",
            "brought_in_source",
            "brought_in_reason",
            "children_identity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ChildIdentitySerializer(many=True, allow_null=True))
    def get_children_identity(self, case):
        """Each child's name, date of birth and address as the referral named them:
        the business team only (null for anyone else)."""
        user = _user(self)
        if (
            case.referral_id is None
            or user is None
            or not can(user, "view_child_identity", case.partnership_id)
        ):
            return None
        return [
            {
                "ordinal": child.ordinal,
                "name": child.name,
                "date_of_birth": child.date_of_birth,
                "unborn": child.unborn,
                "address": child.address,
            }
            for child in case.referral.children.all()
        ]


class CaseDetailSerializer(CaseSerializer):
    chronology = ChronologyEntrySerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "chronology", "deadlines"]
        read_only_fields = fields

    @extend_schema_field(CaseClockSerializer(many=True))
    def get_deadlines(self, case):
        return CaseClockSerializer(deadlines_of_case(case), many=True).data


class CaseUpdateSerializer(serializers.ModelSerializer):
    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    children = CaseChildWriteSerializer(
        many=True,
        required=False,
        help_text="The case's children in order, 1 to 4 (each under 18 at the incident); "
        "given, the list replaces the children: child N of the list is child N of the case, "
        "and children after the list's end are taken off. Errors about one child are "
        "keyed child_N_field (child_2_age_months); about the list, children.",
    )

    class Meta:
        model = Case
        fields = [*services.CASE_FIELDS, "agencies", "children"]


class BroughtInSerializer(serializers.Serializer):
    brought_in = serializers.BooleanField(
        help_text="Brought in from before this system: its recorded dates may be older than 29 June 2018."
    )
    source = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Needed to mark it: where it came from."
    )
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Always needed."
    )


class CaseFilter(FilterSet):
    incident_date = django_filters.DateFromToRangeFilter()
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="icontains")
    child_nature = django_filters.ChoiceFilter(
        field_name="children__nature",
        choices=codes.Nature.choices,
        distinct=True,
        label="Cases with a child of this nature of notification (died, seriously harmed, other)",
    )

    class Meta:
        model = Case
        fields = ["status", "stage", "partnership"]


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Serious child safeguarding cases, the child pseudonymised. Cases are opened by
    accepting a referral; PATCH changes the pseudonymised details."""

    filterset_class = CaseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # The children's identity (business team only) as the referral named them.
        return case_detail_queryset(self.request.user).prefetch_related("referral__children")

    def get_serializer_class(self):
        if self.action == "list":
            return CaseSerializer
        if self.action == "partial_update":
            return CaseUpdateSerializer
        if self.action == "chronology":
            return ChronologyEntrySerializer
        return CaseDetailSerializer

    def get_object(self):
        """The case of the address, through the same access function as its page."""
        case = access_case(self.request.user, self.kwargs["pk"], detail=True)
        self.check_object_permissions(self.request, case)
        return case

    def retrieve(self, request, *args, **kwargs):
        """The case, its chronology and clocks (every view is audited)."""
        case = access_case(request.user, kwargs["pk"], detail=True, record_view=True)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        data = validated(CaseUpdateSerializer, request.data, partial=True, instance=case)
        agencies = data.pop("agencies", None)
        children = data.pop("children", None)
        services.update_case(
            actor=request.user,
            case=case,
            values=data,
            agencies=agencies,
            children=None if children is None else [dict(child) for child in children],
        )
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=BroughtInSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="brought-in")
    def brought_in(self, request, pk=None):
        """Mark the case as brought in from before this system (``source`` and ``reason``
        needed), or no longer (``reason`` needed). Business team only; audited."""
        case = self.get_object()
        services.set_brought_in(actor=request.user, case=case, **validated(BroughtInSerializer, request.data))
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=ChronologyEntrySerializer, responses={201: ChronologyEntrySerializer})
    @action(detail=True, methods=["post"])
    def chronology(self, request, pk=None):
        """Add an entry to the case's chronology."""
        case = self.get_object()
        body = validated(ChronologyEntrySerializer, request.data)
        entry = services.add_chronology_entry(actor=request.user, case=case, **body)
        return Response(ChronologyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
