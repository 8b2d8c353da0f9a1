"""REST API of the reviews app: the same selectors and services as the pages."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Case
from cases.selectors import cases_visible_to
from cspr.api import validated
from cspr.models import Agency
from rapid_review.selectors import access_rapid_review

from . import selectors, services
from .models import (
    Action,
    ActionUpdate,
    FamilyInvolvement,
    InformationRequest,
    LeadReviewer,
    PractitionerEvent,
    Recommendation,
    Review,
    TeamMember,
)


class LeadReviewerSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = LeadReviewer
        fields = ["id", "user", "name", "organisation", "display_name"]


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "user", "agency", "role_on_team"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PractitionerEvent
        fields = ["id", "date", "agencies", "attendee_count", "notes"]


class FamilyInvolvementSerializer(serializers.ModelSerializer):
    class Meta:
        model = FamilyInvolvement
        fields = ["id", "family_role", "invited_on", "met_on", "declined_on"]


class Reg14RequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = ["id", "requested_on", "what", "detail", "answered_on"]


class ReviewSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    lead_reviewers = LeadReviewerSerializer(many=True, read_only=True)
    team_members = TeamMemberSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    family_involvement = FamilyInvolvementSerializer(many=True, read_only=True)
    information_requests = Reg14RequestSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "case",
            "case_reference",
            "partnership",
            "kind",
            "method",
            "status",
            "decided_on",
            "scope",
            "period_from",
            "period_to",
            "key_lines_of_enquiry",
            "methodology",
            "findings",
            "started_on",
            "final_report_received_on",
            "completed_on",
            "panel_decision_on",
            "panel_decision",
            "panel_liaison_contact",
            "local_contribution",
            "national_report_published_on",
            "national_report_url",
            "lead_reviewers",
            "team_members",
            "events",
            "family_involvement",
            "information_requests",
        ]
        read_only_fields = [
            "partnership",
            "status",
            "started_on",
            "final_report_received_on",
            "completed_on",
        ]


class CommissionSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    kind = serializers.ChoiceField(choices=Review.Kind.choices)
    method = serializers.ChoiceField(choices=Review.Method.choices, required=False, allow_blank=True)
    decided_on = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = cases_visible_to(request.user)


class FromRapidReviewSerializer(serializers.Serializer):
    rapid_review = serializers.IntegerField(help_text="Id of the decided rapid review.")
    method = serializers.ChoiceField(
        choices=Review.Method.choices,
        required=False,
        allow_blank=True,
        help_text="Only for another learning review: its method.",
    )


class ProgressSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["start", "final_report_received", "complete"])
    on = serializers.DateField()


class AddTeamMemberSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    agency = serializers.IntegerField()
    role_on_team = serializers.CharField(required=False, allow_blank=True)


class AddLeadReviewerSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True)
    organisation = serializers.CharField(required=False, allow_blank=True)


class RemoveSerializer(serializers.Serializer):
    id = serializers.IntegerField()


class ReviewFilter(django_filters.FilterSet):
    class Meta:
        model = Review
        fields = ["status", "kind", "partnership", "case"]


def _user(pk):
    from django.contrib.auth import get_user_model

    if pk is None:
        return None
    return get_object_or_404(get_user_model(), pk=pk)


class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reviews you can see. POST commissions one; PATCH changes its terms of
    reference, findings or national-review details."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        return (
            selectors.reviews_visible_to(self.request.user)
            .prefetch_related("lead_reviewers__user", "team_members", "events__agencies",
                              "family_involvement", "information_requests")
            .order_by("-decided_on", "-id")
        )

    def _out(self, review, code=status.HTTP_200_OK):
        return Response(ReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=code)

    @extend_schema(request=CommissionSerializer, responses=ReviewSerializer)
    def create(self, request, *args, **kwargs):
        data = validated(CommissionSerializer, request.data, context={"request": request})
        review = services.commission_review(actor=request.user, **data)
        return self._out(review, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        review = self.get_object()
        serializer = self.get_serializer(review, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {
            k: v
            for k, v in serializer.validated_data.items()
            if k not in ("case", "kind", "method", "decided_on")
        }
        terms = {k: v for k, v in values.items() if k in services.TERMS_FIELDS}
        national = {k: v for k, v in values.items() if k in services.NATIONAL_FIELDS}
        if terms:
            services.update_terms_of_reference(review=review, actor=request.user, **terms)
        if "findings" in values:
            services.record_findings(review=review, actor=request.user, findings=values["findings"])
        if national:
            services.update_national_review(review=review, actor=request.user, **national)
        return self._out(review)

    @extend_schema(request=FromRapidReviewSerializer, responses={201: ReviewSerializer})
    @action(detail=False, methods=["post"], url_path="from-rapid-review")
    def from_rapid_review(self, request):
        """Commission the review a decided rapid review calls for: its kind and date
        come from the decision (or the Panel's response); refused twice."""
        data = validated(FromRapidReviewSerializer, request.data)
        rapid_review = access_rapid_review(request.user, data["rapid_review"], parts=False)
        review = services.commission_review_from_rapid_review(
            rapid_review=rapid_review,
            actor=request.user,
            method=data.get("method", ""),
        )
        return self._out(review, status.HTTP_201_CREATED)

    @extend_schema(request=ProgressSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        review = self.get_object()
        services.record_progress(review=review, actor=request.user,
                                 **validated(ProgressSerializer, request.data))
        return self._out(review)

    @extend_schema(request=AddTeamMemberSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="team-members")
    def team_members(self, request, pk=None):
        review = self.get_object()
        data = validated(AddTeamMemberSerializer, request.data)
        agency = get_object_or_404(
            Agency, pk=data["agency"], partnership_id=review.partnership_id
        )
        services.add_team_member(
            review=review,
            actor=request.user,
            user=_user(data["user"]),
            agency=agency,
            role_on_team=data.get("role_on_team", ""),
        )
        return self._out(review, status.HTTP_201_CREATED)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="remove-team-member")
    def remove_team_member(self, request, pk=None):
        return self._remove(request, TeamMember, services.remove_team_member, "member")

    @extend_schema(request=AddLeadReviewerSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="lead-reviewers")
    def lead_reviewers(self, request, pk=None):
        review = self.get_object()
        data = validated(AddLeadReviewerSerializer, request.data)
        services.add_lead_reviewer(
            review=review,
            actor=request.user,
            user=_user(data.get("user")),
            name=data.get("name", ""),
            organisation=data.get("organisation", ""),
        )
        return self._out(review, status.HTTP_201_CREATED)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="remove-lead-reviewer")
    def remove_lead_reviewer(self, request, pk=None):
        return self._remove(request, LeadReviewer, services.remove_lead_reviewer, "lead")

    # -- removing a person, or a record added by mistake (400 once the review is
    # completed, for a record) ------------------------------------------------------

    def _remove(self, request, model, service, kwarg):
        review = self.get_object()
        data = validated(RemoveSerializer, request.data)
        record = get_object_or_404(model, pk=data["id"], review=review)
        service(actor=request.user, **{kwarg: record})
        return self._out(review)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="remove-practitioner-event")
    def remove_practitioner_event(self, request, pk=None):
        return self._remove(request, PractitionerEvent, services.remove_practitioner_event, "event")

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="remove-family-involvement")
    def remove_family_involvement(self, request, pk=None):
        return self._remove(request, FamilyInvolvement, services.remove_family_involvement, "entry")

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="remove-information-request")
    def remove_information_request(self, request, pk=None):
        return self._remove(request, InformationRequest, services.remove_information_request,
                            "request")


class ActionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = ["id", "date", "note", "author"]
        read_only_fields = ["author"]


class ActionSerializer(serializers.ModelSerializer):
    current_status = serializers.CharField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "recommendation",
            "description",
            "owner_user",
            "owner_role",
            "owner_agency",
            "due_date",
            "status",
            "current_status",
            "evidence_of_impact",
            "completed_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "recommendation" in self.fields:
            self.fields["recommendation"].queryset = selectors.recommendations_visible_to(request.user)


class RecommendationSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "review", "number", "text", "agencies", "target_date", "actions"]
        extra_kwargs = {"number": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["review"].queryset = selectors.reviews_visible_to(request.user)
        self.fields["agencies"].queryset = Agency.objects.all()
        self.fields["agencies"].required = False

    def validate(self, attrs):  # the numbering rule lives in the service
        return attrs

    def get_validators(self):
        return []


class RecommendationFilter(django_filters.FilterSet):
    class Meta:
        model = Recommendation
        fields = ["review"]


class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Recommendations with their actions nested."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return selectors.recommendations_visible_to(self.request.user).order_by("review_id", "number")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.add_recommendation(
            review=data["review"],
            actor=self.request.user,
            text=data["text"],
            target_date=data["target_date"],
            agencies=data.get("agencies", []),
            number=data.get("number"),
        )


class ActionFilter(django_filters.FilterSet):
    review = django_filters.NumberFilter(field_name="recommendation__review")

    class Meta:
        model = Action
        fields = ["recommendation", "status", "review"]


class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Actions of the action plan. PATCH changes status, due date, owner; POST
    ``updates`` adds a progress update."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.actions_visible_to(self.request.user).order_by("due_date", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        recommendation = data.pop("recommendation")
        data.pop("status", None)
        data.pop("completed_on", None)
        serializer.instance = services.add_action(
            recommendation=recommendation, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if (
            data.pop("recommendation", serializer.instance.recommendation)
            != serializer.instance.recommendation
        ):
            raise PermissionDenied("An action cannot move to another recommendation.")
        serializer.instance = services.update_action(
            action=serializer.instance, actor=self.request.user, **data
        )

    @extend_schema(request=ActionUpdateSerializer, responses=ActionUpdateSerializer)
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        action_obj = self.get_object()
        data = validated(ActionUpdateSerializer, request.data)
        update = services.add_action_update(action=action_obj, actor=request.user, **data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
