"""The publication rules the pages show, each a predicate of the model (never a
condition written in a template): whether a report's minimum 12 months of
publication are over, and whether a briefing may be published on its own."""

import datetime as dt

import pytest
from django.urls import reverse

from publication import services
from publication.models import Briefing, Publication
from tests.factories import log_in

D = dt.date


@pytest.mark.parametrize(
    ("status", "public_until", "today", "expected"),
    [
        (Publication.Status.PUBLISHED, D(2026, 7, 18), D(2026, 7, 17), False),  # the day before
        (Publication.Status.PUBLISHED, D(2026, 7, 18), D(2026, 7, 18), True),  # the day it ends
        (Publication.Status.PUBLISHED, D(2026, 7, 18), D(2027, 1, 4), True),
        (Publication.Status.PUBLISHED, None, D(2027, 1, 4), False),
        (Publication.Status.PREPARING, D(2026, 7, 18), D(2027, 1, 4), False),  # never published
    ],
)
def test_window_ended(status, public_until, today, expected):
    publication = Publication(status=status, public_until=public_until)
    assert publication.window_ended(today=today) is expected


@pytest.mark.parametrize(
    ("status", "with_report", "expected"),
    [
        (Briefing.Status.DRAFT, False, True),
        (Briefing.Status.DRAFT, True, False),  # it goes out with the final report
        (Briefing.Status.PUBLISHED, False, False),  # already published
        (Briefing.Status.PUBLISHED, True, False),
    ],
)
def test_may_be_published_on_its_own(status, with_report, expected):
    briefing = Briefing(status=status, publish_with_report=with_report)
    assert briefing.may_be_published_on_its_own is expected


BRIEFING = {
    "title": "Child E: 7-minute briefing",
    "background": "b",
    "what_happened": "w",
    "key_learning": "k",
    "what_should_change": "c",
    "question_1": "q1",
    "question_2": "q2",
    "question_3": "q3",
}


@pytest.mark.parametrize(("with_report", "button_shown"), [(False, True), (True, False)])
def test_the_briefing_page_offers_publishing_on_its_own_when_the_rule_allows(
    client, ready, with_report, button_shown
):
    briefing = services.create_briefing(
        partnership=ready.partnership,
        review=ready.review,
        actor=ready.manager,
        publish_with_report=with_report,
        **BRIEFING,
    )
    log_in(client, ready.manager)
    page = client.get(reverse("publication:briefing-detail", args=[briefing.pk])).content.decode()
    assert ("Publish this briefing on its own" in page) is button_shown
    assert (
        "It will be published with the review&#x27;s final report." in page
        or "It will be published with the review's final report." in page
    ) is with_report
