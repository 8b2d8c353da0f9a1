"""One removal style in the API: ``DELETE`` on the sub-resource of a review (its
team members, lead reviewers, practitioner events, family involvement entries and
written requests), as for rapid reviews. The ``POST .../remove-...`` actions that
came first still work, marked deprecated in the schema. Every part of a review is
found, for its pages and the API alike, by one ``access_*`` selector: a part of
another review, or of another partnership's, is not found (404 through both)."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from reviews import selectors, services
from reviews.models import (
    DraftVersion,
    FamilyInvolvement,
    InformationRequest,
    LeadReviewer,
    PractitionerEvent,
    TeamMember,
)
from tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    commissioned_review,
    docx_upload,
    log_in,
    member,
)

pytestmark = pytest.mark.django_db

D = dt.date
COMPLETED = (
    "This review was completed on 3 July 2026, so its record is final: nothing can be removed from it."
)

#: kind -> (DELETE route name, deprecated POST alias, model, access function, page names)
KINDS = {
    "event": (
        "api:review-event",
        "remove-practitioner-event",
        PractitionerEvent,
        selectors.access_practitioner_event,
        ["reviews:event-remove"],
    ),
    "family": (
        "api:review-family-involvement-entry",
        "remove-family-involvement",
        FamilyInvolvement,
        selectors.access_family_involvement,
        ["reviews:family-remove"],
    ),
    "request": (
        "api:review-information-request",
        "remove-information-request",
        InformationRequest,
        selectors.access_information_request,
        ["reviews:request-remove", "reviews:request-answer"],
    ),
    "team_member": (
        "api:review-team-member",
        "remove-team-member",
        TeamMember,
        selectors.access_team_member,
        ["reviews:team-member-remove"],
    ),
    "lead": (
        "api:review-lead-reviewer",
        "remove-lead-reviewer",
        LeadReviewer,
        selectors.access_lead_reviewer,
        ["reviews:lead-reviewer-remove"],
    ),
}
RECORDS = ["event", "family", "request"]
PEOPLE = ["team_member", "lead"]


def with_parts(partnership, manager):
    """A review of ``partnership`` with one part of each kind; returns (review, parts)."""
    agency = AgencyFactory(partnership=partnership)
    review = commissioned_review(partnership, manager, decided_on=D(2026, 1, 20))
    officer = member(partnership, Role.REVIEW_TEAM_MEMBER, agency=agency)
    reviewer = member(partnership, Role.LEAD_REVIEWER)
    parts = {
        "event": services.add_practitioner_event(
            review=review, actor=manager, date=D(2026, 3, 3), agencies=[agency]
        ),
        "family": services.record_family_involvement(review=review, actor=manager, family_role="grandfather"),
        "request": services.record_information_request(
            review=review, actor=manager, requested_on=D(2026, 4, 1), what="draft"
        ),
        "team_member": services.add_team_member(review=review, actor=manager, user=officer, agency=agency),
        "lead": services.add_lead_reviewer(review=review, actor=manager, user=reviewer),
    }
    return review, parts


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many users, signed in with force_login: no need for a slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def north(db):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review, parts = with_parts(partnership, manager)
    return partnership, manager, review, parts


@pytest.fixture
def south(db):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review, parts = with_parts(partnership, manager)
    return partnership, manager, review, parts


def complete(review, actor):
    services.start_review(review=review, actor=actor, started_on=D(2026, 2, 1))
    services.record_final_report_received(review=review, actor=actor, received_on=D(2026, 6, 1))
    services.complete_review(review=review, actor=actor, completed_on=D(2026, 7, 3))


def delete(client, kind, review, part):
    return client.delete(reverse(KINDS[kind][0], args=[review.pk, part.pk]))


@pytest.mark.parametrize("kind", RECORDS)
def test_delete_removes_a_record_with_204_and_audits_it(client, north, kind):
    _, manager, review, parts = north
    log_in(client, manager)
    response = delete(client, kind, review, parts[kind])
    assert response.status_code == 204, response.content
    assert not KINDS[kind][2].objects.filter(pk=parts[kind].pk).exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.actor == manager and event.subject_id == review.pk
    assert event.detail[f"{event.detail['removed']}_id"] == parts[kind].pk
    assert delete(client, kind, review, parts[kind]).status_code == 404  # gone


@pytest.mark.parametrize("kind", PEOPLE)
def test_delete_removes_a_person_with_204_audits_it_and_ends_their_access(client, north, kind):
    _, manager, review, parts = north
    person = parts[kind].user
    assert selectors.reviews_visible_to(person).filter(pk=review.pk).exists()
    log_in(client, manager)
    response = delete(client, kind, review, parts[kind])
    assert response.status_code == 204, response.content
    assert not KINDS[kind][2].objects.filter(pk=parts[kind].pk).exists()
    removed = {"team_member": "team_member_removed", "lead": "lead_reviewer_removed"}[kind]
    assert AuditEvent.objects.filter(
        action="change", subject_id=review.pk, detail__contains={removed: parts[kind].pk}
    ).exists()
    assert AuditEvent.objects.filter(action="permission", detail__user_id=person.pk).exists()
    assert not selectors.reviews_visible_to(person).filter(pk=review.pk).exists()


@pytest.mark.parametrize("kind", RECORDS)
def test_delete_of_a_record_is_refused_once_the_review_is_completed(client, north, kind):
    _, manager, review, parts = north
    complete(review, manager)
    log_in(client, manager)
    response = delete(client, kind, review, parts[kind])
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": [COMPLETED]}
    assert KINDS[kind][2].objects.filter(pk=parts[kind].pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


@pytest.mark.parametrize("kind", PEOPLE)
def test_a_person_may_still_be_removed_from_a_completed_review(client, north, kind):
    """Only the record is final: who may see the review is not (their access can end)."""
    _, manager, review, parts = north
    complete(review, manager)
    log_in(client, manager)
    assert delete(client, kind, review, parts[kind]).status_code == 204


@pytest.mark.parametrize("kind", KINDS)
def test_delete_of_another_partnerships_part_is_not_found(client, north, south, kind):
    _, manager, review, _ = north
    _, _, their_review, theirs = south
    log_in(client, manager)
    assert delete(client, kind, review, theirs[kind]).status_code == 404  # under my review
    assert delete(client, kind, their_review, theirs[kind]).status_code == 404  # under theirs
    assert KINDS[kind][2].objects.filter(pk=theirs[kind].pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_part_of_another_review_is_not_found_through_the_pages_or_the_api(client, north, south, kind):
    partnership, manager, review, _ = north
    other, others = with_parts(partnership, manager)
    _, _, their_review, theirs = south
    log_in(client, manager)
    for address, part in ((review, others[kind]), (review, theirs[kind]), (their_review, theirs[kind])):
        for page in KINDS[kind][4]:
            url = reverse(page, args=[address.pk, part.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"answered_on": "2026-05-01"}).status_code == 404, url
        assert delete(client, kind, address, part).status_code == 404
        alias = client.post(
            f"/api/v1/reviews/{address.pk}/{KINDS[kind][1]}/",
            {"id": part.pk},
            content_type="application/json",
        )
        assert alias.status_code == 404
        assert KINDS[kind][2].objects.filter(pk=part.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_access_function_finds_a_part_of_this_review_and_no_other(north, south, kind):
    partnership, manager, review, parts = north
    other, _ = with_parts(partnership, manager)
    access = KINDS[kind][3]
    found = access(manager, review.pk, parts[kind].pk)
    assert found == parts[kind] and found.review == review
    for user, review_pk in ((manager, other.pk), (south[1], review.pk), (manager, south[2].pk)):
        with pytest.raises(Http404):
            access(user, review_pk, parts[kind].pk)


def test_a_draft_of_another_review_is_not_downloaded(client, north):
    partnership, manager, review, _ = north
    other, _ = with_parts(partnership, manager)
    draft = services.upload_draft(review=review, actor=manager, file=docx_upload())
    assert selectors.access_draft(manager, review.pk, draft.pk) == draft
    log_in(client, manager)
    url = reverse("reviews:draft-download", args=[other.pk, draft.pk])
    assert client.get(url).status_code == 404
    assert DraftVersion.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_deprecated_post_alias_still_removes(client, north, kind):
    _, manager, review, parts = north
    log_in(client, manager)
    response = client.post(
        f"/api/v1/reviews/{review.pk}/{KINDS[kind][1]}/",
        {"id": parts[kind].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == review.pk  # answers with the review, as it always did
    assert not KINDS[kind][2].objects.filter(pk=parts[kind].pk).exists()


def test_the_schema_marks_the_post_aliases_deprecated_and_documents_each_delete(client, north):
    _, manager, _, _ = north
    log_in(client, manager)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for alias in (
        "remove-team-member",
        "remove-lead-reviewer",
        "remove-practitioner-event",
        "remove-family-involvement",
        "remove-information-request",
    ):
        assert paths[f"/api/v1/reviews/{{id}}/{alias}/"]["post"].get("deprecated") is True, alias
    for sub, param in (
        ("team-members", "member_id"),
        ("lead-reviewers", "lead_id"),
        ("events", "event_id"),
        ("family-involvement", "family_involvement_id"),
        ("information-requests", "request_id"),
    ):
        operation = paths[f"/api/v1/reviews/{{id}}/{sub}/{{{param}}}/"]["delete"]
        assert not operation.get("deprecated"), sub
        assert "204" in operation["responses"] and "404" in operation["responses"], sub
