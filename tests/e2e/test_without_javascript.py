"""Locked-down laptops may block JavaScript: the forms still work without it."""

import re

from playwright.sync_api import expect

from tests.e2e.browser import check_page, login


def test_signing_in_and_reaching_the_home_page_works_without_javascript(new_page, demo):
    page = new_page(java_script_enabled=False)

    login(page, "practitioner", "wrong-password", expect_success=False)
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    check_page(page, "sign-in-error-no-javascript")

    login(page, demo["users"]["practitioner"])
    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
    expect(page.locator(".govuk-summary-list__value li")).to_have_text(
        ["Practitioner (Northshire Hospitals NHS Trust)"]
    )
    # Proof the browser ran none of the service's scripts.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    check_page(page, "home-no-javascript")
