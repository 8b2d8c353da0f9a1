"""The rapid review list, detail page and API list run a bounded number of queries
whatever the number of reviews, meetings, attendees and returns."""

import pytest
from django.urls import reverse

from rapid_review import services
from tests.factories import AgencyFactory, CaseFactory, SeriousIncidentNotificationFactory, log_in

from .conftest import D, advance

pytestmark = pytest.mark.django_db


def many_reviews(world, count=6):
    for i in range(count):
        case = CaseFactory(partnership=world.partnership, reference=f"NCC-2026-{100 + i}")
        SeriousIncidentNotificationFactory(case=case)
        services.open_rapid_review(case=case, actor=world.manager)


def busy_review(world):
    review = advance(world, "open")
    for i in range(6):
        agency = AgencyFactory(partnership=world.partnership)
        meeting = services.add_meeting(review=review, actor=world.manager, date=D(2026, 4, 10 + i))
        for j in range(3):
            services.add_attendee(
                review=review,
                actor=world.manager,
                meeting=meeting,
                name=f"Person {i}-{j}",
                role="Lead",
                agency=agency,
            )
        services.add_agency_return(
            review=review, actor=world.manager, agency=agency, requested_on=D(2026, 4, 3), summary="Summary"
        )
        services.add_safety_action(review=review, actor=world.manager, action=f"Action {i}", owner="Police")
    return review


def test_the_list_page_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    many_reviews(world)
    log_in(client, world.manager)
    # + the in-app notifications banner, the page count, the device that verified the session
    with django_assert_max_num_queries(11):
        response = client.get(reverse("rapid_review:list"))
    assert response.content.decode().count("NCC-2026-1") == 6


def test_the_api_list_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    many_reviews(world)
    log_in(client, world.manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api:rapid-review-list"))
    assert response.json()["count"] == 6


def test_the_detail_page_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    review = busy_review(world)
    log_in(client, world.manager)
    # 23: 22, and the case's children (up to four) in one more.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("rapid_review:detail", args=[review.pk]))
    html = response.content.decode()
    assert html.count('<td class="govuk-table__cell">Person ') == 18


def test_the_api_detail_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    review = busy_review(world)
    log_in(client, world.manager)
    # 15: 14, and the case's children in one more.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("api:rapid-review-detail", args=[review.pk]))
    assert len(response.json()["agency_returns"]) == 6
