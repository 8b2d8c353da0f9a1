"""Every page of the two apps renders for the business team, with labelled fields."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.roles import Role
from publication import services as pub_services
from reviews import services
from tests.factories import PartnershipFactory, commissioned_review, log_in, member, pdf_upload

pytestmark = pytest.mark.django_db


def test_every_page_renders(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager, kind="national")
    cspr = commissioned_review(partnership, manager)
    rec = services.add_recommendation(review=cspr, actor=manager, text="R", target_date=dt.date(2027, 1, 1))
    action = services.add_action(
        recommendation=rec, actor=manager, description="A", owner_role="Lead", due_date=dt.date(2027, 1, 1)
    )
    request = services.record_information_request(
        review=cspr, actor=manager, requested_on=dt.date(2026, 2, 1), what="draft"
    )
    publication = pub_services.create_final_report(
        review=cspr,
        actor=manager,
        file=pdf_upload(),
        title="Child P",
        summary_of_improvements="S",
        reviewer_names="Dr P",
        received_on=dt.date(2026, 6, 1),
    )
    briefing = pub_services.create_briefing(
        partnership=partnership,
        review=cspr,
        actor=manager,
        title="Child P briefing",
        background="b",
        what_happened="w",
        key_learning="k",
        what_should_change="c",
        question_1="1",
        question_2="2",
        question_3="3",
    )
    log_in(client, manager)
    urls = [
        reverse("reviews:review-list"),
        reverse("reviews:review-commission"),
        reverse("reviews:review-national", args=[review.pk]),
        reverse("reviews:request-answer", args=[cspr.pk, request.pk]),
        reverse("reviews:action-detail", args=[action.pk]),
        reverse("reviews:action-update-add", args=[action.pk]),
        reverse("publication:publication-list"),
        reverse("publication:publication-detail", args=[publication.pk]),
        reverse("publication:briefing-detail", args=[briefing.pk]),
        reverse("publication:briefing-add", args=[cspr.pk]),
        reverse("publication:library"),
        "/",
    ]
    urls += [
        reverse(f"reviews:{name}", args=[cspr.pk])
        for name in (
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
        )
    ]
    urls += [
        reverse(f"publication:{name}", args=[publication.pk])
        for name in ("publication-edit", "publication-plan", "publication-copies", "publication-publish")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Error:" not in response.content.decode().split("</title>")[0], url
    assert (
        client.get(reverse("publication:briefing-pdf", args=[briefing.pk]))["Content-Type"]
        == "application/pdf"
    )
