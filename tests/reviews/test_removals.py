"""Removing a record added to a commissioned review by mistake: a practitioner
event, a family involvement entry, a written (reg 14) request. Whoever may add
one may remove it (the business team, the review's lead reviewer), on the
shared confirm page or by the API, audited; never once the review is completed."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from reviews import services
from reviews.models import FamilyInvolvement, InformationRequest, PractitionerEvent
from tests.factories import AgencyFactory, PartnershipFactory, commissioned_review, log_in, member

pytestmark = pytest.mark.django_db

D = dt.date


def text(response) -> str:
    """The page as a reader hears it: tags dropped, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def setting(db):
    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership, name="Northshire Police")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager, decided_on=D(2026, 1, 20))
    m = manager
    services.add_practitioner_event(
        review=review,
        actor=m,
        date=D(2026, 3, 3),
        agencies=[agency],
        attendee_count=12,
        notes="Workload and handover pressures.",
    )
    services.add_practitioner_event(review=review, actor=m, date=D(2026, 3, 17), notes="Second event.")
    services.record_family_involvement(
        review=review,
        actor=m,
        family_role="grandfather",
        invited_on=D(2026, 2, 1),
        notes="Spoke about the nursery.",
    )
    services.record_family_involvement(
        review=review, actor=m, family_role="mother", invited_on=D(2026, 2, 1), met_on=D(2026, 2, 20)
    )
    services.record_information_request(
        review=review, actor=m, requested_on=D(2026, 4, 1), what="draft", detail="The first draft."
    )
    services.record_information_request(
        review=review, actor=m, requested_on=D(2026, 4, 20), what="information", detail="The chronology."
    )
    return partnership, agency, manager, review


def records(review):
    return {
        "event": review.events.get(date=D(2026, 3, 3)),
        "family": review.family_involvement.get(family_role="grandfather"),
        "request": review.information_requests.get(requested_on=D(2026, 4, 1)),
    }


def remove_url(name, review, record):
    return reverse(f"reviews:{name}-remove", args=[review.pk, record.pk])


def complete(review, actor):
    services.start_review(review=review, actor=actor, started_on=D(2026, 2, 1))
    services.record_final_report_received(review=review, actor=actor, received_on=D(2026, 6, 1))
    services.complete_review(review=review, actor=actor, completed_on=D(2026, 7, 3))


CASES = [
    (
        "event",
        "Remove practitioner event on 3 March 2026",
        "Remove the practitioner event on 3 March 2026?",
        "Workload and handover pressures.",
        "The practitioner event has been removed.",
        "practitioner-events",
    ),
    (
        "family",
        "Remove family involvement of the grandfather",
        "Remove the family involvement of the grandfather?",
        "Grandfather",
        "The family involvement has been removed.",
        "family-involvement",
    ),
    (
        "request",
        "Remove written request of 1 April 2026",
        "Remove the written request of 1 April 2026?",
        "The first draft.",
        "The written request has been removed.",
        "information-requests",
    ),
]


@pytest.mark.parametrize(("name", "link", "heading", "shown", "flash", "anchor"), CASES)
def test_a_record_added_by_mistake_is_removed_after_a_confirm_page_and_audited(
    client, setting, name, link, heading, shown, flash, anchor
):
    partnership, agency, manager, review = setting
    record = records(review)[name]
    log_in(client, manager)
    detail = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert link in text(detail)
    assert f'href="{remove_url(name, review, record)}"' in detail.content.decode()
    assert shown in text(detail)

    page = client.get(remove_url(name, review, record))
    assert page.status_code == 200
    assert heading in text(page)
    assert type(record).objects.filter(pk=record.pk).exists()  # GET changes nothing

    response = client.post(remove_url(name, review, record), follow=True)
    assert response.redirect_chain[-1][0] == (
        reverse("reviews:review-detail", args=[review.pk]) + f"#{anchor}"
    )
    assert flash in text(response)
    assert shown not in text(response)
    assert not type(record).objects.filter(pk=record.pk).exists()
    assert (
        review.events.count() + review.family_involvement.count() + review.information_requests.count() == 5
    )  # the others stay

    event = AuditEvent.objects.get(action="delete")
    assert event.actor == manager and event.subject_id == review.pk
    kind = {"event": "practitioner_event", "family": "family_involvement", "request": "information_request"}[
        name
    ]
    assert event.detail["removed"] == kind and event.detail[f"{kind}_id"] == record.pk
    # Nothing of the family, nor the free text, in the audit trail.
    flat = str(event.detail)
    assert "grandfather" not in flat and "nursery" not in flat and "draft." not in flat


