"""Anyone, signed out and without JavaScript too, searches the published reviews and
filters them by year (the theme filter: tests/publication/test_public_search.py, the
browser tests' database has no learning themes); nothing matching says so and offers
to clear the filters. Checked with axe and at 320 px."""

from playwright.sync_api import expect

from tests.e2e.browser import check_page

TITLE = "Child F: local child safeguarding practice review"  # publication/demo.py


def _search(page, *, text="", theme=None, year=None):
    page.get_by_role("textbox", name="Search").fill(text)
    if theme:
        page.get_by_label("Theme").select_option(label=theme)
    if year:
        page.get_by_label("Year published").select_option(label=year)
    page.get_by_role("button", name="Apply filters").click()


def test_the_public_searches_and_filters_published_reviews(page, new_page, demo):
    for browser_page, suffix in ((page, ""), (new_page(java_script_enabled=False), "-no-javascript")):
        browser_page.goto("/published/")
        expect(browser_page.get_by_role("link", name=TITLE)).to_be_visible()
        _search(browser_page, text="child safeguarding", year="2025")
        expect(browser_page.get_by_role("link", name=TITLE)).to_be_visible()
        expect(browser_page.get_by_role("textbox", name="Search")).to_have_value("child safeguarding")
        check_page(browser_page, f"published-search-found{suffix}")

        _search(browser_page, text="zebra crossings")
        expect(browser_page.locator("main")).to_contain_text(
            "No published reviews match the search \u201czebra crossings\u201d"
        )
        expect(browser_page.get_by_role("link", name=TITLE)).to_have_count(0)
        check_page(browser_page, f"published-search-nothing{suffix}")
        browser_page.get_by_role("link", name="clear the filters").click()
        expect(browser_page.get_by_role("link", name=TITLE)).to_be_visible()
