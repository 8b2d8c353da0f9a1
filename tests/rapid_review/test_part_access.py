"""Each part of a rapid review (meeting, attendee, agency return, immediate action)
has one way in, its ``access_*`` selector, for its pages and the API alike: a part
of another rapid review, or of another partnership's, is not found under this one
(404 through both), and nothing is changed."""

import pytest
from django.http import Http404
from django.urls import reverse

from rapid_review import selectors, services
from rapid_review.models import AgencyReturn, Attendee, RapidReviewMeeting, SafetyAction
from tests.factories import AgencyFactory, CaseFactory, SeriousIncidentNotificationFactory, log_in

from .conftest import D
from .test_removals import open_review_with_records

pytestmark = pytest.mark.django_db

#: kind -> (its access function, its model, its pages, its API route, a valid PATCH body)
KINDS = {
    "meeting": (selectors.access_meeting, RapidReviewMeeting, ["meeting-remove"], "meeting", None),
    "attendee": (
        selectors.access_attendee,
        Attendee,
        ["attendee-edit", "attendee-remove"],
        "attendee",
        {"name": "Changed", "role": "Changed"},
    ),
    "agency_return": (
        selectors.access_agency_return,
        AgencyReturn,
        ["return-edit", "return-remove"],
        "agency-return",
        {"requested_on": "2026-04-03", "summary": "Changed"},
    ),
    "safety_action": (
        selectors.access_safety_action,
        SafetyAction,
        ["action-edit", "action-remove"],
        "safety-action",
        {"action": "Changed", "owner": "Changed"},
    ),
}


def part_of(review, kind):
    return {
        "meeting": lambda: review.meetings.order_by("date").first(),
        "attendee": lambda: Attendee.objects.filter(meeting__review=review).order_by("pk").first(),
        "agency_return": lambda: review.agency_returns.order_by("pk").first(),
        "safety_action": lambda: review.safety_actions.order_by("pk").first(),
    }[kind]()


def review_with_records_for(world, partnership, actor, reference):
    """A second rapid review (of ``partnership``) with one part of each kind."""
    case = CaseFactory(partnership=partnership, reference=reference)
    SeriousIncidentNotificationFactory(case=case)
    review = services.open_rapid_review(case=case, actor=actor)
    meeting = services.add_meeting(review=review, actor=actor, date=D(2026, 4, 10))
    services.add_attendee(review=review, actor=actor, meeting=meeting, name="Kim Other", role="Social worker")
    agency = partnership.agencies.first() or AgencyFactory(partnership=partnership)
    services.add_agency_return(review=review, actor=actor, agency=agency, requested_on=D(2026, 4, 3))
    services.add_safety_action(review=review, actor=actor, action="Elsewhere", owner="Someone")
    return review


def assert_not_found_through_pages_and_api(client, kind, address_review, part):
    _access, model, pages, route, patch = KINDS[kind]
    for page in pages:
        url = reverse(f"rapid_review:{page}", args=[address_review.pk, part.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url
    api = reverse(f"api:rapid-review-{route}", args=[address_review.pk, part.pk])
    assert client.delete(api).status_code == 404, api
    if patch is not None:
        assert client.patch(api, patch, content_type="application/json").status_code == 404, api
    assert model.objects.filter(pk=part.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_access_function_finds_a_part_of_this_rapid_review_and_no_other(world, kind):
    review = open_review_with_records(world)
    access = KINDS[kind][0]
    part = part_of(review, kind)
    found = access(world.manager, review.pk, part.pk)
    assert found == part
    assert (found.meeting.review if kind == "attendee" else found.review) == review
    other = review_with_records_for(world, world.partnership, world.manager, "NCC-2026-099")
    with pytest.raises(Http404):
        access(world.manager, other.pk, part.pk)
    with pytest.raises(Http404):
        access(world.outsider, review.pk, part.pk)
    with pytest.raises(Http404):
        access(world.manager, review.pk, "not-a-number")


@pytest.mark.parametrize("kind", KINDS)
def test_a_part_of_another_rapid_review_is_not_found_under_this_one(world, client, kind):
    review = open_review_with_records(world)
    other = review_with_records_for(world, world.partnership, world.manager, "NCC-2026-099")
    log_in(client, world.manager)
    assert_not_found_through_pages_and_api(client, kind, review, part_of(other, kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_part_of_another_partnerships_rapid_review_is_not_found(world, client, kind):
    review = open_review_with_records(world)
    theirs = review_with_records_for(world, world.other, world.outsider, "SBC-2026-001")
    log_in(client, world.manager)
    # Under the manager's own rapid review, and under the other partnership's own.
    assert_not_found_through_pages_and_api(client, kind, review, part_of(theirs, kind))
    assert_not_found_through_pages_and_api(client, kind, theirs, part_of(theirs, kind))
