"""Commissioning the review from a rapid review's outcome: which kind, when it is
refused, who may, and the case's stage."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import Case
from rapid_review import services as rr
from rapid_review.models import RapidReview
from reviews import services
from reviews.models import Review
from tests.factories import CaseFactory, SeriousIncidentNotificationFactory, log_in

pytestmark = pytest.mark.django_db
D = dt.date


def rapid_review(people, *, decision="local_cspr", pending=False, panel=None, national=False):
    case = CaseFactory(partnership=people.north, reference="NCC-2026-007")
    SeriousIncidentNotificationFactory(case=case, aware_on=D(2026, 3, 30), notified_panel_on=D(2026, 4, 2))
    review = rr.open_rapid_review(case=case, actor=people.manager)
    meeting = rr.add_meeting(review=review, actor=people.manager, date=D(2026, 4, 14))
    rr.add_attendee(
        review=review,
        actor=people.manager,
        meeting=meeting,
        name="Dana Okafor",
        role="Inspector",
        agency=people.police,
    )
    rr.mark_meeting_held(review=review, actor=people.manager)
    if decision != "no_further_review":
        # Criterion (c) met, so a local review follows the criteria.
        rr.update_rapid_review(review=review, actor=people.manager, criterion_agencies_working_together=True)
    if decision == "":
        # A referral to the Panel recorded before the three outcomes, as the data
        # migration left it: no outcome, the partners' statement kept.
        RapidReview.objects.filter(pk=review.pk).update(
            status="decided",
            decided_on=D(2026, 4, 15),
            decision_rationale="National.",
            national_review_may_be_appropriate=True,
            national_review_reasons="National.",
        )
        return RapidReview.objects.get(pk=review.pk)
    if decision is None:
        return RapidReview.objects.get(pk=review.pk)
    if pending:
        rr.record_decision(
            review=review, actor=people.lead, pending=True, expected_on=dt.date.today() + dt.timedelta(days=7)
        )
    else:
        rr.record_decision(
            review=review,
            actor=people.lead,
            decision=decision,
            rationale="Reasons.",
            decided_on=D(2026, 4, 15),
            national_review_may_be_appropriate=national,
            national_review_reasons="Several areas." if national else "",
        )
    if panel:
        rr.submit_to_panel(review=review, actor=people.manager, sent_on=D(2026, 4, 21))
        rr.record_panel_response(
            review=review, actor=people.manager, response=panel, responded_on=D(2026, 5, 5)
        )
    return RapidReview.objects.get(pk=review.pk)


@pytest.mark.parametrize(
    "decision, panel, kind, decided_on, method",
    [
        ("local_cspr", None, Review.Kind.LOCAL_CSPR, D(2026, 4, 15), ""),
        ("other_learning_review", None, Review.Kind.OTHER_LEARNING, D(2026, 4, 15), "learning_event"),
        ("other_learning_review", "national_review", Review.Kind.NATIONAL, D(2026, 5, 5), ""),
        ("no_further_review", "national_review", Review.Kind.NATIONAL, D(2026, 5, 5), ""),
    ],
)
def test_the_review_commissioned_is_the_one_the_outcome_calls_for(
    people, decision, panel, kind, decided_on, method
):
    review = rapid_review(people, decision=decision, panel=panel)
    made = services.commission_review_from_rapid_review(
        rapid_review=review, actor=people.manager, method=method
    )
    assert (made.kind, made.decided_on, made.case_id) == (kind, decided_on, review.case_id)
    assert Case.objects.get(pk=review.case_id).stage == Case.Stage.REVIEW


@pytest.mark.parametrize(
    "setup, message",
    [
        ({"decision": "no_further_review"}, "no further review"),
        ({"decision": None}, "not decided yet"),
        ({"pending": True}, "not decided yet"),
        ({"decision": "no_further_review", "national": True, "panel": "agrees"}, "no further review"),
        ({"decision": ""}, "record the Panel's response"),
    ],
)
def test_commissioning_is_refused_when_the_outcome_calls_for_no_review(people, setup, message):
    review = rapid_review(people, **setup)
    with pytest.raises(ValidationError, match=message):
        services.commission_review_from_rapid_review(rapid_review=review, actor=people.manager)
    assert not Review.objects.exists()


def test_commissioning_twice_is_refused_and_makes_one_review(people, client):
    review = rapid_review(people)
    url = reverse("reviews:review-commission-from-rapid-review", args=[review.pk])
    log_in(client, people.manager)
    first = client.post(url)
    made = Review.objects.get()
    assert first["Location"] == reverse("reviews:review-detail", args=[made.pk])
    second = client.post(url, follow=True)
    assert "is already commissioned" in second.content.decode()
    assert second.redirect_chain[-1][0] == reverse("rapid_review:detail", args=[review.pk])
    assert Review.objects.count() == 1


def test_the_page_refuses_with_the_reason_and_changes_nothing(people, client):
    review = rapid_review(people, decision="no_further_review")
    log_in(client, people.manager)
    page = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert "Commission the review" not in page and "no further review" in page
    response = client.post(
        reverse("reviews:review-commission-from-rapid-review", args=[review.pk]), follow=True
    )
    assert "there is no review to commission" in response.content.decode()
    assert not Review.objects.exists()
    assert Case.objects.get(pk=review.case_id).stage == Case.Stage.DECISION


def test_only_the_business_team_may_commission(people, client):
    review = rapid_review(people)
    with pytest.raises(PermissionDenied):
        services.commission_review_from_rapid_review(rapid_review=review, actor=people.reviewer)
    url = reverse("reviews:review-commission-from-rapid-review", args=[review.pk])
    for user in (people.practitioner, people.outsider):
        log_in(client, user)
        assert client.post(url).status_code == 404
    log_in(client, people.manager)
    assert client.get(url).status_code == 405
    assert not Review.objects.exists()


def test_the_stage_moves_forward_only(people):
    review = rapid_review(people, decision=None)
    case = review.case
    case.refresh_from_db()
    assert case.stage == Case.Stage.RAPID_REVIEW
    rr.record_decision(
        review=review,
        actor=people.lead,
        decision="local_cspr",
        rationale="Reasons.",
        decided_on=D(2026, 4, 15),
    )
    case.refresh_from_db()
    assert case.stage == Case.Stage.DECISION
    services.commission_review_from_rapid_review(rapid_review=review, actor=people.manager)
    # The decision recorded again (before submission) does not move the case back.
    rr.record_decision(
        review=review,
        actor=people.lead,
        decision="local_cspr",
        rationale="Reasons, again.",
        decided_on=D(2026, 4, 15),
    )
    case.refresh_from_db()
    assert case.stage == Case.Stage.REVIEW


def test_another_learning_review_asks_for_its_method_on_the_page(people, client):
    review = rapid_review(people, decision="other_learning_review")
    log_in(client, people.manager)
    page = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert "Method of the learning review" in page
    url = reverse("reviews:review-commission-from-rapid-review", args=[review.pk])
    refused = client.post(url, follow=True).content.decode()
    assert "Choose the method of the learning review." in refused
    assert not Review.objects.exists()
    client.post(url, {"method": "appreciative_inquiry"})
    assert Review.objects.get().method == "appreciative_inquiry"
