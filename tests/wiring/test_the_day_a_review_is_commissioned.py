"""The day a review is commissioned is recorded (today unless said otherwise): on or
after the partners' decision, not in the future, and on or before the final report;
the "commission the review" clock is met that day, so a late one shows as late. Through
the page and the API alike."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cspr.models import Deadline
from reviews import services
from reviews.models import Review
from tests.factories import api_authorization, log_in

from .test_commissioning_from_a_rapid_review import rapid_review

pytestmark = pytest.mark.django_db
D = dt.date

# The partners decided on Wednesday 15 April 2026: the 20 working days to commission
# the review (the early May bank holiday skipped) end on Thursday 14 May.
DUE = D(2026, 5, 14)


def commission_clock(review) -> Deadline:
    return Deadline.objects.get(rule="commission_review", reference=review.case.reference)


def test_commissioned_late_on_the_page_shows_met_late(people, client):
    decided = rapid_review(people)
    assert commission_clock(decided).due_date == DUE
    log_in(client, people.manager)
    page = client.get(reverse("rapid_review:detail", args=[decided.pk])).content.decode()
    assert 'name="commissioned_on"' in page and f'value="{dt.date.today().isoformat()}"' in page
    response = client.post(
        reverse("reviews:review-commission-from-rapid-review", args=[decided.pk]),
        {"commissioned_on": "2026-05-20"},
        follow=True,
    )
    review = Review.objects.get()
    assert review.commissioned_on == D(2026, 5, 20)
    clock = commission_clock(decided)
    assert (clock.status, clock.met_on) == ("met", D(2026, 5, 20))
    assert "Commissioned" in response.content.decode() and "20 May 2026" in response.content.decode()
    case_page = client.get(reverse("cases:case-detail", args=[review.case_id])).content.decode()
    assert "Met late: 4 working days" in case_page  # 15, 18, 19 and 20 May


def test_a_date_before_the_decision_is_refused_naming_both_dates(people, client):
    decided = rapid_review(people)
    log_in(client, people.manager)
    response = client.post(
        reverse("reviews:review-commission-from-rapid-review", args=[decided.pk]),
        {"commissioned_on": "2026-04-14"},
        follow=True,
    )
    message = (
        "The date the review was commissioned (14 April 2026) must be on or after the date of the "
        "decision (15 April 2026)"
    )
    assert message in response.content.decode()
    assert not Review.objects.exists() and commission_clock(decided).status == "open"

    api = client.post(
        "/api/v1/reviews/from-rapid-review/",
        {"rapid_review": decided.pk, "commissioned_on": "2026-04-14"},
        content_type="application/json",
        HTTP_AUTHORIZATION=api_authorization(people.manager),
    )
    assert api.status_code == 409 and message in str(api.json()["commissioned_on"])
    assert not Review.objects.exists()


def test_a_future_date_is_refused_on_the_commission_page_and_in_the_api(people, client):
    decided = rapid_review(people)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    log_in(client, people.manager)
    response = client.post(
        reverse("reviews:review-commission"),
        {
            "case": decided.case_id,
            "kind": "local_cspr",
            "decided_on": "2026-04-15",
            "commissioned_on": tomorrow.isoformat(),
        },
    )
    assert "must be today or in the past" in response.content.decode()
    api = client.post(
        "/api/v1/reviews/",
        {
            "case": decided.case_id,
            "kind": "local_cspr",
            "decided_on": "2026-04-15",
            "commissioned_on": str(tomorrow),
        },
        content_type="application/json",
    )
    assert api.status_code == 409 and "must be today or in the past" in str(api.json())
    assert not Review.objects.exists()


def test_left_out_it_is_today_and_the_api_shows_it(people, client):
    decided = rapid_review(people)
    log_in(client, people.manager)
    response = client.post(
        "/api/v1/reviews/from-rapid-review/", {"rapid_review": decided.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["commissioned_on"] == dt.date.today().isoformat()
    assert commission_clock(decided).met_on == dt.date.today()


def test_the_final_report_cannot_be_received_before_the_review_was_commissioned(people, client):
    decided = rapid_review(people)
    review = services.commission_review_from_rapid_review(
        rapid_review=decided, actor=people.manager, commissioned_on=D(2026, 5, 20)
    )
    message = (
        "The date the final report was received (19 May 2026) must be on or after the date the "
        "review was commissioned (20 May 2026)"
    )
    log_in(client, people.manager)
    page = client.post(
        reverse("reviews:review-status", args=[review.pk]),
        {"step": "final_report_received", "on": "2026-05-19"},
    )
    assert message in page.content.decode()
    api = client.post(
        f"/api/v1/reviews/{review.pk}/progress/",
        {"step": "final_report_received", "on": "2026-05-19"},
        content_type="application/json",
    )
    assert api.status_code == 409 and message in str(api.json())
    review.refresh_from_db()
    assert review.final_report_received_on is None and review.status == Review.Status.COMMISSIONED


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_existing_reviews_from_their_clock_or_their_creation(people):
    decided = rapid_review(people)
    with_clock = services.commission_review_from_rapid_review(
        rapid_review=decided, actor=people.manager, commissioned_on=D(2026, 5, 20)
    )
    other = services.commission_review(
        case=decided.case,
        kind="other_learning",
        method="learning_event",
        decided_on=D(2026, 4, 15),
        actor=people.lead,
    )
    Review.objects.filter(pk=other.pk).update(created_at=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))

    executor = MigrationExecutor(connection)
    executor.migrate([("reviews", "0002_review_commissioned_on")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reviews_review SET commissioned_on = NULL")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Review.objects.get(pk=with_clock.pk).commissioned_on == D(2026, 5, 20)  # the clock's met date
    assert Review.objects.get(pk=other.pk).commissioned_on == D(2026, 6, 1)  # the day it was created
