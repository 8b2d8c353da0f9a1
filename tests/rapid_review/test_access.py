"""Who may see and change a rapid review: another partnership's users get 404 on
every page and endpoint; practitioners never see one."""

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from rapid_review.models import RapidReview
from tests.factories import log_in

from .conftest import advance

pytestmark = pytest.mark.django_db


def every_page(review):
    item = review.agency_returns.first()
    action = review.safety_actions.first()
    gets = [
        reverse("rapid_review:detail", args=[review.pk]),
        reverse("rapid_review:pdf", args=[review.pk]),
        reverse("rapid_review:return-edit", args=[review.pk, item.pk]),
        reverse("rapid_review:action-edit", args=[review.pk, action.pk]),
    ]
    posts = [
        reverse(f"rapid_review:{slug}", args=[review.pk])
        for slug in [
            "meeting-add",
            "attendee-add",
            "meeting-held",
            "return-add",
            "action-add",
            "analysis",
            "criteria",
            "decision",
            "share",
            "signoff",
            "submit",
            "panel-response",
        ]
    ] + [reverse("rapid_review:open", args=[review.case_id]), *gets[2:]]
    return gets, posts


def every_endpoint(review):
    item = review.agency_returns.first()
    action = review.safety_actions.first()
    pk = [review.pk]
    gets = [
        reverse(f"api:rapid-review-{name}", args=pk)
        for name in ["detail", "meetings", "attendees", "agency-returns", "safety-actions", "pdf"]
    ]
    posts = [
        reverse(f"api:rapid-review-{name}", args=pk)
        for name in [
            "meetings",
            "attendees",
            "agency-returns",
            "safety-actions",
            "record-meeting",
            "decide",
            "share-decision",
            "submit",
            "record-panel-response",
        ]
    ]
    patches = [
        reverse("api:rapid-review-detail", args=pk),
        reverse("api:rapid-review-agency-return", args=[review.pk, item.pk]),
        reverse("api:rapid-review-safety-action", args=[review.pk, action.pk]),
    ]
    return gets, posts, patches


@pytest.fixture
def review(world):
    review = advance(world, "open")
    from rapid_review import services

    services.add_agency_return(
        review=review, actor=world.manager, agency=world.police, requested_on=review.anchor_date
    )
    services.add_safety_action(review=review, actor=world.manager, action="Plan", owner="Police")
    return review


@pytest.mark.parametrize("who", ["outsider", "practitioner"])
def test_someone_who_may_not_see_the_case_gets_404_on_every_page_and_endpoint(world, review, client, who):
    log_in(client, getattr(world, who))
    gets, posts = every_page(review)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    api_gets, api_posts, api_patches = every_endpoint(review)
    for url in api_gets:
        assert client.get(url).status_code == 404, url
    for url in api_posts:
        assert client.post(url, {}, content_type="application/json").status_code == 404, url
    for url in api_patches:
        assert client.patch(url, {}, content_type="application/json").status_code == 404, url
    assert (
        client.post(
            reverse("api:rapid-review-list"), {"case": world.case.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="download").exists()


@pytest.mark.parametrize("who", ["outsider", "practitioner"])
def test_lists_show_nothing_of_a_case_they_may_not_see(world, review, client, who):
    log_in(client, getattr(world, who))
    assert "NCC-2026-014" not in client.get(reverse("rapid_review:list")).content.decode()
    assert client.get(reverse("api:rapid-review-list")).json()["count"] == 0


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(review, client):
    response = client.get(reverse("rapid_review:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(reverse("api:rapid-review-list"))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


def test_the_nav_has_a_rapid_reviews_link(world, client):
    log_in(client, world.manager)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("rapid_review:list")}">Rapid reviews</a>' in html


def test_viewing_the_review_is_audited_by_reference(world, review, client):
    log_in(client, world.manager)
    client.get(reverse("rapid_review:detail", args=[review.pk]))
    event = AuditEvent.objects.get(action="view")
    assert event.subject_label == "NCC-2026-014 rapid review"
    assert RapidReview.objects.count() == 1
