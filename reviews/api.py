"""REST API of the reviews app: the same selectors and services as the pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Case
from cases.selectors import cases_visible_to
from cspr.api import FilterSet, IdFilter, validated
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
            "commissioned_on",
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
            "commissioned_on",
            "started_on",
            "final_report_received_on",
            "completed_on",
        ]


def commissioned_on_field() -> serializers.DateField:
    return serializers.DateField(
        required=False, help_text="The day the review was commissioned (today when left out)."
    )


class CommissionSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    kind = serializers.ChoiceField(choices=Review.Kind.choices)
    method = serializers.ChoiceField(choices=Review.Method.choices, required=False, allow_blank=True)
    decided_on = serializers.DateField()
    commissioned_on = commissioned_on_field()

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
    commissioned_on = commissioned_on_field()


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


class ReviewFilter(FilterSet):
    class Meta:
        model = Review
        fields = ["status", "kind", "partnership", "case"]


def _user(pk):
    if pk is None:
        return None
    return get_object_or_404(get_user_model(), pk=pk)


def _part_id(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


#: DELETE of a part of the review: 204 when removed (and audited); 400 with the reason
#: in JSON when refused (a record of a completed review).
REMOVED = {204: OpenApiResponse(description="Removed (and audited).")}

#: How each part of a review is found and removed (its access function, its service).
TEAM_MEMBER = {
    "access": selectors.access_team_member,
    "service": services.remove_team_member,
    "kwarg": "member",
}
LEAD_REVIEWER = {
    "access": selectors.access_lead_reviewer,
    "service": services.remove_lead_reviewer,
    "kwarg": "lead",
}
EVENT = {
    "access": selectors.access_practitioner_event,
    "service": services.remove_practitioner_event,
    "kwarg": "event",
}
FAMILY_INVOLVEMENT = {
    "access": selectors.access_family_involvement,
    "service": services.remove_family_involvement,
    "kwarg": "entry",
}
INFORMATION_REQUEST = {
    "access": selectors.access_information_request,
    "service": services.remove_information_request,
    "kwarg": "request",
}


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
            .prefetch_related(
                "lead_reviewers__user",
                "team_members",
                "events__agencies",
                "family_involvement",
                "information_requests",
            )
            .order_by("-decided_on", "-id")
        )

    def get_object(self):
        """The review of the address, through the same access function as its page."""
        review = selectors.access_review(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, review)
        return review

    def _out(self, review, code=status.HTTP_200_OK):
        return Response(ReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        """The review with its team and record (the view is audited)."""
        return self._out(selectors.access_review(request.user, kwargs["pk"], record_view=True))

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
            commissioned_on=data.get("commissioned_on"),
        )
        return self._out(review, status.HTTP_201_CREATED)

    @extend_schema(request=ProgressSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        review = self.get_object()
        services.record_progress(
            review=review, actor=request.user, **validated(ProgressSerializer, request.data)
        )
        return self._out(review)

    @extend_schema(request=AddTeamMemberSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="team-members")
    def team_members(self, request, pk=None):
        review = self.get_object()
        data = validated(AddTeamMemberSerializer, request.data)
        agency = get_object_or_404(Agency, pk=data["agency"], partnership_id=review.partnership_id)
        services.add_team_member(
            review=review,
            actor=request.user,
            user=_user(data["user"]),
            agency=agency,
            role_on_team=data.get("role_on_team", ""),
        )
        return self._out(review, status.HTTP_201_CREATED)

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

    # -- removing a person, or a record added by mistake (400 once the review is
    # completed, for a record): DELETE on the sub-resource. The ``POST .../remove-...``
    # actions that came first stay as deprecated aliases (200 with the review). ------

    def _remove(self, request, pk, record_id, *, access, service, kwarg):
        """Remove one part of the review found by its ``access_*`` selector (404 for a
        part of another review, or of a review the user may not see)."""
        record = access(request.user, pk, record_id)
        service(actor=request.user, **{kwarg: record})
        return record.review

    def _removed(self, request, pk, record_id, **how):
        self._remove(request, pk, record_id, **how)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _removed_by_alias(self, request, pk, **how):
        review = self.get_object()
        data = validated(RemoveSerializer, request.data)
        self._remove(request, review.pk, data["id"], **how)
        return self._out(review)

    @extend_schema(parameters=[_part_id("member_id", "Team member id")], request=None, responses=REMOVED)
    @action(detail=True, methods=["delete"], url_path=r"team-members/(?P<member_id>\d+)")
    def team_member(self, request, pk=None, member_id=None):
        """Remove a member of the review team (their access to the review goes with it)."""
        return self._removed(request, pk, member_id, **TEAM_MEMBER)

    @extend_schema(parameters=[_part_id("lead_id", "Lead reviewer id")], request=None, responses=REMOVED)
    @action(detail=True, methods=["delete"], url_path=r"lead-reviewers/(?P<lead_id>\d+)")
    def lead_reviewer(self, request, pk=None, lead_id=None):
        """Remove a lead reviewer (their access to the review goes with it)."""
        return self._removed(request, pk, lead_id, **LEAD_REVIEWER)

    @extend_schema(
        parameters=[_part_id("event_id", "Practitioner event id")], request=None, responses=REMOVED
    )
    @action(detail=True, methods=["delete"], url_path=r"events/(?P<event_id>\d+)")
    def event(self, request, pk=None, event_id=None):
        """Remove a practitioner event added by mistake (400 once the review is completed)."""
        return self._removed(request, pk, event_id, **EVENT)

    @extend_schema(
        parameters=[_part_id("family_involvement_id", "Family involvement entry id")],
        request=None,
        responses=REMOVED,
    )
    @action(detail=True, methods=["delete"], url_path=r"family-involvement/(?P<family_involvement_id>\d+)")
    def family_involvement_entry(self, request, pk=None, family_involvement_id=None):
        """Remove a family involvement entry added by mistake (400 once the review is
        completed)."""
        return self._removed(request, pk, family_involvement_id, **FAMILY_INVOLVEMENT)

    @extend_schema(
        parameters=[_part_id("request_id", "Written (reg 14) request id")], request=None, responses=REMOVED
    )
    @action(detail=True, methods=["delete"], url_path=r"information-requests/(?P<request_id>\d+)")
    def information_request(self, request, pk=None, request_id=None):
        """Remove a written (reg 14) request added by mistake (400 once the review is
        completed)."""
        return self._removed(request, pk, request_id, **INFORMATION_REQUEST)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer, deprecated=True)
    @action(detail=True, methods=["post"], url_path="remove-team-member")
    def remove_team_member(self, request, pk=None):
        """Deprecated: use DELETE /reviews/{id}/team-members/{member_id}/."""
        return self._removed_by_alias(request, pk, **TEAM_MEMBER)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer, deprecated=True)
    @action(detail=True, methods=["post"], url_path="remove-lead-reviewer")
    def remove_lead_reviewer(self, request, pk=None):
        """Deprecated: use DELETE /reviews/{id}/lead-reviewers/{lead_id}/."""
        return self._removed_by_alias(request, pk, **LEAD_REVIEWER)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer, deprecated=True)
    @action(detail=True, methods=["post"], url_path="remove-practitioner-event")
    def remove_practitioner_event(self, request, pk=None):
        """Deprecated: use DELETE /reviews/{id}/events/{event_id}/."""
        return self._removed_by_alias(request, pk, **EVENT)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer, deprecated=True)
    @action(detail=True, methods=["post"], url_path="remove-family-involvement")
    def remove_family_involvement(self, request, pk=None):
        """Deprecated: use DELETE /reviews/{id}/family-involvement/{family_involvement_id}/."""
        return self._removed_by_alias(request, pk, **FAMILY_INVOLVEMENT)

    @extend_schema(request=RemoveSerializer, responses=ReviewSerializer, deprecated=True)
    @action(detail=True, methods=["post"], url_path="remove-information-request")
    def remove_information_request(self, request, pk=None):
        """Deprecated: use DELETE /reviews/{id}/information-requests/{request_id}/."""
        return self._removed_by_alias(request, pk, **INFORMATION_REQUEST)


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


class RecommendationChangeSerializer(serializers.Serializer):
    """What PATCH on a recommendation may change (any of them)."""

    text = serializers.CharField(required=False, allow_blank=True)
    target_date = serializers.DateField(required=False)
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Agency.objects.all(), help_text="Agencies of the partnership."
    )


class RecommendationFilter(FilterSet):
    class Meta:
        model = Recommendation
        fields = ["review"]


class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Recommendations with their actions nested. PATCH changes the text, target date
    or agencies; DELETE removes one with its actions (their clocks waived). Both are
    refused (400) once its actions are completed."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.recommendations_visible_to(self.request.user).order_by("review_id", "number")

    def get_object(self):
        """The recommendation of the address, through the same access function as its page."""
        recommendation = selectors.access_recommendation(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, recommendation)
        return recommendation

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

    def _out(self, recommendation):
        fresh = self.get_queryset().get(pk=recommendation.pk)
        return Response(RecommendationSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=RecommendationChangeSerializer, responses=RecommendationSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the recommendation (audited with each field's old and new value)."""
        recommendation = self.get_object()
        data = validated(RecommendationChangeSerializer, request.data)
        services.change_recommendation(recommendation=recommendation, actor=request.user, **data)
        return self._out(recommendation)

    @extend_schema(request=None, responses=REMOVED)
    def destroy(self, request, *args, **kwargs):
        """Remove a recommendation added by mistake, with its actions."""
        services.remove_recommendation(recommendation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionFilter(FilterSet):
    review = IdFilter(field_name="recommendation__review")

    class Meta:
        model = Action
        fields = ["recommendation", "status", "review"]


class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Actions of the action plan. PATCH changes status, description, due date (the
    clock moves with it), owner; a completed action's content is refused (400) until
    its status changes back. DELETE removes one added by mistake (its clock waived;
    400 once completed). POST ``updates`` adds a progress update."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.actions_visible_to(self.request.user).order_by("due_date", "id")

    def get_object(self):
        """The action of the address, through the same access function as its page."""
        action_obj = selectors.access_action(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, action_obj)
        return action_obj

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
        status_given = "status" in data or "completed_on" in data
        service = services.update_action if status_given else services.change_action
        serializer.instance = service(action=serializer.instance, actor=self.request.user, **data)

    @extend_schema(request=None, responses=REMOVED)
    def destroy(self, request, *args, **kwargs):
        """Remove an action added by mistake (its progress updates go with it)."""
        services.remove_action(action=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionUpdateSerializer)
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        action_obj = self.get_object()
        data = validated(ActionUpdateSerializer, request.data)
        update = services.add_action_update(action=action_obj, actor=request.user, **data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
