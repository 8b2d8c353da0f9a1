"""Every list is paged (50 rows, GOV.UK pagination) and its query count does not grow
with the rows: the public list of published reviews (with its ETag and cache), the
rapid review, review, final report and learning library lists. The iCalendar feed
holds open clocks and missed ones of the last 90 days."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cspr.models import Deadline
from cspr.roles import Role
from deadlines.selectors import calendar_deadlines
from publication.models import Briefing, Publication
from rapid_review.models import RapidReview
from reviews.models import Review
from tests.factories import PartnershipFactory, log_in, member, open_clock

pytestmark = pytest.mark.django_db


def _world(rows: int):
    """``rows`` cases, each with a rapid review, a review, a published final report and
    a published briefing, written straight to the tables (the services are tested
    elsewhere; here only the lists' size matters)."""
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    cases = Case.objects.bulk_create(
        [
            Case(
                partnership=partnership,
                reference=f"{partnership.code}-2025-{n:03d}",
                incident_date=dt.date(2025, 1, 1),
            )
            for n in range(rows)
        ]
    )
    RapidReview.objects.bulk_create(
        [RapidReview(case=case, anchor="notification", anchor_date=dt.date(2025, 1, 2)) for case in cases]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                case=case,
                partnership=partnership,
                kind=Review.Kind.LOCAL_CSPR,
                decided_on=dt.date(2025, 2, 1),
                commissioned_on=dt.date(2025, 2, 1),
            )
            for case in cases
        ]
    )
    Publication.objects.bulk_create(
        [
            Publication(
                review=review,
                partnership=partnership,
                status=Publication.Status.PUBLISHED,
                title=f"Child {n}: review",
                file="reports/x.pdf",
                reviewer_names="Dr Example",
                summary_of_improvements="Improve",
                published_on=dt.date(2025, 6, 1),
            )
            for n, review in enumerate(reviews)
        ]
    )
    Briefing.objects.bulk_create(
        [
            Briefing(
                partnership=partnership,
                review=review,
                status=Briefing.Status.PUBLISHED,
                title=f"Briefing {n}",
                background="b",
                what_happened="w",
                key_learning="k",
                what_should_change="c",
                published_on=dt.date(2025, 6, 1),
            )
            for n, review in enumerate(reviews)
        ]
    )
    return partnership, manager


LISTS = [
    ("rapid_review:list", True),
    ("reviews:review-list", True),
    ("publication:publication-list", True),
    ("publication:library", True),
    ("publication:published-list", False),
]


@pytest.mark.parametrize("name,signed_in", LISTS)
def test_a_list_of_sixty_shows_fifty_and_a_next_link(client, name, signed_in):
    partnership, manager = _world(60)
    if signed_in:
        log_in(client, manager)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-pagination"' in html and 'rel="next"' in html
    assert "Page 1 of 2" in html
    second = client.get(reverse(name), {"page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second.split("Page 2 of 2")[1][:400]


@pytest.mark.parametrize("name,signed_in", LISTS)
def test_a_list_makes_as_many_queries_for_sixty_rows_as_for_one(
    client, django_assert_max_num_queries, name, signed_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership, manager = _world(1)
    if signed_in:
        log_in(client, manager)
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _world(60)  # another partnership's rows: the same user sees none of them...
    more = _world_more(partnership, 70)  # ...and 70 more of their own
    assert more == 70
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(one) <= 20


def _world_more(partnership, rows):
    cases = Case.objects.bulk_create(
        [
            Case(
                partnership=partnership,
                reference=f"{partnership.code}-2024-{n:03d}",
                incident_date=dt.date(2024, 1, 1),
            )
            for n in range(rows)
        ]
    )
    RapidReview.objects.bulk_create(
        [RapidReview(case=case, anchor="notification", anchor_date=dt.date(2025, 1, 2)) for case in cases]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                case=case,
                partnership=partnership,
                kind=Review.Kind.LOCAL_CSPR,
                decided_on=dt.date(2024, 2, 1),
                commissioned_on=dt.date(2024, 2, 1),
            )
            for case in cases
        ]
    )
    Publication.objects.bulk_create(
        [
            Publication(
                review=review,
                partnership=partnership,
                status=Publication.Status.PUBLISHED,
                title=f"Child {n}: review",
                file="reports/x.pdf",
                reviewer_names="Dr Example",
                summary_of_improvements="Improve",
                published_on=dt.date(2024, 6, 1),
            )
            for n, review in enumerate(reviews)
        ]
    )
    return len(reviews)


def test_the_public_list_answers_a_conditional_get_and_may_be_cached_without_a_session(client):
    _world(3)
    url = reverse("publication:published-list")
    response = client.get(url)
    etag = response["ETag"]
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "public" in again["Cache-Control"] and "Cookie" in again["Vary"]
    # A change to what the list shows changes its ETag.
    Publication.objects.filter(pk=Publication.objects.first().pk).update(
        status=Publication.Status.TAKEN_DOWN, take_down_reason="Test", updated_at=timezone.now()
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    # Another page has another ETag.
    assert client.get(url, {"page": 2})["ETag"] != client.get(url)["ETag"]


def test_the_public_list_is_private_to_someone_signed_in(client):
    partnership, manager = _world(1)
    log_in(client, manager)
    response = client.get(reverse("publication:published-list"))
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_the_calendar_feed_holds_open_clocks_and_missed_ones_of_the_last_90_days():
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    today = dt.date(2026, 6, 1)
    open_one = open_clock(partnership, due_date=today + dt.timedelta(days=5))
    recent = open_clock(partnership, due_date=today - dt.timedelta(days=30))
    old = open_clock(partnership, due_date=today - dt.timedelta(days=400))
    Deadline.objects.filter(pk__in=[recent.pk, old.pk]).update(status=Deadline.Status.MISSED)
    shown = set(calendar_deadlines(manager, today).values_list("pk", flat=True))
    assert shown == {open_one.pk, recent.pk}
