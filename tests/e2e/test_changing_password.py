"""A keyboard user changes their password, fixing a validation error on the way."""

from playwright.sync_api import expect

from cspr.demo import DEMO_PASSWORD
from tests.e2e.browser import check_page, fill_by_keyboard, login, tab_to

NEW_PASSWORD = "kettle-harbour-lantern-41"  # noqa: S105 (test data)


def test_a_keyboard_user_changes_their_password_after_fixing_a_too_short_one(page, demo):
    login(page, demo["users"]["practitioner"])

    tab_to(page, page.get_by_role("link", name="Change password"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check_page(page, "change-password", key=True)

    fill_by_keyboard(page, page.get_by_label("Old password"), DEMO_PASSWORD)
    fill_by_keyboard(page, page.get_by_label("New password", exact=True), "short")
    fill_by_keyboard(page, page.get_by_label("New password confirmation"), "short")
    page.keyboard.press("Enter")

    expect(page).to_have_title("Error: Change your password – Child safeguarding practice reviews")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#id_new_password2")
    field = page.get_by_label("New password confirmation")
    expect(field).to_have_attribute("aria-describedby", "id_new_password2_helptext id_new_password2-error")
    expect(page.locator("#id_new_password2-error")).to_contain_text("too short")
    check_page(page, "change-password-error", key=True)

    fill_by_keyboard(page, page.get_by_label("Old password"), DEMO_PASSWORD)
    fill_by_keyboard(page, page.get_by_label("New password", exact=True), NEW_PASSWORD)
    fill_by_keyboard(page, page.get_by_label("New password confirmation"), NEW_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url("/accounts/password/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    check_page(page, "password-changed")

    # Signing out and in again works with the new password only.
    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url("/accounts/login/")
    login(page, "practitioner", DEMO_PASSWORD, expect_success=False)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    login(page, "practitioner", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