def test_nothing_can_be_removed_once_the_review_is_completed(client, setting):
    partnership, agency, manager, review = setting
    complete(review, manager)
    log_in(client, manager)
    detail = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    for name, record in records(review).items():
        assert remove_url(name, review, record) not in detail, name
    assert "Workload and handover pressures." in detail  # still shown, no longer removable
    message = (
        "This review was completed on 3 July 2026, so its record is final: nothing can be removed from it."
    )
    for name, record in records(review).items():
        page = client.get(remove_url(name, review, record))
        assert page.status_code == 200 and message in text(page), name
        assert "govuk-button--warning" not in page.content.decode(), name
        refused = client.post(remove_url(name, review, record))
        assert refused.status_code == 200 and message in text(refused), name
        assert type(record).objects.filter(pk=record.pk).exists(), name
    for action, record in (
        ("remove-practitioner-event", records(review)["event"]),
        ("remove-family-involvement", records(review)["family"]),
        ("remove-information-request", records(review)["request"]),
    ):
        response = client.post(
            f"/api/v1/reviews/{review.pk}/{action}/", {"id": record.pk}, content_type="application/json"
        )
        assert response.status_code == 409, action
        assert response.json() == {"non_field_errors": [message]}
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_the_api_removes_each_record_and_answers_with_the_review(client, setting):
    partnership, agency, manager, review = setting
    found = records(review)
    log_in(client, manager)
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    assert {e["id"] for e in body["events"]} >= {found["event"].pk}
    assert {f["id"] for f in body["family_involvement"]} >= {found["family"].pk}
    assert {r["id"] for r in body["information_requests"]} >= {found["request"].pk}
    for action, key, record in (
        ("remove-practitioner-event", "events", found["event"]),
        ("remove-family-involvement", "family_involvement", found["family"]),
        ("remove-information-request", "information_requests", found["request"]),
    ):
        response = client.post(
            f"/api/v1/reviews/{review.pk}/{action}/", {"id": record.pk}, content_type="application/json"
        )
        assert response.status_code == 200, (action, response.content)
        assert record.pk not in {item["id"] for item in response.json()[key]}
        assert len(response.json()[key]) == 1
        again = client.post(
            f"/api/v1/reviews/{review.pk}/{action}/", {"id": record.pk}, content_type="application/json"
        )
        assert again.status_code == 404
    assert AuditEvent.objects.filter(action="delete").count() == 3


