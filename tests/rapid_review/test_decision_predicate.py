"""When the partners' decision may be recorded: a rule of the model
(``RapidReview.decision_may_be_recorded``), which the detail page asks; the
template holds no condition of its own."""

import pytest
from django.urls import reverse

from rapid_review import services
from rapid_review.models import RapidReview
from tests.factories import log_in

from .conftest import D, advance

Status = RapidReview.Status


@pytest.mark.parametrize(
    ("status", "pending", "expected"),
    [
        (Status.OPEN, False, False),  # the meeting is not held yet
        (Status.MEETING_HELD, False, True),
        (Status.DECIDED, False, True),  # a decision may be recorded again until sent
        (Status.DECIDED, True, True),
        (Status.SUBMITTED, False, False),  # sent to the Panel: final
        (Status.SUBMITTED, True, True),  # sent with the decision pending: it may be completed
        (Status.PANEL_RESPONDED, False, False),
        (Status.PANEL_RESPONDED, True, True),
    ],
)
def test_decision_may_be_recorded(status, pending, expected):
    decision = "" if pending or status in (Status.OPEN, Status.MEETING_HELD) else "local_cspr"
    review = RapidReview(status=status, decision_pending=pending, decision=decision)
    assert review.decision_may_be_recorded is expected


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.PANEL_RESPONDED])
def test_a_sent_review_without_one_of_the_three_outcomes_may_still_have_it_recorded(status):
    """A referral to the Panel recorded before the three outcomes keeps only the
    partners' statement (the data migration): their decision is still outstanding."""
    review = RapidReview(status=status, decision="", national_review_may_be_appropriate=True)
    assert review.decision_outstanding and review.decision_may_be_recorded


@pytest.mark.django_db
def test_the_detail_page_shows_the_decision_form_to_a_partner_lead_only_when_the_rule_says_so(world, client):
    review = advance(world, "meeting_held")
    form = f'action="{reverse("rapid_review:decision", args=[review.pk])}"'
    log_in(client, world.lead)
    assert form in client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    log_in(client, world.manager)  # may manage, may not decide
    assert form not in client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    services.update_rapid_review(review=review, actor=world.manager, criterion_agencies_working_together=True)
    services.record_decision(
        review=review,
        actor=world.lead,
        decision="local_cspr",
        rationale="Two agencies did not share information.",
        decided_on=D(2026, 4, 15),
    )
    services.submit_to_panel(review=review, actor=world.manager, sent_on=D(2026, 4, 21))
    log_in(client, world.lead)
    assert form not in client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
