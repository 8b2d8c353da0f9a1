"""Journey 1: a practitioner fills in and submits a referral using only the
keyboard (Tab, typing, arrow keys and Space for radios and checkboxes, Enter),
fixing a validation error on the way; and the same submission without JavaScript."""

import datetime as dt
import re

from playwright.sync_api import expect

from cases.models import Referral
from tests.e2e.browser import (
    check_page,
    choose_by_keyboard,
    fill_by_keyboard,
    fill_date,
    fill_date_by_keyboard,
    is_focused,
    login,
    press_button,
    tab_to,
    tick_by_keyboard,
)


def fill_referral_by_keyboard(page, *, role: str = "Health visitor") -> None:
    """Every answer a referral needs, in the order of the form, by keyboard only."""
    fill_by_keyboard(page, page.get_by_label("Your name"), "Pat Practitioner")
    tab_to(page, page.get_by_label("Your agency"))
    page.keyboard.type("Northshire Hosp")  # a select's type-ahead
    expect(page.get_by_label("Your agency")).to_have_value(re.compile(r"\d+"))
    fill_by_keyboard(page, page.get_by_label("Your role"), role)
    fill_by_keyboard(page, page.get_by_label("Your phone number or email address"), "pat@example.org")
    child = page.locator("#child-1")
    fill_by_keyboard(page, child.get_by_label("Full name"), "Jordan Lee Smith")
    fill_date_by_keyboard(page, "Date of birth", dt.date(2020, 3, 1), within=child)
    fill_by_keyboard(page, child.get_by_label("Address"), "1 Example Street")
    choose_by_keyboard(page, "Gender", "Male", within=child)
    tab_to(page, child.get_by_label("Ethnicity"))
    page.keyboard.type("White")  # a select's type-ahead
    choose_by_keyboard(
        page, "Did the child die or was the child seriously harmed?", "Serious harm", within=child
    )
    fill_date_by_keyboard(page, "Date of the incident", dt.date(2026, 3, 10))
    fill_by_keyboard(page, page.get_by_label("What happened"), "Admitted with unexplained injuries.")
    choose_by_keyboard(page, "Is abuse or neglect known or suspected?", "Suspected")
    fill_by_keyboard(
        page,
        page.get_by_label("Why you think this may be a serious child safeguarding case"),
        "Serious injury; physical abuse suspected.",
    )
    tick_by_keyboard(page, page.get_by_role("checkbox", name="Northshire Hospitals NHS Trust"))
    tick_by_keyboard(page, page.get_by_role("checkbox", name="Northshire Police"))
    choose_by_keyboard(page, "Does the local authority's children's social care know about this?", "Yes")
    tick_by_keyboard(page, page.get_by_role("checkbox", name="Police investigation"))


def test_a_practitioner_submits_a_referral_using_only_the_keyboard(page, demo):
    login(page, demo["users"]["practitioner"])
    page.goto("/referrals/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a referral")
    check_page(page, "referral-form", key=True)

    # Everything but the role: the error summary takes the focus and links to the field.
    fill_referral_by_keyboard(page, role="")
    press_button(page, "Continue to check your answers")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your role")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, "referral-form-error", key=True)
    link = summary.get_by_role("link", name="Enter your role")
    tab_to(page, link)
    page.keyboard.press("Enter")
    role = page.get_by_label("Your role")
    expect(role).to_be_focused()
    page.keyboard.type("Health visitor")
    assert is_focused(role)

    press_button(page, "Continue to check your answers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    expect(page.locator("main")).to_contain_text("Health visitor")
    check_page(page, "referral-check")
    press_button(page, "Submit referral")
    referral = Referral.objects.latest("pk")
    assert referral.status == Referral.Status.SUBMITTED
    assert referral.referrer_role == "Health visitor"
    child = referral.children.get()
    assert (child.gender, child.ethnicity, child.nature) == ("male", "white", "seriously_harmed")
    assert referral.childrens_social_care_aware == "yes"
    assert referral.other_processes == ["police_investigation"]
    assert {a.name for a in referral.agencies_involved.all()} == {
        "Northshire Police",
        "Northshire Hospitals NHS Trust",
    }
    expect(page.locator("main")).to_contain_text("Submitted")
    check_page(page, "referral-submitted")


def test_a_referral_is_submitted_without_javascript(new_page, demo):
    page = new_page(java_script_enabled=False)
    login(page, demo["users"]["practitioner"])
    page.goto("/referrals/new/")
    page.get_by_label("Your name").fill("Pat Practitioner")
    page.get_by_role("button", name="Continue to check your answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your role")
    check_page(page, "referral-form-error-no-javascript")
    page.get_by_label("Your agency").select_option(label="Northshire Hospitals NHS Trust")
    page.get_by_label("Your role").fill("School nurse")
    page.get_by_label("Your phone number or email address").fill("pat@example.org")
    child = page.locator("#child-1")
    child.get_by_label("Full name").fill("Alex Morgan")
    fill_date(child, "Date of birth", dt.date(2019, 5, 4))
    child.get_by_role("group", name="Gender").get_by_label("Female").check()
    child.get_by_label("Address").fill("Not known")
    fill_date(page, "Date of the incident", dt.date(2026, 3, 10))
    page.get_by_label("What happened").fill("Taken to hospital with a head injury.")
    page.get_by_role("group", name="Is abuse or neglect known or suspected?").get_by_label("Known").check()
    child.get_by_role("group", name="Did the child die or was the child seriously harmed?").get_by_label(
        "Serious harm"
    ).check()
    page.get_by_label("Why you think this may be a serious child safeguarding case").fill("Head injury.")
    page.get_by_role("checkbox", name="Northshire Schools").check()
    page.get_by_role(
        "group", name="Does the local authority's children's social care know about this?"
    ).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue to check your answers").click()
    page.get_by_role("button", name="Submit referral").click()
    expect(page.locator("main")).to_contain_text("Submitted")
    check_page(page, "referral-submitted-no-javascript")
    assert Referral.objects.latest("pk").status == Referral.Status.SUBMITTED
