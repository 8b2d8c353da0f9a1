"""An address that does not exist gets the service's own 404 page."""

from playwright.sync_api import expect

from tests.e2e.browser import check_page, login


def test_an_unknown_address_shows_page_not_found_with_a_way_home(page, demo):
    login(page, demo["users"]["lead"])

    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page).to_have_title("Page not found – Child safeguarding practice reviews")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "page-not-found", key=True)
    page.get_by_role("link", name="Go to your home page").press("Enter")
    expect(page).to_have_url("/")
