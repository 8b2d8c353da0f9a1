"""Every view of a record holding personal or sensitive data is written to the audit
trail in one place, the record's ``access_*`` function, so its page and the API's
detail each write exactly one "view" row: cases, referrals (showing the child's
name, date of birth and address to the business team), rapid reviews and reviews.
The API's referral list, which shows each child's identity to the business team,
writes one view per referral it shows; lists of pseudonymised records and changes
write none."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import Referral
from cspr.models import AuditEvent
from cspr.roles import Role
from rapid_review.services import open_rapid_review
from tests.factories import (
    CaseFactory,
    PartnershipFactory,
    ReferralFactory,
    SeriousIncidentNotificationFactory,
    commissioned_review,
    log_in,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    practitioner = member(partnership, Role.PRACTITIONER)
    referral = ReferralFactory(partnership=partnership, author=practitioner, status=Referral.Status.SUBMITTED)
    case = CaseFactory(partnership=partnership, referral=referral)
    SeriousIncidentNotificationFactory(case=case)
    rapid_review = open_rapid_review(case=case, actor=manager)
    review = commissioned_review(partnership, manager)
    return {
        "manager": manager,
        "practitioner": practitioner,
        "case": (case, reverse("cases:case-detail", args=[case.pk]), f"/api/v1/cases/{case.pk}/"),
        "referral": (
            referral,
            reverse("cases:referral-detail", args=[referral.pk]),
            f"/api/v1/referrals/{referral.pk}/",
        ),
        "rapid_review": (
            rapid_review,
            reverse("rapid_review:detail", args=[rapid_review.pk]),
            f"/api/v1/rapid-reviews/{rapid_review.pk}/",
        ),
        "review": (
            review,
            reverse("reviews:review-detail", args=[review.pk]),
            f"/api/v1/reviews/{review.pk}/",
        ),
    }


def views_of(subject) -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW,
        subject_id=subject.pk,
        subject_type=ContentType.objects.get_for_model(subject),
    ).count()


@pytest.mark.parametrize("kind", ["case", "referral", "rapid_review", "review"])
def test_a_page_view_and_an_api_view_each_record_exactly_one_view(client, records, kind):
    subject, page, api = records[kind]
    log_in(client, records["manager"])
    assert views_of(subject) == 0
    assert client.get(page).status_code == 200
    assert views_of(subject) == 1
    assert client.get(api).status_code == 200
    assert views_of(subject) == 2
    event = AuditEvent.objects.filter(action="view").latest("pk")
    assert event.actor == records["manager"]
    assert event.partnership_id == records["case"][0].partnership_id


def test_the_referrals_api_view_is_audited_as_showing_the_childs_identity(client, records):
    referral = records["referral"][0]
    log_in(client, records["manager"])
    body = client.get(records["referral"][2]).json()
    assert body["children"][0]["name"] == referral.children.get().name
    event = AuditEvent.objects.get(action="view", subject_id=referral.pk)
    assert event.detail == {"child_identity": True}


@pytest.mark.parametrize("kind", ["case", "rapid_review", "review"])
def test_lists_of_pseudonymised_records_record_no_view(client, records, kind):
    log_in(client, records["manager"])
    lists = {"case": "/api/v1/cases/", "rapid_review": "/api/v1/rapid-reviews/", "review": "/api/v1/reviews/"}
    assert client.get(lists[kind]).status_code == 200
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_referral_list_records_a_view_of_each_childs_identity_it_shows(client, records):
    """The API's referral list shows each child's name, date of birth and address to
    the business team: one view per referral, as for one; none for the author."""
    referral = records["referral"][0]
    log_in(client, records["manager"])
    body = client.get("/api/v1/referrals/").json()
    assert body["results"][0]["children"][0]["name"] == referral.children.get().name
    event = AuditEvent.objects.get(action="view", subject_id=referral.pk)
    assert event.detail == {"child_identity": True, "list": True}
    assert event.actor == records["manager"]
    log_in(client, records["practitioner"])
    assert "name" not in client.get("/api/v1/referrals/").json()["results"][0]["children"][0]
    assert views_of(referral) == 1


def test_a_change_through_the_api_records_no_view(client, records):
    case, _, api = records["case"]
    rapid_review = records["rapid_review"][0]
    log_in(client, records["manager"])
    response = client.patch(api, {"children": [{"initials": "A.B."}]}, content_type="application/json")
    assert response.status_code == 200, response.content
    response = client.get(f"/api/v1/rapid-reviews/{rapid_review.pk}/meetings/")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_referral_shown_without_the_childs_identity_records_no_view(client, records):
    """The practitioner who wrote a submitted referral sees it without the child's
    identity: nothing to audit, on the page or through the API."""
    referral, page, api = records["referral"]
    log_in(client, records["practitioner"])
    assert client.get(page).status_code == 200
    assert "name" not in client.get(api).json()["children"][0]
    assert views_of(referral) == 0
