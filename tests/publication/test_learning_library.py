"""The learning library: published reviews and briefings of the user's
partnerships, full-text search, theme and year filters."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.roles import Role
from publication import services
from publication.models import LearningTheme
from tests.factories import (
    PartnershipFactory,
    commissioned_review,
    log_in,
    member,
    pdf_upload,
    publish_long_ago,
)

pytestmark = pytest.mark.django_db


def published(partnership, manager, *, title, summary, theme, year):
    review = commissioned_review(partnership, manager, decided_on=dt.date(year - 1, 1, 10))
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=pdf_upload(),
        title=title,
        summary_of_improvements=summary,
        reviewer_names="Dr Example",
        received_on=dt.date(year - 1, 6, 1),
        themes=[LearningTheme.objects.get(slug=theme)],
    )
    return publish_long_ago(publication, copies_on=dt.date(year, 1, 5), published_on=dt.date(year, 2, 1))


def test_members_search_their_partnerships_published_reviews_by_text_theme_and_year(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    practitioner = member(partnership, Role.PRACTITIONER)
    published(
        partnership,
        manager,
        title="Child K: review",
        summary="Bruising in babies who cannot crawl",
        theme="neglect",
        year=2024,
    )
    published(
        partnership,
        manager,
        title="Child L: review",
        summary="County lines and exploitation",
        theme="child-criminal-exploitation-and-county-lines",
        year=2025,
    )
    other = PartnershipFactory()
    other_manager = member(other, Role.BUSINESS_MANAGER)
    published(
        other,
        other_manager,
        title="Child M: review",
        summary="Bruising elsewhere",
        theme="neglect",
        year=2025,
    )

    log_in(client, practitioner)
    url = reverse("publication:library")
    html = client.get(url).content.decode()
    assert "Child K" in html and "Child L" in html and "Child M" not in html
    html = client.get(url, {"q": "bruises"}).content.decode()  # stemmed full-text match
    assert "Child K" in html and "Child L" not in html
    html = client.get(url, {"theme": "child-criminal-exploitation-and-county-lines"}).content.decode()
    assert "Child L" in html and "Child K" not in html
    html = client.get(url, {"year": "2024"}).content.decode()
    assert "Child K" in html and "Child L" not in html


def test_the_library_needs_sign_in(client):
    assert client.get(reverse("publication:library")).status_code == 302
