"""Reads of publications and briefings: for the business team, for the public
pages (published only), and for the learning library."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from cspr.permissions import partnership_ids, partnership_ids_for
from reviews.selectors import reviews_visible_to

from .models import Briefing, Publication


def publications_visible_to(user) -> QuerySet[Publication]:
    """Publications of reviews the user may see."""
    if not getattr(user, "is_authenticated", False):
        return Publication.objects.none()
    return (
        Publication.objects.filter(review__in=reviews_visible_to(user).values("pk"))
        .select_related("partnership", "review__case")
        .prefetch_related("themes")
    )


def access_publication(user, pk) -> Publication:
    try:
        return publications_visible_to(user).get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such publication.") from None


def briefings_visible_to(user) -> QuerySet[Briefing]:
    """Drafts: the business team (or those who may see the review); published
    briefings: every member of the partnership."""
    if not getattr(user, "is_authenticated", False):
        return Briefing.objects.none()
    return (
        Briefing.objects.filter(
            Q(partnership_id__in=partnership_ids_for(user, "publish"))
            | Q(review__in=reviews_visible_to(user).values("pk"))
            | Q(status=Briefing.Status.PUBLISHED, partnership_id__in=partnership_ids(user))
        )
        .select_related("partnership", "review__case")
        .prefetch_related("themes")
    )


def access_briefing(user, pk) -> Briefing:
    try:
        return briefings_visible_to(user).get(pk=pk)
    except (Briefing.DoesNotExist, ValueError, TypeError):
        raise Http404("No such briefing.") from None


# ---------------------------------------------------------------------------
# Public (no sign-in): published items only, and only their public fields.
# ---------------------------------------------------------------------------


def public_publications(
    partnership_code: str | None = None, *, query: str = "", theme: str = "", year: int | None = None
) -> QuerySet[Publication]:
    """Published reports, newest first; ``query``, ``theme`` and ``year`` narrow them
    (the public page's search and filters)."""
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED)
    if partnership_code:
        qs = qs.filter(partnership__code=partnership_code)
    qs = narrowed(qs, query=query, theme=theme, year=year, fields=PUBLICATION_SEARCH_FIELDS)
    return (
        qs.select_related("partnership")
        .prefetch_related("themes", "review__briefings")
        .order_by("-published_on", "-id")
    )


def public_briefings(
    partnership_code: str | None = None, *, query: str = "", theme: str = "", year: int | None = None
) -> QuerySet[Briefing]:
    qs = Briefing.objects.filter(status=Briefing.Status.PUBLISHED)
    if partnership_code:
        qs = qs.filter(partnership__code=partnership_code)
    qs = narrowed(qs, query=query, theme=theme, year=year, fields=BRIEFING_SEARCH_FIELDS)
    return qs.select_related("partnership").prefetch_related("themes").order_by("-published_on", "-id")


def public_years(partnership_code: str | None = None) -> list[int]:
    """The years in which reports now public were published, newest first (the public
    page's year filter): one query."""
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED, published_on__isnull=False)
    if partnership_code:
        qs = qs.filter(partnership__code=partnership_code)
    return [day.year for day in qs.dates("published_on", "year", order="DESC")]


def public_list_state(partnership_code: str | None = None) -> tuple:
    """What the public list's ETag is made of: when a report or briefing last changed
    (any status: taking one down changes it too) and how many the list holds (the
    page counts them no more). Two aggregate queries; the partnership's code narrows
    the counts."""
    published = Q(status=Publication.Status.PUBLISHED)
    briefing_published = Q(status=Briefing.Status.PUBLISHED, publish_with_report=False)
    if partnership_code:
        published &= Q(partnership__code=partnership_code)
        briefing_published &= Q(partnership__code=partnership_code)
    reports = Publication.objects.aggregate(changed=Max("updated_at"), count=Count("id", filter=published))
    briefings = Briefing.objects.aggregate(
        changed=Max("updated_at"), count=Count("id", filter=briefing_published)
    )
    return (reports["changed"], reports["count"], briefings["changed"], briefings["count"])


def public_publication(pk) -> Publication:
    try:
        return public_publications().get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such published report.") from None


def public_briefing(pk) -> Briefing:
    try:
        return public_briefings().get(pk=pk)
    except (Briefing.DoesNotExist, ValueError, TypeError):
        raise Http404("No such published briefing.") from None


def windows_ending(today: dt.date) -> QuerySet[Publication]:
    """Published reports whose minimum 12 months are over by ``today``: they stay
    up until someone decides."""
    return public_publications().filter(public_until__lte=today)


# ---------------------------------------------------------------------------
# The learning library: published reviews and briefings of the user's partnerships.
# ---------------------------------------------------------------------------


#: The text the search reads (PostgreSQL: the stored vector made of these, migration 0004).
PUBLICATION_SEARCH_FIELDS = ["title", "summary_of_improvements", "systemic_analysis", "reviewer_names"]
BRIEFING_SEARCH_FIELDS = ["title", "background", "what_happened", "key_learning", "what_should_change"]


def _search(qs, query: str, fields: list[str]):
    """Full text on PostgreSQL, through the stored vector and its GIN index (kept up
    to date by a trigger, migration 0004); icontains over ``fields`` elsewhere."""
    if not query:
        return qs
    if connection.vendor == "postgresql":
        return qs.filter(search_vector=SearchQuery(query, config="english", search_type="websearch"))
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return qs.filter(condition)


def narrowed(qs, *, query: str, theme: str, year: int | None, fields: list[str]):
    """Reports or briefings with the learning theme ``theme`` (a slug), published in
    ``year`` and matching the words of ``query``; each left out when empty."""
    if theme:
        qs = qs.filter(themes__slug=theme)
    if year:
        qs = qs.filter(published_on__year=year)
    return _search(qs, query, fields)


def library(user, *, query: str = "", theme: str = "", year: int | None = None):
    """(publications, briefings) the user may find in the learning library."""
    ids = partnership_ids_for(user, "view_learning_library")
    search = {"query": query, "theme": theme, "year": year}
    publications = Publication.objects.filter(status=Publication.Status.PUBLISHED, partnership_id__in=ids)
    publications = narrowed(publications, **search, fields=PUBLICATION_SEARCH_FIELDS)
    briefings = Briefing.objects.filter(status=Briefing.Status.PUBLISHED, partnership_id__in=ids)
    briefings = narrowed(briefings, **search, fields=BRIEFING_SEARCH_FIELDS)
    publications = (
        Publication.objects.filter(pk__in=publications.values("pk"))
        .select_related("partnership")
        .prefetch_related("themes")
        .order_by("-published_on", "-id")
    )
    briefings = (
        Briefing.objects.filter(pk__in=briefings.values("pk"))
        .select_related("partnership")
        .prefetch_related("themes")
        .order_by("-published_on", "-id")
    )
    return publications, briefings
