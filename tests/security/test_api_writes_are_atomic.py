"""Every write through the API is one transaction: a PATCH answered with an error
saves nothing, even when a first service had already saved its part."""

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case, Referral
from publication.models import Publication
from rapid_review.models import AgencyReturn, Attendee, RapidReview, SafetyAction
from reviews.models import Action, Recommendation, Review
from tests.factories import api_authorization, commissioned_review

pytestmark = pytest.mark.django_db

EDITABLE = ["open", "meeting_held", "decided"]

#: Each PATCH operation of the schema: how to find an object of the demo data, and a
#: text field the business manager may change on it.
PATCH_OPERATIONS = {
    "/api/v1/actions/{id}/": (
        lambda: Action.objects.filter(recommendation__review__partnership__code="NCC").exclude(
            status="complete"
        ),
        "description",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/cases/{id}/": (
        lambda: Case.objects.filter(partnership__code="NCC", status="open"),
        "children",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/publications/{id}/": (
        lambda: _preparing_publication(),
        "systemic_analysis",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/rapid-reviews/{id}/": (
        lambda: RapidReview.objects.filter(case__partnership__code="NCC", status__in=EDITABLE),
        "criteria_notes",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/rapid-reviews/{id}/agency-returns/{return_id}/": (
        lambda: AgencyReturn.objects.filter(
            review__case__partnership__code="NCC", review__status__in=EDITABLE
        ),
        "summary",
        lambda o: {"id": o.review_id, "return_id": o.pk},
    ),
    "/api/v1/rapid-reviews/{id}/attendees/{attendee_id}/": (
        lambda: Attendee.objects.filter(
            meeting__review__case__partnership__code="NCC", meeting__review__status__in=EDITABLE
        ),
        "role",
        lambda o: {"id": o.meeting.review_id, "attendee_id": o.pk},
    ),
    "/api/v1/rapid-reviews/{id}/safety-actions/{action_id}/": (
        lambda: SafetyAction.objects.filter(
            review__case__partnership__code="NCC", review__status__in=EDITABLE
        ),
        "owner",
        lambda o: {"id": o.review_id, "action_id": o.pk},
    ),
    "/api/v1/recommendations/{id}/": (
        lambda: (
            Recommendation.objects.filter(review__partnership__code="NCC")
            .exclude(actions__status="complete")
            .distinct()
        ),
        "text",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/referrals/{id}/": (
        lambda: Referral.objects.filter(partnership__code="NCC", status="draft"),
        "concerns_about_agencies",
        lambda o: {"id": o.pk},
    ),
    "/api/v1/reviews/{id}/": (
        lambda: Review.objects.filter(partnership__code="NCC", kind="local_cspr"),
        "methodology",
        lambda o: {"id": o.pk},
    ),
}


def _preparing_publication():
    """A final report not yet published (the demo's are published)."""
    from django.contrib.auth import get_user_model

    from cspr.models import Partnership
    from publication import services
    from tests.factories import pdf_upload

    manager = get_user_model().objects.get(username="manager")
    review = commissioned_review(Partnership.objects.get(code="NCC"), manager)
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=pdf_upload(),
        title="Child T: review",
        summary_of_improvements="Improve",
        reviewer_names="Dr Example",
    )
    return Publication.objects.filter(pk=publication.pk)


NEW = "Changed through the API by the atomic-writes test"


def _body(field):
    """The PATCH body: a case's text is its first child's (the list replaces the children)."""
    if field == "children":
        return {"children": [{"disability": "yes", "disability_kind": NEW[:200]}]}
    return {field: NEW}


def _value(item, field):
    if field == "children":
        return [child.disability_kind for child in item.children.all()]
    return getattr(item, field)


@pytest.fixture
def manager():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="manager")


@pytest.fixture
def api(client, manager):
    client.defaults["HTTP_AUTHORIZATION"] = api_authorization(manager)
    return client


def test_every_patch_operation_of_the_schema_is_covered(api):
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    patched = {path for path, operations in paths.items() if "patch" in operations}
    assert patched == set(PATCH_OPERATIONS)


@pytest.mark.parametrize("template", sorted(PATCH_OPERATIONS))
def test_a_patch_refused_after_its_service_ran_saves_nothing(api, monkeypatch, template):
    objects, field, params = PATCH_OPERATIONS[template]
    item = objects().first()
    assert item is not None, f"the demo data has nothing for {template}"
    url = template.format(**params(item))
    if isinstance(item, Referral):  # only its author changes a referral
        api.defaults["HTTP_AUTHORIZATION"] = api_authorization(item.author)
    before = _value(item, field)

    # A refusal that comes after the service has saved (a later step, a second
    # service): the whole request is rolled back.
    original = APIView.finalize_response

    def refuse(self, request, response, *args, **kwargs):
        if request.method == "PATCH":
            response = Response({"non_field_errors": ["Refused by the test."]}, status=400)
        return original(self, request, response, *args, **kwargs)

    monkeypatch.setattr(APIView, "finalize_response", refuse)
    response = api.patch(url, _body(field), content_type="application/json")
    assert response.status_code == 400
    item.refresh_from_db()
    assert _value(item, field) == before, template

    # The same body without the refusal saves: the field is writable here.
    monkeypatch.setattr(APIView, "finalize_response", original)
    response = api.patch(url, _body(field), content_type="application/json")
    assert response.status_code == 200, (template, response.content[:400])
    item.refresh_from_db()
    assert _value(item, field) == ([NEW] if field == "children" else NEW)


def test_a_review_patch_with_one_refused_field_saves_none(api, manager):
    from cspr.models import Partnership

    review = commissioned_review(
        Partnership.objects.get(code="NCC"), manager, decided_on=dt.date(2026, 1, 20)
    )
    response = api.patch(
        f"/api/v1/reviews/{review.pk}/",
        {"scope": NEW, "panel_liaison_contact": "Only for a national review"},
        content_type="application/json",
    )
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.scope != NEW
