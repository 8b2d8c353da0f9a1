"""The rapid review's dates in the order the events happened, and the partners'
decision as the law frames it: each rule through the page and the API, the same
words on the field, nothing saved when refused. The world's case: notified 2 April
2026 (the 15 working days count from it), meeting 14 April, decision 15 April,
sent 21 April."""

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cspr.models import Deadline
from cspr.roles import Role
from messaging.models import EmailPreference, Message
from rapid_review import services
from rapid_review.models import RapidReview
from tests.factories import log_in, member

from .conftest import CHILD_NAME, D, advance

pytestmark = pytest.mark.django_db

SENT_BEFORE_DECISION = (
    "The date sent to the Panel (14 April 2026) must be on or after the date of the decision (15 April 2026)"
)


def page(client, name, review, data):
    return html.unescape(
        client.post(reverse(f"rapid_review:{name}", args=[review.pk]), data, follow=True).content.decode()
    )


def api(client, name, review, data):
    return client.post(
        reverse(f"api:rapid-review-{name}", args=[review.pk]), data, content_type="application/json"
    )


def clock(rule, review):
    return Deadline.objects.filter(
        rule=rule, subject_type=ContentType.objects.get_for_model(RapidReview), subject_id=review.pk
    ).first()


# -- the order of the dates ------------------------------------------------------------


