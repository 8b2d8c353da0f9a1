"""The case page shows every stage in pipeline order, each to those allowed, in a
bounded number of queries whatever the number of rows."""

import datetime as dt

import pytest
from django.urls import reverse

from rapid_review import services as rr
from reviews import services as review_services
from reviews.models import Review
from tests.factories import CaseFactory, SeriousIncidentNotificationFactory, log_in

pytestmark = pytest.mark.django_db
D = dt.date


def notified_case(people, reference="NCC-2026-009"):
    case = CaseFactory(partnership=people.north, reference=reference)
    SeriousIncidentNotificationFactory(case=case, aware_on=D(2026, 3, 30), notified_panel_on=D(2026, 4, 2))
    return case


def test_a_notified_case_offers_to_open_its_rapid_review_to_the_business_team_only(people, client):
    case = notified_case(people)
    url = reverse("cases:case-detail", args=[case.pk])
    log_in(client, people.manager)
    page = client.get(url).content.decode()
    assert "Open the rapid review" in page
    assert "No review is commissioned" in page and "No final report yet" in page
    for user in (people.practitioner, people.reviewer, people.outsider):
        log_in(client, user)
        assert client.get(url).status_code == 404


def test_a_case_not_yet_notified_says_why_there_is_no_rapid_review_button(people, client):
    case = CaseFactory(partnership=people.north, reference="NCC-2026-010")
    log_in(client, people.manager)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Open the rapid review" not in page
    assert "Record the serious incident notification for this case before opening" in page


def test_the_case_page_stays_bounded_with_several_rows(people, client, django_assert_max_num_queries):
    case = notified_case(people)
    review = rr.open_rapid_review(case=case, actor=people.manager)
    log_in(client, people.manager)
    url = reverse("cases:case-detail", args=[case.pk])

    def count():
        client.get(url)  # warm the content-type cache
        with django_assert_max_num_queries(20) as captured:
            page = client.get(url).content.decode()
        return len(captured.captured_queries), page

    meeting = rr.add_meeting(review=review, actor=people.manager, date=D(2026, 4, 14))
    rr.add_attendee(
        review=review,
        actor=people.manager,
        meeting=meeting,
        name="A Person",
        role="Nurse",
        agency=people.health,
    )
    review_services.commission_review(
        case=case, kind=Review.Kind.LOCAL_CSPR, decided_on=D(2026, 4, 20), actor=people.manager
    )
    few, _page = count()
    for day in (15, 16):
        meeting = rr.add_meeting(review=review, actor=people.manager, date=D(2026, 4, day))
        rr.add_attendee(
            review=review,
            actor=people.manager,
            meeting=meeting,
            name="A Person",
            role="Nurse",
            agency=people.health,
        )
    review_services.commission_review(
        case=case,
        kind=Review.Kind.OTHER_LEARNING,
        method="learning_event",
        decided_on=D(2026, 4, 20),
        actor=people.manager,
    )
    review_services.commission_review(
        case=case, kind=Review.Kind.NATIONAL, decided_on=D(2026, 4, 20), actor=people.manager
    )
    many, page = count()
    assert many == few
    assert page.count('href="/reviews/') >= 3
    assert "Go to the rapid review" in page
