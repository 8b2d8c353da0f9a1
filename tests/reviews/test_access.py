"""Who sees and manages a review: the business team, and people granted access to
that one review (lead reviewers manage, team members view) until removed."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from reviews import services
from reviews.models import Review, ReviewUserObjectPermission
from tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    commissioned_review,
    log_in,
    member,
    review_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(db):
    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership)
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)
    return partnership, agency, manager, review


def test_a_removed_team_member_loses_access(client, setting):
    partnership, agency, manager, review = setting
    officer = member(partnership, Role.REVIEW_TEAM_MEMBER, agency=agency)
    log_in(client, officer)
    url = reverse("reviews:review-detail", args=[review.pk])
    assert client.get(url).status_code == 404
    member_row = services.add_team_member(review=review, actor=manager, user=officer, agency=agency)
    assert client.get(url).status_code == 200
    assert client.get(reverse("reviews:review-terms", args=[review.pk])).status_code == 403
    log_in(client, manager)
    assert (
        client.post(reverse("reviews:team-member-remove", args=[review.pk, member_row.pk])).status_code == 302
    )
    log_in(client, officer)
    assert client.get(url).status_code == 404
    assert not ReviewUserObjectPermission.objects.filter(user=officer).exists()
    # The grant and its revocation (memberships made by the fixtures are audited too).
    events = AuditEvent.objects.filter(
        action="permission", subject_id=review.pk, subject_type__model="review"
    )
    assert events.count() == 2
    assert events.first().detail["revoked"] == ["view_review"]


def test_a_lead_reviewer_can_manage_the_review_and_its_recommendations(client, setting):
    partnership, agency, manager, review = setting
    reviewer = member(partnership, Role.LEAD_REVIEWER)
    services.add_lead_reviewer(review=review, actor=manager, user=reviewer)
    log_in(client, reviewer)
    response = client.post(
        reverse("reviews:recommendation-add", args=[review.pk]),
        {"text": "Do better", "target_date": "2026-12-31"},
    )
    assert response.status_code == 302
    other = commissioned_review(partnership, manager)
    assert client.get(reverse("reviews:review-detail", args=[other.pk])).status_code == 404


def test_a_practitioner_cannot_commission_a_review(client, setting):
    partnership, agency, manager, review = setting
    practitioner = member(partnership, Role.PRACTITIONER)
    log_in(client, practitioner)
    assert client.get(reverse("reviews:review-commission")).status_code == 403
    assert client.get(reverse("reviews:review-detail", args=[review.pk])).status_code == 404


def test_another_partnerships_user_gets_404_on_every_review_page(client, setting):
    partnership, agency, manager, review = setting
    rec = services.add_recommendation(
        review=review, actor=manager, text="R", target_date=dt.date(2026, 12, 1)
    )
    action = services.add_action(
        recommendation=rec, actor=manager, description="A", owner_role="Lead", due_date=dt.date(2026, 12, 1)
    )
    outsider = member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    log_in(client, outsider)
    names = [
        "review-detail",
        "review-terms",
        "review-findings",
        "review-status",
        "lead-reviewer-add",
        "team-member-add",
        "event-add",
        "family-add",
        "request-add",
        "draft-add",
        "recommendation-add",
    ]
    for name in names:
        assert client.get(reverse(f"reviews:{name}", args=[review.pk])).status_code == 404, name
    assert client.get(reverse("reviews:recommendation-detail", args=[rec.pk])).status_code == 404
    assert client.get(reverse("reviews:action-detail", args=[action.pk])).status_code == 404
    assert client.get(reverse("reviews:action-add", args=[rec.pk])).status_code == 404
    assert client.get(reverse("reviews:review-list")).content.decode().count(review.case.reference) == 0


def test_commissioning_other_learning_review_needs_its_method_and_a_past_date(client, setting):
    partnership, agency, manager, review = setting
    case = review_case(partnership)
    log_in(client, manager)
    response = client.post(
        reverse("reviews:review-commission"),
        {"case": case.pk, "kind": "other_learning", "decided_on": "2026-01-10"},
    )
    assert "Choose the method of the learning review" in response.content.decode()
    response = client.post(
        reverse("reviews:review-commission"),
        {"case": case.pk, "kind": "local_cspr", "decided_on": "2099-01-10"},
    )
    assert "must be today or in the past" in response.content.decode()
    assert not Review.objects.filter(case=case).exists()
    response = client.post(
        reverse("reviews:review-commission"),
        {
            "case": case.pk,
            "kind": "other_learning",
            "method": "appreciative_inquiry",
            "decided_on": "2026-01-10",
        },
    )
    assert response.status_code == 302
    assert Review.objects.get(case=case).kind_label == "Other learning review: appreciative inquiry"


def test_the_review_cannot_skip_its_stages(setting):
    from django.core.exceptions import ValidationError

    partnership, agency, manager, review = setting
    with pytest.raises(ValidationError, match="Commissioned"):
        services.complete_review(review=review, actor=manager)