def test_a_review_sent_before_its_decision_is_refused_on_the_page(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    text = page(client, "submit", review, {"submit-sent_on": "2026-04-14"})
    assert SENT_BEFORE_DECISION in text and 'id="id_submit-sent_on-error"' in text
    review.refresh_from_db()
    assert (review.status, review.submitted_on) == ("decided", None)
    assert clock("rapid_review", review).status == "open"


def test_a_review_sent_before_its_decision_is_a_400_on_the_field_through_the_api(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    response = api(client, "submit", review, {"sent_on": "2026-04-14"})
    assert response.status_code == 409
    assert response.json()["sent_on"] == [SENT_BEFORE_DECISION]
    review.refresh_from_db()
    assert (review.status, review.submitted_on) == ("decided", None)


def test_a_meeting_before_the_clock_started_is_refused_page_and_api(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    message = (
        "The date of the meeting (1 April 2026) must be on or after the date the rapid "
        "review's 15 working days count from (2 April 2026)"
    )
    assert message in page(client, "meeting-add", review, {"meeting-date": "2026-04-01"})
    response = api(client, "meetings", review, {"date": "2026-04-01"})
    assert response.status_code == 409 and response.json()["date"] == [message]
    assert not review.meetings.exists()


def test_a_decision_before_the_meeting_or_in_the_future_is_refused_page_and_api(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    before = (
        "The date of the decision (13 April 2026) must be on or after the date of the first "
        "rapid review meeting (14 April 2026)"
    )
    text = page(
        client,
        "decision",
        review,
        {
            "decision-decision": "other_learning_review",
            "decision-rationale": "R",
            "decision-decided_on": "2026-04-13",
        },
    )
    assert before in text
    response = api(
        client,
        "decide",
        review,
        {"decision": "other_learning_review", "rationale": "R", "decided_on": "2026-04-13"},
    )
    assert response.status_code == 409 and response.json()["decided_on"] == [before]
    future = dt.date.today() + dt.timedelta(days=2)
    response = api(
        client,
        "decide",
        review,
        {"decision": "other_learning_review", "rationale": "R", "decided_on": future.isoformat()},
    )
    assert response.status_code == 409 and "must be today or in the past" in str(response.json())
    review.refresh_from_db()
    assert (review.status, review.decision, review.decided_on) == ("meeting_held", "", None)


def test_a_decision_pending_when_sent_is_recorded_on_or_after_the_sending(world, client):
    review = advance(world, "meeting_held")
    services.record_decision(
        review=review, actor=world.lead, pending=True, expected_on=dt.date.today() + dt.timedelta(days=10)
    )
    services.submit_to_panel(review=review, actor=world.manager, sent_on=D(2026, 4, 21))
    log_in(client, world.lead)
    message = (
        "The date of the decision (20 April 2026) must be on or after the date sent to "
        "the Panel (21 April 2026)"
    )
    data = {"decision": "other_learning_review", "rationale": "R", "decided_on": "2026-04-20"}
    response = api(client, "decide", review, data)
    assert response.status_code == 409 and response.json()["decided_on"] == [message]
    assert message in page(
        client, "decision", review, {f"decision-{key}": value for key, value in data.items()}
    )
    review.refresh_from_db()
    assert review.decision_pending and review.decided_on is None
    assert api(client, "decide", review, {**data, "decided_on": "2026-04-22"}).status_code == 200


def test_nothing_before_the_review_regulations(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    response = api(
        client,
        "decide",
        review,
        {"decision": "other_learning_review", "rationale": "R", "decided_on": "2018-06-28"},
    )
    assert response.status_code == 409
    assert "when the review regulations began" in response.json()["decided_on"][0]


# -- the decision as the law frames it -------------------------------------------------


def test_the_partners_choose_one_of_three_outcomes_and_refer_national_is_gone(world, client):
    assert RapidReview.Decision.values == ["local_cspr", "other_learning_review", "no_further_review"]
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    response = api(
        client, "decide", review, {"decision": "refer_national", "rationale": "R", "decided_on": "2026-04-15"}
    )
    assert response.status_code == 400 and "decision" in response.json()


def test_a_national_review_statement_needs_its_reasons(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    data = {
        "decision": "other_learning_review",
        "rationale": "R",
        "decided_on": "2026-04-15",
        "national_review_may_be_appropriate": True,
    }
    response = api(client, "decide", review, data)
    assert response.status_code == 409
    assert response.json()["national_review_reasons"] == [
        "Enter why the partners think a national review may be more appropriate."
    ]
    body = api(client, "decide", review, {**data, "national_review_reasons": "Three areas."}).json()
    assert (body["national_review_may_be_appropriate"], body["national_review_reasons"]) == (
        True,
        "Three areas.",
    )


@pytest.mark.parametrize(
    "decision, criterion, words",
    [
        ("local_cspr", False, "None of criteria (a) to (d) is recorded as met"),
        ("no_further_review", True, "Criteria are recorded as met"),
    ],
)
def test_a_decision_against_the_criteria_needs_the_partners_reasons(
    world, client, decision, criterion, words
):
    review = advance(world, "meeting_held")
    services.update_rapid_review(review=review, actor=world.manager, criterion_recurring_themes=criterion)
    log_in(client, world.lead)
    data = {"decision": decision, "rationale": "R", "decided_on": "2026-04-15"}
    response = api(client, "decide", review, data)
    assert response.status_code == 409
    assert words in response.json()["criteria_departure_reasons"][0]
    text = page(client, "decision", review, {f"decision-{k}": v for k, v in data.items()})
    assert words in text
    review.refresh_from_db()
    assert review.status == "meeting_held"
    body = api(
        client,
        "decide",
        review,
        {**data, "criteria_departure_reasons": "The family asked; a thematic review covers it."},
    ).json()
    assert body["criteria_departure_reasons"] == "The family asked; a thematic review covers it."


def test_a_decision_that_follows_the_criteria_keeps_no_departure_reasons(world):
    review = advance(world, "meeting_held")
    services.update_rapid_review(review=review, actor=world.manager, criterion_recurring_themes=True)
    review = services.record_decision(
        review=review,
        actor=world.lead,
        decision="local_cspr",
        rationale="R",
        criteria_departure_reasons="Not needed.",
        decided_on=D(2026, 4, 15),
    )
    assert review.criteria_departure_reasons == ""


# -- the local review's clocks start at the decision -----------------------------------


def test_deciding_on_a_local_review_starts_its_clocks_at_once(world):
    review = advance(world, "decided")
    months, task = clock("lcspr_final_report", review), clock("commission_review", review)
    assert (months.status, months.start_date, months.due_date) == ("open", D(2026, 4, 15), D(2026, 10, 15))
    assert (task.status, task.start_date) == ("open", D(2026, 4, 15))


def test_a_decided_review_nobody_commissioned_shows_as_late_on_the_dashboard(world, client):
    review = advance(world, "decided")
    from cspr.services import mark_missed_deadlines

    mark_missed_deadlines(today=dt.date.today())
    assert clock("commission_review", review).status == "missed"
    log_in(client, world.manager)
    dashboard = client.get(reverse("notifications:dashboard")).content.decode()
    assert "Commission the local child safeguarding practice review" in dashboard


def test_a_decision_changed_away_from_a_local_review_waives_its_clocks(world):
    review = advance(world, "decided")
    services.record_decision(
        review=review,
        actor=world.lead,
        decision="other_learning_review",
        rationale="On reflection.",
        decided_on=D(2026, 4, 16),
    )
    assert clock("lcspr_final_report", review).status == "waived"
    assert clock("commission_review", review).status == "waived"


# -- the panel liaison -----------------------------------------------------------------


@pytest.fixture
def liaison(world):
    return member(world.partnership, Role.PANEL_LIAISON, username="liaison")


def test_the_panel_liaison_sees_every_rapid_review_from_when_it_opens(world, client, liaison):
    review = advance(world, "open")
    log_in(client, liaison)
    home = client.get("/").content.decode()
    assert 'href="/rapid-reviews/"' in home
    listing = client.get(reverse("rapid_review:list")).content.decode()
    assert world.case.reference in listing
    detail = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert world.case.reference in detail and CHILD_NAME not in detail
    assert "Go to case" not in detail  # the case itself is not theirs to see
    assert client.get(reverse("cases:case-detail", args=[world.case.pk])).status_code == 404
    assert client.get(reverse("api:rapid-review-detail", args=[review.pk])).status_code == 200
    assert client.get(reverse("rapid_review:pdf", args=[review.pk])).status_code == 200
    # They see it; they cannot change it.
    assert api(client, "meetings", review, {"date": "2026-04-14"}).status_code == 403


def test_a_panel_liaison_of_another_partnership_gets_404(world, client):
    review = advance(world, "open")
    log_in(client, member(world.other, Role.PANEL_LIAISON))
    assert client.get(reverse("rapid_review:detail", args=[review.pk])).status_code == 404
    assert client.get(reverse("api:rapid-review-detail", args=[review.pk])).status_code == 404
    assert client.get(reverse("rapid_review:pdf", args=[review.pk])).status_code == 404
    assert world.case.reference not in client.get(reverse("rapid_review:list")).content.decode()


def test_the_panel_liaison_is_told_of_the_decision_and_the_sending(
    world, liaison, mailoutbox, django_capture_on_commit_callbacks
):
    quiet = member(world.partnership, Role.PANEL_LIAISON, username="quiet")
    EmailPreference.objects.create(user=quiet, rapid_review_news=False)
    with django_capture_on_commit_callbacks(execute=True):
        review = advance(world, "submitted")
    for user in (liaison, quiet):
        subjects = sorted(Message.objects.filter(recipient=user).values_list("subject", flat=True))
        assert subjects == [
            f"Rapid review {world.case.reference} was sent to the Panel",
            f"The partners' decision on rapid review {world.case.reference} is recorded",
        ]
    # By e-mail only to the liaison who chose it.
    assert sorted(m.to[0] for m in mailoutbox) == [liaison.email] * 2
    bodies = " ".join(Message.objects.values_list("body", flat=True))
    assert CHILD_NAME not in bodies
    assert review.is_submitted