def test_the_reviews_lead_reviewer_may_remove_a_team_member_may_not(client, setting):
    partnership, agency, manager, review = setting
    reviewer = member(partnership, Role.LEAD_REVIEWER)
    services.add_lead_reviewer(review=review, actor=manager, user=reviewer)
    officer = member(partnership, Role.REVIEW_TEAM_MEMBER, agency=agency)
    services.add_team_member(review=review, actor=manager, user=officer, agency=agency)
    found = records(review)

    log_in(client, officer)
    detail = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert detail.status_code == 200 and "/events/" not in detail.content.decode()
    assert client.get(remove_url("event", review, found["event"])).status_code == 403
    assert client.post(remove_url("event", review, found["event"])).status_code == 403
    response = client.post(
        f"/api/v1/reviews/{review.pk}/remove-practitioner-event/",
        {"id": found["event"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert PractitionerEvent.objects.filter(pk=found["event"].pk).exists()

    log_in(client, reviewer)
    assert client.post(remove_url("event", review, found["event"])).status_code == 302
    assert not PractitionerEvent.objects.filter(pk=found["event"].pk).exists()


@pytest.mark.parametrize("who", ["practitioner", "outsider"])
def test_a_practitioner_or_another_partnerships_user_gets_not_found(client, setting, who):
    partnership, agency, manager, review = setting
    user = (
        member(partnership, Role.PRACTITIONER)
        if who == "practitioner"
        else member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    )
    log_in(client, user)
    for name, record in records(review).items():
        assert client.get(remove_url(name, review, record)).status_code == 404, name
        assert client.post(remove_url(name, review, record)).status_code == 404, name
    response = client.post(
        f"/api/v1/reviews/{review.pk}/remove-family-involvement/",
        {"id": records(review)["family"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert FamilyInvolvement.objects.count() == 2 and InformationRequest.objects.count() == 2


def test_a_record_of_another_review_is_not_found_under_this_one(client, setting):
    partnership, agency, manager, review = setting
    other = commissioned_review(partnership, manager)
    log_in(client, manager)
    record = records(review)["request"]
    assert client.get(remove_url("request", other, record)).status_code == 404
    assert client.post(remove_url("request", other, record)).status_code == 404
    response = client.post(
        f"/api/v1/reviews/{other.pk}/remove-information-request/",
        {"id": record.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert InformationRequest.objects.filter(pk=record.pk).exists()


def test_removing_a_lead_reviewer_uses_the_same_confirm_page(client, setting):
    partnership, agency, manager, review = setting
    reviewer = member(partnership, Role.LEAD_REVIEWER)
    lead = services.add_lead_reviewer(review=review, actor=manager, user=reviewer)
    log_in(client, manager)
    page = client.get(reverse("reviews:lead-reviewer-remove", args=[review.pk, lead.pk]))
    assert "They will lose access to this review at once." in text(page)
    assert "govuk-button--warning" in page.content.decode()
    response = client.post(reverse("reviews:lead-reviewer-remove", args=[review.pk, lead.pk]), follow=True)
    assert "The lead reviewer has been removed." in text(response)


def test_the_confirm_pages_run_a_bounded_number_of_queries(client, setting, django_assert_max_num_queries):
    partnership, agency, manager, review = setting
    event = records(review)["event"]
    event.agencies.add(*[AgencyFactory(partnership=partnership) for _ in range(8)])
    log_in(client, manager)
    for name, record in records(review).items():
        # + the in-app notifications banner, the device that verified the session (django-otp)
        with django_assert_max_num_queries(11, info=name):
            assert client.get(remove_url(name, review, record)).status_code == 200


def test_nothing_can_be_added_to_a_completed_review_and_its_add_links_are_gone(client, setting):
    _, agency, manager, review = setting
    complete(review, manager)
    message = "This review was completed on 3 July 2026, so its record is final: nothing can be added to it."
    counts = (review.events.count(), review.family_involvement.count(), review.information_requests.count())
    for add in (
        lambda: services.add_practitioner_event(review=review, actor=manager, date=D(2026, 7, 10)),
        lambda: services.record_family_involvement(review=review, actor=manager, family_role="aunt"),
        lambda: services.record_information_request(
            review=review, actor=manager, requested_on=D(2026, 7, 10), what="draft"
        ),
    ):
        with pytest.raises(ValidationError, match="nothing can be added to it"):
            add()
    assert (
        review.events.count(),
        review.family_involvement.count(),
        review.information_requests.count(),
    ) == counts

    log_in(client, manager)
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    for name in ("event", "family", "request"):
        assert reverse(f"reviews:{name}-add", args=[review.pk]) not in page
    response = client.post(reverse("reviews:family-add", args=[review.pk]), {"family_role": "aunt"})
    assert message in text(response)
    assert review.family_involvement.count() == counts[1]
