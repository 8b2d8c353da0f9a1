"""Pages of the publication app: the business team's pages, the public pages
(no sign-in; published items only), the Atom feed and the learning library."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.views.decorators.http import condition, require_http_methods, require_POST

from cspr import audit
from cspr.formats import long_date
from cspr.forms import apply_service_errors
from cspr.models import Partnership
from cspr.pages import form_page
from cspr.permissions import can, partnership_ids_for, require
from cspr.selectors import deadlines_of
from cspr.uploads import serve_document
from reviews.models import Review
from reviews.selectors import access_review, reviews_visible_to

from . import forms, selectors, services
from .models import Briefing, Publication

PAGE_SIZE = 50
# How long a browser or a shared cache may keep the public list of published reviews
# for someone who is not signed in; after that it asks again, with the list's ETag.
PUBLIC_MAX_AGE = 300


def _page(request, queryset, param: str = "page", count: int | None = None):
    """One page (GOV.UK pagination, ``includes/pagination.html``) of ``queryset``.
    A second list on the same page has its own parameter: its links keep the first's.
    ``count``: the rows, if already known (no count query then)."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not queried
    page = paginator.get_page(request.GET.get(param))
    if param != "page":
        for attribute, has, number in (
            ("previous_query", page.has_previous, page.number - 1),
            ("next_query", page.has_next, page.number + 1),
        ):
            if has():
                query = request.GET.copy()
                query[param] = number
                setattr(page, attribute, query)
    return page


def _publication(request, pk, *, manage: bool = False) -> Publication:
    publication = selectors.access_publication(request.user, pk)
    if manage:
        require(request.user, "publish", publication.partnership_id)
    return publication


def _back(publication) -> str:
    return reverse("publication:publication-detail", args=[publication.pk])


