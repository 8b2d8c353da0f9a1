"""REST API of rapid reviews: ``/api/v1/rapid-reviews/``.

The queryset is the selector; every write calls the same service as the pages,
so the API refuses the same things with the same words (400 JSON, through
``cspr.api.exception_handler``).
"""

from __future__ import annotations

import django_filters
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from cases.models import OtherProcess
from cases.selectors import access_case
from cspr.api import FilterSet, IdFilter, validated
from cspr.models import Agency

from . import pdf, services
from .models import AgencyReturn, Attendee, RapidReview, RapidReviewMeeting, SafetyAction
from .selectors import (
    access_agency_return,
    access_attendee,
    access_meeting,
    access_rapid_review,
    access_safety_action,
    can_export_pdf,
    rapid_reviews_visible_to,
    with_parts,
)

# -- serializers ----------------------------------------------------------------------


class AttendeeSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Attendee
        fields = ["id", "meeting", "name", "agency", "agency_name", "role"]
        read_only_fields = ["id"]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)

    class Meta:
        model = RapidReviewMeeting
        fields = ["id", "date", "attendees"]
        read_only_fields = ["id", "attendees"]


class AgencyReturnSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = AgencyReturn
        fields = ["id", "agency", "agency_name", "requested_on", "received_on", "summary"]
        read_only_fields = ["id"]


class SafetyActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyAction
        fields = ["id", "action", "owner", "due_on", "done_on"]
        read_only_fields = ["id"]


EDITABLE = RapidReview.ANALYSIS_FIELDS + RapidReview.CRITERIA_FIELDS + RapidReview.SIGN_OFF_FIELDS


class RapidReviewSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    partnership = serializers.IntegerField(source="case.partnership_id", read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    deadline_status = serializers.CharField(read_only=True, allow_null=True)
    other_processes = serializers.ListField(
        child=serializers.ChoiceField(choices=OtherProcess.choices), required=False
    )

    class Meta:
        model = RapidReview
        fields = [
            "id",
            "case",
            "case_reference",
            "partnership",
            "status",
            "anchor",
            "anchor_date",
            "due_date",
            "deadline_status",
            *EDITABLE,
            "decision",
            "decision_rationale",
            "national_review_may_be_appropriate",
            "national_review_reasons",
            "criteria_departure_reasons",
            "decision_pending",
            "decision_expected_on",
            "decided_on",
            "decided_by",
            "decision_shared_with",
            "decision_shared_on",
            "submitted_on",
            "panel_response",
            "panel_responded_on",
            "panel_response_text",
            "panel_response_working_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [name for name in fields if name not in EDITABLE]


class RapidReviewDetailSerializer(RapidReviewSerializer):
    meetings = MeetingSerializer(many=True, read_only=True)
    agency_returns = AgencyReturnSerializer(many=True, read_only=True)
    safety_actions = SafetyActionSerializer(many=True, read_only=True)

    class Meta(RapidReviewSerializer.Meta):
        fields = [*RapidReviewSerializer.Meta.fields, "meetings", "agency_returns", "safety_actions"]


class OpenSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="Id of a notified case.")


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=RapidReview.Decision.choices, required=False, allow_blank=True, default=""
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    national_review_may_be_appropriate = serializers.BooleanField(required=False, default=False)
    national_review_reasons = serializers.CharField(required=False, allow_blank=True, default="")
    criteria_departure_reasons = serializers.CharField(required=False, allow_blank=True, default="")
    pending = serializers.BooleanField(required=False, default=False)
    expected_on = serializers.DateField(required=False, allow_null=True, default=None)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)


class ShareSerializer(serializers.Serializer):
    shared_with = serializers.CharField()
    shared_on = serializers.DateField()


class SubmitSerializer(serializers.Serializer):
    sent_on = serializers.DateField()


class PanelResponseSerializer(serializers.Serializer):
    panel_response = serializers.ChoiceField(choices=RapidReview.PanelResponse.choices)
    responded_on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingInputSerializer(serializers.Serializer):
    date = serializers.DateField()


class AttendeeInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    agency = serializers.IntegerField(required=False, allow_null=True, default=None)
    role = serializers.CharField(max_length=200)


class AttendeeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    agency = serializers.IntegerField(required=False, allow_null=True, default=None)
    role = serializers.CharField(max_length=200)


class AgencyReturnInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    requested_on = serializers.DateField()
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class AgencyReturnUpdateSerializer(serializers.Serializer):
    requested_on = serializers.DateField()
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class SafetyActionInputSerializer(serializers.Serializer):
    action = serializers.CharField()
    owner = serializers.CharField(max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors still go out as JSON
    (``RapidReviewViewSet.finalize_response``)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


# -- filters --------------------------------------------------------------------------


class RapidReviewFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=RapidReview.Status.choices)
    partnership = IdFilter(field_name="case__partnership_id")
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before this date"
    )

    class Meta:
        model = RapidReview
        fields = ["status", "partnership", "due_before"]


# -- the viewset ----------------------------------------------------------------------

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Rapid review id")
#: DELETE of a nested record: 204 when removed (and audited); 400 with the reason in
#: JSON when refused (sent to the Panel, or the record must stay).
REMOVED = {204: OpenApiResponse(description="Removed (and audited).")}


class RapidReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rapid reviews of notified cases, with their 15-working-day clock."""

    filterset_class = RapidReviewFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no query
            return RapidReview.objects.none()
        queryset = rapid_reviews_visible_to(self.request.user)
        return queryset if self.action == "list" else with_parts(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return RapidReviewSerializer
        return RapidReviewDetailSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        """An error of the PDF download is JSON (``application/json``), whatever the
        client accepted: the PDF itself is the only binary answer."""
        if (
            isinstance(response, Response)
            and getattr(request, "accepted_media_type", "") == "application/pdf"
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def get_object(self):
        """The rapid review of the address, through the same access function as its page."""
        review = access_rapid_review(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, review)
        return review

    def retrieve(self, request, *args, **kwargs):
        """The rapid review with its meetings, returns and actions (the view is audited)."""
        review = access_rapid_review(request.user, kwargs["pk"], record_view=True)
        return Response(RapidReviewDetailSerializer(review).data)

    def _detail(self, review, code=status.HTTP_200_OK):
        review = self.get_queryset().get(pk=review.pk)
        return Response(RapidReviewDetailSerializer(review).data, status=code)

    @extend_schema(request=OpenSerializer, responses={201: RapidReviewDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Open the rapid review of a notified case (starts the 15-working-day clock)."""
        data = validated(OpenSerializer, request.data)
        case = access_case(request.user, data["case"])
        review = services.open_rapid_review(case=case, actor=request.user)
        return self._detail(review, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """Change the analysis, criteria or sign-off (PATCH; refused once sent)."""
        review = self.get_object()
        serializer = RapidReviewSerializer(review, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_rapid_review(review=review, actor=request.user, **serializer.validated_data)
        return self._detail(review)

    # -- parts ----------------------------------------------------------------------

    def _agency(self, review, agency_id):
        if agency_id is None:
            return None
        agency = Agency.objects.filter(pk=agency_id, partnership_id=review.case.partnership_id).first()
        if agency is None:
            raise serializers.ValidationError({"agency": ["Choose an agency of this partnership."]})
        return agency

    @extend_schema(methods=["GET"], parameters=[ID], responses=MeetingSerializer(many=True))
    @extend_schema(
        methods=["POST"], parameters=[ID], request=MeetingInputSerializer, responses={201: MeetingSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def meetings(self, request, pk=None):
        review = self.get_object()
        if request.method == "GET":
            return Response(MeetingSerializer(review.meetings.all(), many=True).data)
        data = validated(MeetingInputSerializer, request.data)
        meeting = services.add_meeting(review=review, actor=request.user, **data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], parameters=[ID], responses=AttendeeSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        parameters=[ID],
        request=AttendeeInputSerializer,
        responses={201: AttendeeSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def attendees(self, request, pk=None):
        review = self.get_object()
        if request.method == "GET":
            people = [person for meeting in review.meetings.all() for person in meeting.attendees.all()]
            return Response(AttendeeSerializer(people, many=True).data)
        data = validated(AttendeeInputSerializer, request.data)
        values = dict(data)
        try:
            meeting = access_meeting(request.user, review.pk, values.pop("meeting"))
        except Http404:
            raise serializers.ValidationError(
                {"meeting": ["Choose a meeting of this rapid review."]}
            ) from None
        values["agency"] = self._agency(review, values.get("agency"))
        attendee = services.add_attendee(review=review, actor=request.user, meeting=meeting, **values)
        return Response(AttendeeSerializer(attendee).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ID, OpenApiParameter("meeting_id", int, OpenApiParameter.PATH)],
        request=None,
        responses=REMOVED,
    )
    @action(detail=True, methods=["delete"], url_path=r"meetings/(?P<meeting_id>\d+)")
    def meeting(self, request, pk=None, meeting_id=None):
        """Remove a meeting added by mistake, and its attendees with it (400 once the
        rapid review was sent to the Panel, or for the last held meeting with attendees
        of a review whose meeting is recorded as held)."""
        item = access_meeting(request.user, pk, meeting_id)
        services.remove_meeting(actor=request.user, meeting=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["PATCH"],
        parameters=[ID, OpenApiParameter("attendee_id", int, OpenApiParameter.PATH)],
        request=AttendeeUpdateSerializer,
        responses=AttendeeSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ID, OpenApiParameter("attendee_id", int, OpenApiParameter.PATH)],
        request=None,
        responses=REMOVED,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"attendees/(?P<attendee_id>\d+)")
    def attendee(self, request, pk=None, attendee_id=None):
        """PATCH corrects an attendee's name, role or agency; DELETE removes one added by
        mistake (400 once the rapid review was sent to the Panel, or for the last
        attendee of a held meeting once it is recorded as held)."""
        item = access_attendee(request.user, pk, attendee_id)
        review = item.meeting.review
        if request.method == "DELETE":
            services.remove_attendee(actor=request.user, attendee=item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = validated(
            AttendeeUpdateSerializer,
            {
                "name": item.name,
                "role": item.role,
                "agency": item.agency_id,
                **request.data,
            },
        )
        values = dict(data)
        values["agency"] = self._agency(review, values.get("agency"))
        item = services.update_attendee(attendee=item, actor=request.user, **values)
        return Response(AttendeeSerializer(item).data)

    @extend_schema(methods=["GET"], parameters=[ID], responses=AgencyReturnSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        parameters=[ID],
        request=AgencyReturnInputSerializer,
        responses={201: AgencyReturnSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        url_path="agency-returns",
    )
    def agency_returns(self, request, pk=None):
        review = self.get_object()
        if request.method == "GET":
            return Response(AgencyReturnSerializer(review.agency_returns.all(), many=True).data)
        data = validated(AgencyReturnInputSerializer, request.data)
        values = dict(data)
        values["agency"] = self._agency(review, values["agency"])
        item = services.add_agency_return(review=review, actor=request.user, **values)
        return Response(AgencyReturnSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[ID, OpenApiParameter("return_id", int, OpenApiParameter.PATH)],
        request=AgencyReturnUpdateSerializer,
        responses=AgencyReturnSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ID, OpenApiParameter("return_id", int, OpenApiParameter.PATH)],
        request=None,
        responses=REMOVED,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"agency-returns/(?P<return_id>\d+)")
    def agency_return(self, request, pk=None, return_id=None):
        """PATCH changes an agency return; DELETE removes one added by mistake (400 once
        the rapid review was sent to the Panel)."""
        item = access_agency_return(request.user, pk, return_id)
        if request.method == "DELETE":
            services.remove_agency_return(actor=request.user, agency_return=item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = validated(
            AgencyReturnUpdateSerializer,
            {
                "requested_on": item.requested_on,
                "received_on": item.received_on,
                "summary": item.summary,
                **request.data,
            },
        )
        item = services.update_agency_return(agency_return=item, actor=request.user, **data)
        return Response(AgencyReturnSerializer(item).data)

    @extend_schema(methods=["GET"], parameters=[ID], responses=SafetyActionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        parameters=[ID],
        request=SafetyActionInputSerializer,
        responses={201: SafetyActionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        url_path="safety-actions",
    )
    def safety_actions(self, request, pk=None):
        review = self.get_object()
        if request.method == "GET":
            return Response(SafetyActionSerializer(review.safety_actions.all(), many=True).data)
        data = validated(SafetyActionInputSerializer, request.data)
        item = services.add_safety_action(review=review, actor=request.user, **data)
        return Response(SafetyActionSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[ID, OpenApiParameter("action_id", int, OpenApiParameter.PATH)],
        request=SafetyActionInputSerializer,
        responses=SafetyActionSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ID, OpenApiParameter("action_id", int, OpenApiParameter.PATH)],
        request=None,
        responses=REMOVED,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"safety-actions/(?P<action_id>\d+)")
    def safety_action(self, request, pk=None, action_id=None):
        """PATCH changes an immediate action; DELETE removes one added by mistake (400
        once the rapid review was sent to the Panel)."""
        item = access_safety_action(request.user, pk, action_id)
        if request.method == "DELETE":
            services.remove_safety_action(actor=request.user, safety_action=item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = validated(
            SafetyActionInputSerializer,
            {
                "action": item.action,
                "owner": item.owner,
                "due_on": item.due_on,
                "done_on": item.done_on,
                **request.data,
            },
        )
        item = services.update_safety_action(safety_action=item, actor=request.user, **data)
        return Response(SafetyActionSerializer(item).data)

    # -- transitions ----------------------------------------------------------------

    @extend_schema(request=None, responses=RapidReviewDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-meeting")
    def record_meeting(self, request, pk=None):
        """open -> meeting held (a meeting has taken place and its attendees are recorded)."""
        review = services.mark_meeting_held(review=self.get_object(), actor=request.user)
        return self._detail(review)

    @extend_schema(request=DecisionSerializer, responses=RapidReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """meeting held -> decided (a partner lead; or the decision is pending)."""
        review = self.get_object()
        data = validated(DecisionSerializer, request.data)
        review = services.record_decision(review=review, actor=request.user, **data)
        return self._detail(review)

    @extend_schema(request=ShareSerializer, responses=RapidReviewDetailSerializer)
    @action(detail=True, methods=["post"], url_path="share-decision")
    def share_decision(self, request, pk=None):
        review = self.get_object()
        data = validated(ShareSerializer, request.data)
        review = services.record_decision_shared(review=review, actor=request.user, **data)
        return self._detail(review)

    @extend_schema(request=SubmitSerializer, responses=RapidReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """decided -> sent to the Panel (meets the 15-working-day clock)."""
        review = self.get_object()
        data = validated(SubmitSerializer, request.data)
        review = services.submit_to_panel(review=review, actor=request.user, **data)
        return self._detail(review)

    @extend_schema(request=PanelResponseSerializer, responses=RapidReviewDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-panel-response")
    def record_panel_response(self, request, pk=None):
        """sent -> Panel responded."""
        review = self.get_object()
        data = validated(PanelResponseSerializer, request.data)
        values = dict(data)
        values["response"] = values.pop("panel_response")
        review = services.record_panel_response(review=review, actor=request.user, **values)
        return self._detail(review)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The rapid review PDF")
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        """The rapid review report for the National Panel (audited download)."""
        review = self.get_object()
        if not can_export_pdf(request.user, review):
            raise PermissionDenied(
                "Only a business manager, partner lead or the panel liaison "
                "added to the case can download the rapid review PDF."
            )
        content, name = pdf.download(review, actor=request.user)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
