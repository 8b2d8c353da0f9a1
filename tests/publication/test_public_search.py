"""The public page of published reviews (/published/): a search and filters by theme
and year (GOV.UK's filter pattern, a GET form that needs no JavaScript), paged, with
"No published reviews match …" when nothing does; its ETag still answers a
conditional GET; its query count does not grow with the reports."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cspr.roles import Role
from publication import services
from tests.factories import PartnershipFactory, member
from tests.publication.test_learning_library import published

pytestmark = pytest.mark.django_db

URL = "/published/"


@pytest.fixture
def reports():
    partnership = PartnershipFactory(name="Northshire Partnership")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    neglect = published(
        partnership,
        manager,
        title="Child K: review",
        summary="Bruising in babies",
        theme="neglect",
        year=2024,
    )
    county_lines = published(
        partnership,
        manager,
        title="Child L: review",
        summary="County lines and exploitation",
        theme="child-criminal-exploitation-and-county-lines",
        year=2025,
    )
    lead = member(partnership, Role.PARTNER_LEAD)
    return {"neglect": neglect, "county_lines": county_lines, "lead": lead}


def titles(response) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-summary-card__title"><a [^>]*>([^<]+)</a>', response.content.decode()
    )


def test_the_filters_are_a_get_form_with_a_search_box_a_theme_and_the_years_published(client, reports):
    html = client.get(URL).content.decode()
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert '<label class="govuk-label govuk-label--s" for="id_q">Search' in form
    assert '<option value="neglect">Neglect</option>' in form
    assert '<option value="2025">2025</option>' in form and '<option value="2024">2024</option>' in form
    assert '<option value="2023">' not in form  # only years something was published in
    assert "Apply filters" in form and "Clear filters" not in form
    assert "2 published reviews" in html
    assert titles(client.get(URL)) == ["Child L: review", "Child K: review"]


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"q": "babies"}, ["Child K: review"]),
        ({"q": "exploitation"}, ["Child L: review"]),
        ({"theme": "neglect"}, ["Child K: review"]),
        ({"year": "2025"}, ["Child L: review"]),
        ({"q": "review", "year": "2024"}, ["Child K: review"]),
        ({"q": "", "theme": "", "year": ""}, ["Child L: review", "Child K: review"]),
    ],
)
def test_search_theme_and_year_narrow_the_list(client, reports, filters, found):
    response = client.get(URL, filters)
    assert response.status_code == 200
    assert titles(response) == found
    html = response.content.decode()
    for name, value in filters.items():
        if value and name == "q":
            assert f'value="{value}"' in html  # what was searched stays in the box


def test_nothing_matching_says_what_was_searched_for_and_how_to_clear_it(client, reports):
    html = client.get(URL, {"q": "drowning", "theme": "neglect", "year": "2025"}).content.decode()
    assert "0 published reviews" in html
    assert (
        "No published reviews match the search \u201cdrowning\u201d, the theme Neglect and the year 2025."
        in html
    )
    assert f'<a class="govuk-link" href="{URL}">clear the filters</a>' in html
    html = client.get(URL, {"theme": "neglect", "year": "2025"}).content.decode()
    assert "No published reviews match the theme Neglect and the year 2025." in html


def test_a_filter_not_in_the_list_is_an_error_and_the_others_still_apply(client, reports):
    response = client.get(URL, {"year": "1066", "theme": "neglect"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and '<a href="#id_year">Choose a year from the list</a>' in html
    assert titles(response) == ["Child K: review"]
    response = client.get(URL, {"theme": "<script>"})
    assert "Choose a theme from the list" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_taken_down_reports_are_never_found(client, reports):
    services.take_down(
        publication=reports["neglect"], actor=reports["lead"], reason="The family asked for it."
    )
    assert titles(client.get(URL, {"q": "babies"})) == []
    assert titles(client.get(URL, {"theme": "neglect"})) == []


def test_the_pages_keep_the_filters(client, reports, monkeypatch):
    monkeypatch.setattr("publication.views.PAGE_SIZE", 1)
    response = client.get(URL, {"q": "review"})
    assert titles(response) == ["Child L: review"]
    html = response.content.decode()
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "q=review" in next_link and "page=2" in next_link
    assert titles(client.get(URL + next_link)) == ["Child K: review"]


def test_a_filtered_list_answers_a_conditional_get_and_changes_its_etag_when_the_results_may(client, reports):
    filtered = client.get(URL, {"theme": "neglect"})
    etag = filtered["ETag"]
    assert etag != client.get(URL)["ETag"] != client.get(URL, {"theme": "neglect", "year": "2024"})["ETag"]
    assert client.get(URL, {"theme": "neglect"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.take_down(
        publication=reports["neglect"], actor=reports["lead"], reason="The family asked for it."
    )
    again = client.get(URL, {"theme": "neglect"}, HTTP_IF_NONE_MATCH=etag)
    assert (
        again.status_code == 200 and "No published reviews match the theme Neglect." in again.content.decode()
    )


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_reports(client, reports, django_assert_max_num_queries):
    searches = [{}, {"q": "review"}, {"theme": "neglect", "year": "2024"}]
    before = [_queries(client, params) for params in searches]
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    for n in range(3):
        published(
            partnership, manager, title=f"Child {n}: review", summary="More", theme="neglect", year=2024
        )
    after = [_queries(client, params) for params in searches]
    assert before == after
    with django_assert_max_num_queries(12):
        client.get(URL, {"q": "review", "theme": "neglect", "year": "2024"})