@login_required
def publication_list(request):
    publications = _page(
        request, selectors.publications_visible_to(request.user).order_by("-created_at", "-id")
    )
    awaiting = (
        reviews_visible_to(request.user)
        .filter(partnership_id__in=partnership_ids_for(request.user, "publish"), publication__isnull=True)
        .exclude(kind=Review.Kind.NATIONAL)
        .order_by("-decided_on", "-id")
    )
    return render(
        request,
        "publication/publication_list.html",
        {
            "publications": publications,
            "awaiting": _page(request, awaiting, "awaiting_page"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def final_report_add(request, review_pk):
    review = access_review(request.user, review_pk)
    require(request.user, "publish", review.partnership_id)
    form = forms.FinalReportForm(
        request.POST or None,
        request.FILES or None,
        instance=Publication(review=review, partnership=review.partnership),
    )
    return form_page(
        request,
        form=form,
        heading="Add the final report",
        caption=review.reference,
        back_url=reverse("reviews:review-detail", args=[review.pk]),
        submit="Add the final report",
        success="The final report has been added.",
        intro="Never write the child's or the family's names: use the child's chosen name.",
        run=lambda d: services.create_final_report(review=review, actor=request.user, **d),
        next_url=lambda publication: _back(publication),
    )


@login_required
def publication_detail(request, pk):
    publication = _publication(request, pk)
    deadlines = deadlines_of(publication)
    return render(
        request,
        "publication/publication_detail.html",
        {
            "publication": publication,
            "deadlines": deadlines,
            "briefings": publication.review.briefings.all(),
            "earliest": services.earliest_publication_date(publication),
            "window_ended": publication.window_ended(),
            "can_publish": can(request.user, "publish", publication.partnership_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, pk):
    publication = _publication(request, pk, manage=True)
    form = forms.PublicationEditForm(
        request.POST or None, request.FILES or None, instance=Publication.objects.get(pk=publication.pk)
    )
    return form_page(
        request,
        form=form,
        heading="Change the final report's details",
        caption=publication.title,
        back_url=_back(publication),
        success="The details have been saved.",
        run=lambda d: services.update_publication(publication=publication, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_plan(request, pk):
    publication = _publication(request, pk, manage=True)
    form = forms.PlanForm(
        request.POST or None, initial={"planned_publication_date": publication.planned_publication_date}
    )
    return form_page(
        request,
        form=form,
        heading="Planned publication date",
        caption=publication.title,
        back_url=_back(publication),
        success="The planned publication date has been saved.",
        intro=f"Copies must go to the National Panel and the Secretary of State at least "
        f"{publication.partnership.copies_before_publication_working_days} working days before it.",
        run=lambda d: services.plan_publication(publication=publication, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_copies(request, pk):
    publication = _publication(request, pk, manage=True)
    form = forms.CopiesForm(
        request.POST or None,
        initial={
            "copy_to_panel_on": publication.copy_to_panel_on,
            "copy_to_secretary_of_state_on": publication.copy_to_secretary_of_state_on,
            "copy_to_ofsted_on": publication.copy_to_ofsted_on,
        },
    )
    return form_page(
        request,
        form=form,
        heading="Copies sent before publication",
        caption=publication.title,
        back_url=_back(publication),
        success="The dates the copies were sent have been saved.",
        run=lambda d: services.record_copies(publication=publication, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_publish(request, pk):
    publication = _publication(request, pk, manage=True)
    form = forms.PublishForm(request.POST or None, initial={"published_on": timezone.localdate()})
    earliest = services.earliest_publication_date(publication)
    intro = (
        f"The earliest publication date is {long_date(earliest)}."
        if earliest
        else "Record the dates the copies were sent first."
    )
    return form_page(
        request,
        form=form,
        heading="Publish the report",
        caption=publication.title,
        back_url=_back(publication),
        success="The report has been published.",
        submit="Publish",
        intro=intro,
        run=lambda d: services.publish(publication=publication, actor=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_take_down(request, pk):
    publication = _publication(request, pk, manage=True)
    form = forms.TakeDownForm(request.POST or None)
    intro = ""
    if publication.public_until:
        intro = (
            f"The report must stay public until {long_date(publication.public_until)}. "
            "Before then only a partner lead can take it down, with a reason."
        )
    return form_page(
        request,
        form=form,
        heading="Take the report down",
        caption=publication.title,
        back_url=_back(publication),
        success="The report has been taken down.",
        submit="Take down",
        intro=intro,
        run=lambda d: services.take_down(publication=publication, actor=request.user, **d),
    )


@login_required
def publication_file(request, pk):
    publication = _publication(request, pk)
    return serve_document(
        actor=request.user,
        fieldfile=publication.file,
        subject=publication,
        download_name=f"{publication.review.case.reference}-final-report",
    )


# ---------------------------------------------------------------------------
# 7-minute briefings
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def briefing_add(request, review_pk):
    review = access_review(request.user, review_pk)
    require(request.user, "publish", review.partnership_id)
    form = forms.BriefingForm(
        request.POST or None, instance=Briefing(review=review, partnership=review.partnership)
    )
    return form_page(
        request,
        form=form,
        heading="Write a 7-minute briefing",
        caption=review.reference,
        back_url=reverse("publication:publication-list"),
        success="The briefing has been saved.",
        intro="One page of learning for team meetings. Never write the child's or the family's names.",
        run=lambda d: services.create_briefing(
            partnership=review.partnership, review=review, actor=request.user, **d
        ),
        next_url=lambda b: reverse("publication:briefing-detail", args=[b.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def briefing_detail(request, pk):
    briefing = selectors.access_briefing(request.user, pk)
    can_edit = can(request.user, "publish", briefing.partnership_id)
    form = None
    if can_edit:
        form = forms.BriefingForm(request.POST or None, instance=Briefing.objects.get(pk=briefing.pk))
        if request.method == "POST" and form.is_valid():
            try:
                services.update_briefing(briefing=briefing, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "The briefing has been saved.")
                return redirect(reverse("publication:briefing-detail", args=[briefing.pk]))
    elif request.method == "POST":
        require(request.user, "publish", briefing.partnership_id)
    return render(
        request,
        "publication/briefing_detail.html",
        {
            "briefing": briefing,
            "form": form,
            "can_edit": can_edit,
            "can_publish_on_its_own": can_edit and briefing.may_be_published_on_its_own,
        },
    )


@login_required
@require_POST
def briefing_publish(request, pk):
    briefing = selectors.access_briefing(request.user, pk)
    try:
        services.publish_briefing(briefing=briefing, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The briefing has been published.")
    return redirect(reverse("publication:briefing-detail", args=[briefing.pk]))


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def briefing_pdf(request, pk):
    briefing = selectors.access_briefing(request.user, pk)
    audit.record(actor=request.user, action=audit.Action.EXPORT, subject=briefing)
    return _pdf_response(services.render_briefing_pdf(briefing), f"7-minute-briefing-{briefing.pk}")


# ---------------------------------------------------------------------------
# The learning library
# ---------------------------------------------------------------------------


@login_required
def learning_library(request):
    if not partnership_ids_for(request.user, "view_learning_library"):
        raise PermissionDenied("The learning library is for members of a partnership.")
    this_year = timezone.localdate().year
    form = forms.LibrarySearchForm(request.GET or None, years=range(this_year, this_year - 15, -1))
    query, theme, year = "", "", None
    if form.is_valid():
        query, theme, year = form.cleaned_data["q"], form.cleaned_data["theme"], form.cleaned_data["year"]
    publications, briefings = selectors.library(request.user, query=query, theme=theme, year=year)
    return render(
        request,
        "publication/library.html",
        {
            "search_form": form,
            "publications": _page(request, publications),
            "briefings": _page(request, briefings, "briefings_page"),
            "searched": bool(query or theme or year),
        },
    )


# ---------------------------------------------------------------------------
# Public pages: no sign-in, published items only
# ---------------------------------------------------------------------------


def _public_list_state(request, code=None) -> tuple:
    """Read once per request: the ETag is made of it and the list's pages counted with it."""
    if getattr(request, "_public_list_state", None) is None:
        request._public_list_state = selectors.public_list_state(code)
    return request._public_list_state


def _public_list_etag(request, code=None) -> str:
    """Changes whenever what the list shows may change: a report or briefing written,
    published or taken down, another page, or someone signing in or out."""
    state = _public_list_state(request, code)
    user = request.user.pk if request.user.is_authenticated else None
    return hashlib.sha256(repr((state, code, request.GET.urlencode(), user)).encode()).hexdigest()[:32]


def _public_cache(view):
    """Without a session, the response (or its 304) may be kept a few minutes by any
    cache; with one, it is not stored at all, as no signed-in page is. Vary: Cookie
    either way."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


@_public_cache
@condition(etag_func=_public_list_etag)
def published_list(request, code=None):
    partnership = None
    if code:
        partnership = get_object_or_404(Partnership, code=code)
    _changed, reports, _briefings_changed, briefings = _public_list_state(request, code)
    form = forms.LibrarySearchForm(request.GET or None, years=selectors.public_years(code))
    form.is_valid()  # a filter that is not valid shows its error and is left out
    found = {name: form.cleaned_data.get(name) for name in ("q", "theme", "year")} if form.is_bound else {}
    narrowing = {"query": found.get("q") or "", "theme": found.get("theme") or "", "year": found.get("year")}
    filtered = any(narrowing.values())
    return render(
        request,
        "publication/public_list.html",
        {
            "partnership": partnership,
            "form": form,  # "Error: " in the title, the error summary
            "filtered": filtered,
            "filters_described": _filters_described(form, **narrowing),
            # Unfiltered, the lists' sizes are known already (the ETag's counts).
            "publications": _page(
                request,
                selectors.public_publications(code, **narrowing),
                count=None if filtered else reports,
            ),
            "briefings": _page(
                request,
                selectors.public_briefings(code, **narrowing).filter(publish_with_report=False),
                "briefings_page",
                count=None if filtered else briefings,
            ),
        },
    )


def _filters_described(form, *, query: str, theme: str, year: int | None) -> str:
    """The search and filters in words: 'the search “neglect”, the theme Neglect and the
    year 2024'."""
    parts = []
    if query:
        parts.append(f"the search “{query}”")
    if theme:
        parts.append(f"the theme {dict(form.fields['theme'].choices).get(theme, theme)}")
    if year:
        parts.append(f"the year {year}")
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def published_detail(request, pk):
    publication = selectors.public_publication(pk)
    return render(
        request,
        "publication/public_detail.html",
        {
            "publication": publication,
            "briefings": [b for b in publication.review.briefings.all() if b.is_public],
        },
    )


def published_file(request, pk):
    publication = selectors.public_publication(pk)
    return serve_document(
        actor=request.user,
        fieldfile=publication.file,
        subject=publication,
        download_name=f"{publication.partnership.code}-published-report-{publication.pk}",
    )


def published_briefing_pdf(request, pk):
    briefing = selectors.public_briefing(pk)
    return _pdf_response(
        services.render_briefing_pdf(briefing), f"{briefing.partnership.code}-7-minute-briefing-{briefing.pk}"
    )


class PublishedFeed(Feed):
    """Atom feed of published reports (all partnerships, or one)."""

    feed_type = Atom1Feed

    def get_object(self, request, code=None):
        partnership = None
        if code is not None:
            try:
                partnership = Partnership.objects.get(code=code)
            except Partnership.DoesNotExist:
                raise Http404("No such partnership.") from None
        # Per-request state travels in the object, never on the (shared) feed instance.
        return {"partnership": partnership, "base": request.build_absolute_uri("/")}

    def title(self, obj):
        p = obj["partnership"]
        return f"Published reviews – {p.name}" if p else "Published child safeguarding practice reviews"

    def link(self, obj):
        p = obj["partnership"]
        return (
            reverse("publication:published-partnership", args=[p.code])
            if p
            else reverse("publication:published-list")
        )

    def subtitle(self, obj):
        return "Local child safeguarding practice reviews and other learning reviews, as published."

    def items(self, obj):
        p = obj["partnership"]
        items = list(selectors.public_publications(p.code if p else None)[:50])
        for item in items:
            item.feed_base = obj["base"]
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom writes this as <summary type="html">: a feed reader renders it as HTML,
        # so it is escaped for HTML here (the feed generator escapes it again for XML).
        themes = ", ".join(item.theme_names)
        return escape(
            f"Lead reviewer(s): {item.reviewer_names}. "
            f"Published {long_date(item.published_on)}." + (f" Themes: {themes}." if themes else "")
        )

    def item_link(self, item):
        return reverse("publication:published-detail", args=[item.pk])

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.published_on, time(9, 0)))

    def item_author_name(self, item):
        return item.reviewer_names

    def item_categories(self, item):
        return item.theme_names

    def item_enclosures(self, item):
        url = item.feed_base.rstrip("/") + reverse("publication:published-file", args=[item.pk])
        mime = "application/pdf" if item.file.name.endswith(".pdf") else "application/octet-stream"
        return [Enclosure(url, str(item.size), mime)]
