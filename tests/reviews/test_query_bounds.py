"""Lists and detail pages run a bounded number of queries whatever the rows."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.roles import Role
from publication import services as pub_services
from reviews import services
from tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    commissioned_review,
    log_in,
    member,
    pdf_upload,
    publish_long_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(db):
    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership)
    manager = member(partnership, Role.BUSINESS_MANAGER)
    reviews = []
    for i in range(4):
        review = commissioned_review(partnership, manager, decided_on=dt.date(2025, 1, 10))
        services.add_lead_reviewer(review=review, actor=manager, name=f"Reviewer {i}")
        for _ in range(2):
            person = member(partnership, Role.REVIEW_TEAM_MEMBER)
            services.add_team_member(review=review, actor=manager, user=person, agency=agency)
            services.add_practitioner_event(
                review=review, actor=manager, date=dt.date(2025, 2, 1), agencies=[agency]
            )
            rec = services.add_recommendation(
                review=review, actor=manager, text="R", target_date=dt.date(2026, 1, 1), agencies=[agency]
            )
            for _ in range(2):
                services.add_action(
                    recommendation=rec,
                    actor=manager,
                    description="A",
                    owner_agency=agency,
                    due_date=dt.date(2026, 1, 1),
                )
        publication = pub_services.create_final_report(
            review=review,
            actor=manager,
            file=pdf_upload(),
            title=f"Child {i}",
            summary_of_improvements="S",
            received_on=dt.date(2025, 6, 1),
        )
        publish_long_ago(publication, copies_on=dt.date(2025, 7, 1), published_on=dt.date(2025, 7, 15))
        reviews.append(review)
    return manager, reviews


def test_pages_run_a_bounded_number_of_queries(client, busy, django_assert_max_num_queries):
    manager, reviews = busy
    log_in(client, manager)
    rec = reviews[0].recommendations.first()
    urls = [
        # Each request of the session: + the device that verified it (django-otp).
        (reverse("reviews:review-list"), 10),  # with the page count
        (reverse("reviews:review-detail", args=[reviews[0].pk]), 26),
        (reverse("reviews:recommendation-detail", args=[rec.pk]), 13),
        (reverse("publication:publication-list"), 13),  # two lists, each with its page count
        (reverse("publication:library"), 13),
        ("/api/v1/reviews/", 15),
        ("/api/v1/recommendations/", 13),
        ("/api/v1/actions/", 11),
        ("/api/v1/publications/", 13),
    ]
    for url, limit in urls:
        with django_assert_max_num_queries(limit, info=url):
            assert client.get(url).status_code == 200, url
    client.logout()
    # The public page's 8: its filters offer the themes and the years there are.
    for url, limit in (("/published/", 8), ("/published/feed/", 6)):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
