"""Opening a rapid review from a notified case starts its 15-working-day clock."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cspr.models import AuditEvent, Deadline
from rapid_review import services
from rapid_review.models import RapidReview
from tests.factories import CaseFactory, SeriousIncidentNotificationFactory, log_in

from .conftest import D, advance

pytestmark = pytest.mark.django_db


def test_notified_thursday_2_april_2026_is_due_monday_27_april_skipping_easter(world):
    review = services.open_rapid_review(case=world.case, actor=world.manager)
    deadline = Deadline.objects.get(rule="rapid_review", subject_id=review.pk)
    assert review.anchor == "notification" and review.anchor_date == D(2026, 4, 2)
    assert deadline.due_date == D(2026, 4, 27)
    assert deadline.reference == "NCC-2026-014"
    assert deadline.status == Deadline.Status.OPEN
    assert AuditEvent.objects.filter(action="create", subject_label="NCC-2026-014 rapid review").exists()


def test_a_partnership_that_anchors_on_awareness_counts_from_the_awareness_date(world):
    world.partnership.rapid_review_anchor = "awareness"
    world.partnership.save()
    world.notification.notified_panel_on = None
    world.notification.status = "aware"
    world.notification.save()
    review = services.open_rapid_review(case=world.case, actor=world.manager)
    assert (review.anchor, review.anchor_date) == ("awareness", D(2026, 3, 30))
    # Monday 30 March 2026 + 15 working days, Good Friday and Easter Monday skipped.
    assert Deadline.objects.get(subject_id=review.pk, rule="rapid_review").due_date == D(2026, 4, 22)


def test_a_case_whose_panel_notification_date_is_missing_cannot_open_a_rapid_review(world):
    world.notification.notified_panel_on = None
    world.notification.save()
    with pytest.raises(ValidationError, match="date the National Panel was notified"):
        services.open_rapid_review(case=world.case, actor=world.manager)
    assert not RapidReview.objects.exists() and not Deadline.objects.exists()


def test_a_case_without_a_notification_cannot_open_a_rapid_review(world):
    case = CaseFactory(partnership=world.partnership)
    with pytest.raises(ValidationError, match="Record the serious incident notification"):
        services.open_rapid_review(case=case, actor=world.manager)


def test_a_withdrawn_notification_opens_no_rapid_review(world):
    world.notification.status = "withdrawn"
    world.notification.save()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.open_rapid_review(case=world.case, actor=world.manager)


def test_opening_from_the_page_redirects_to_the_review_showing_due_date_and_days_left(world, client):
    log_in(client, world.manager)
    response = client.post(reverse("rapid_review:open", args=[world.case.pk]), follow=True)
    review = RapidReview.objects.get()
    assert response.redirect_chain[-1][0] == reverse("rapid_review:detail", args=[review.pk])
    html = response.content.decode()
    assert "Rapid review NCC-2026-014" in html
    assert "27 April 2026" in html
    assert "working days overdue" in html  # 27 April 2026 is long past
    assert "Rapid review opened for case NCC-2026-014." in html


def test_opening_twice_from_the_page_is_refused_with_a_message(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    response = client.post(reverse("rapid_review:open", args=[world.case.pk]), follow=True)
    assert "A rapid review is already open for case NCC-2026-014." in response.content.decode()
    assert RapidReview.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("rapid_review:detail", args=[review.pk])


def test_opening_without_a_notification_date_from_the_page_shows_why_and_saves_nothing(world, client):
    world.notification.notified_panel_on = None
    world.notification.save()
    log_in(client, world.manager)
    response = client.post(reverse("rapid_review:open", args=[world.case.pk]), follow=True)
    assert "the 15 working days count from it" in response.content.decode()
    assert not RapidReview.objects.exists()


def test_opening_through_the_api_returns_the_review_with_its_due_date(world, client):
    log_in(client, world.manager)
    response = client.post(
        reverse("api:rapid-review-list"), {"case": world.case.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_reference"] == "NCC-2026-014"
    assert body["due_date"] == "2026-04-27"
    assert body["status"] == "open"


def test_opening_through_the_api_without_a_notification_is_a_400(world, client):
    case = CaseFactory(partnership=world.partnership)
    log_in(client, world.manager)
    response = client.post(
        reverse("api:rapid-review-list"), {"case": case.pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "notification" in response.json()["non_field_errors"][0]


def test_a_practitioner_cannot_open_a_rapid_review(world, client):
    log_in(client, world.practitioner)
    assert client.post(reverse("rapid_review:open", args=[world.case.pk])).status_code == 404
    response = client.post(
        reverse("api:rapid-review-list"), {"case": world.case.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not RapidReview.objects.exists()


def test_sending_meets_the_clock_on_the_date_sent(world):
    review = advance(world, "submitted")
    deadline = Deadline.objects.get(rule="rapid_review", subject_id=review.pk)
    assert deadline.status == Deadline.Status.MET and deadline.met_on == D(2026, 4, 21)


def test_the_days_the_panel_took_are_counted_in_working_days(world):
    review = advance(world, "panel_responded")
    # Tuesday 21 April to Tuesday 5 May 2026, the early May bank holiday skipped.
    assert review.panel_response_working_days == 9


def test_the_list_shows_due_date_days_left_and_status(world, client):
    advance(world, "open")
    other_case = SeriousIncidentNotificationFactory(
        case=CaseFactory(partnership=world.partnership, reference="NCC-2026-020"),
        notified_panel_on=dt.date.today(),
    ).case
    services.open_rapid_review(case=other_case, actor=world.manager)
    log_in(client, world.manager)
    html = client.get(reverse("rapid_review:list")).content.decode()
    assert "NCC-2026-014" in html and "NCC-2026-020" in html
    assert "27 April 2026" in html
    assert "15 working days left" in html
    assert html.index("NCC-2026-014") < html.index("NCC-2026-020")  # soonest due first
