"""The learning library searches a stored vector with a GIN index (PostgreSQL),
written by a trigger whenever a report or briefing is written, and pages its lists."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from cspr.roles import Role
from publication import selectors
from publication.models import Briefing, Publication
from tests.factories import PartnershipFactory, log_in, member

from .test_learning_library import published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"),
]


def test_searching_neglect_finds_the_reports_and_briefings_that_speak_of_it(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    neglected = published(
        partnership,
        manager,
        title="Child N: review",
        summary="Chronic neglect went unseen by universal services",
        theme="neglect",
        year=2024,
    )
    other = published(
        partnership,
        manager,
        title="Child P: review",
        summary="Drowning in a bath",
        theme="neglect",
        year=2024,
    )
    briefing = Briefing.objects.create(
        partnership=partnership,
        review=other.review,
        status=Briefing.Status.PUBLISHED,
        title="Bath seats",
        background="A baby",
        what_happened="Left alone",
        key_learning="Neglected babies are at risk",
        what_should_change="Tell parents",
        published_on=dt.date(2024, 3, 1),
    )
    publications, briefings = selectors.library(manager, query="neglect")
    assert list(publications) == [neglected]
    assert list(briefings) == [briefing]  # "neglected" stems to "neglect"

    # The stored vector follows the text, whatever writes it.
    other.summary_of_improvements = "Neglect of a baby's supervision"
    other.save()
    publications, _ = selectors.library(manager, query="neglect")
    assert set(publications) == {neglected, other}
    Publication.objects.filter(pk=neglected.pk).update(summary_of_improvements="Bruising")
    publications, _ = selectors.library(manager, query="neglect")
    assert list(publications) == [other]

    log_in(client, manager)
    html = client.get(reverse("publication:library"), {"q": "neglect"}).content.decode()
    assert "Child P" in html and "Child N" not in html and "Bath seats" in html


def test_the_search_reads_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = Publication.objects.filter(
            pk__in=selectors._search(Publication.objects.all(), "neglect", []).values("pk")
        ).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "publication_search" in plan, plan
