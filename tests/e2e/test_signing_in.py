"""A keyboard user signs in, gets the password wrong first, and sees their roles."""

import re

from playwright.sync_api import expect

from cspr.demo import DEMO_PASSWORD
from cspr.models import Membership
from cspr.roles import Role
from tests.e2e.browser import check_page, enter_one_time_code, fill_by_keyboard, tab_to


def test_a_keyboard_user_recovers_from_a_wrong_password_and_sees_their_partnerships_and_roles(page, demo):
    manager = demo["users"]["manager"]
    Membership.objects.create(user=manager, partnership=demo["other"], role=Role.LEAD_REVIEWER)

    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    expect(page).to_have_title("Sign in – Child safeguarding practice reviews")
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    check_page(page, "sign-in", key=True)

    fill_by_keyboard(page, page.get_by_label("Username"), "manager")
    fill_by_keyboard(page, page.get_by_label("Password"), "not-the-password")
    page.keyboard.press("Enter")

    expect(page).to_have_title("Error: Sign in – Child safeguarding practice reviews")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Please enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    check_page(page, "sign-in-error", key=True)

    # The summary's link takes the keyboard user to the first field to correct.
    link = summary.get_by_role("link", name="Please enter a correct username and password")
    expect(link).to_have_attribute("href", "#id_username")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Username")).to_be_focused()

    fill_by_keyboard(page, page.get_by_label("Password"), DEMO_PASSWORD)
    page.keyboard.press("Enter")

    # Two-factor sign-in: a business manager with no authenticator app sets one up
    # first, typing the key the page shows into the app and the app's code back.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    check_page(page, "two-factor-set-up")
    enter_one_time_code(page, "manager")

    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
    north = page.get_by_role("heading", name="Northshire Safeguarding Children Partnership")
    south = page.get_by_role("heading", name="Southport Borough Safeguarding Partnership")
    expect(north).to_be_visible()
    expect(south).to_be_visible()
    roles = page.locator(".govuk-summary-list__value li")
    expect(roles).to_have_text(["Business manager", "Lead reviewer"])
    check_page(page, "home", key=True)
