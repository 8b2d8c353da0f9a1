"""The GOV.UK date input: three boxes (Day, Month, Year) instead of the browser's date
picker; a date that does not exist (31 February) or a missing part is refused with
GOV.UK's message, only the part in error is highlighted, and the error summary's link
takes the focus to it. Checked with axe and at 320 px in each state."""

import datetime as dt
import re

from playwright.sync_api import expect

from cases.models import Referral
from tests.e2e.browser import check_page, date_group, fill_date, login, tab_to


def test_a_practitioner_types_a_date_in_day_month_and_year_and_is_told_what_is_wrong(page, demo):
    practitioner = demo["users"]["practitioner"]
    drafts = Referral.objects.filter(author=practitioner)
    before = drafts.count()
    login(page, practitioner)
    page.goto("/referrals/new/")
    incident = date_group(page, "Date of the incident")
    day, month, year = (incident.get_by_label(part) for part in ("Day", "Month", "Year"))
    for box in (day, month, year):
        expect(box).to_have_attribute("inputmode", "numeric")
        expect(box).to_have_attribute("type", "text")  # no browser date picker
    expect(page.locator('input[type="date"]')).to_have_count(0)

    # One tab stop per box, in order.
    tab_to(page, day)
    page.keyboard.press("Tab")
    expect(month).to_be_focused()
    page.keyboard.press("Tab")
    expect(year).to_be_focused()

    # 31 February: refused, not silently emptied; the day is highlighted.
    fill_date(page, "Date of the incident", dt.date(2026, 3, 31))
    month.fill("2")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Date of the incident must be a real date")
    expect(incident).to_contain_text("Date of the incident must be a real date")
    expect(day).to_have_value("31")
    expect(month).to_have_value("2")
    expect(year).to_have_value("2026")
    expect(day).to_have_class(re.compile(r"govuk-input--error"))
    expect(month).not_to_have_class(re.compile(r"govuk-input--error"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, "date-input-not-a-real-date")
    summary.get_by_role("link", name="Date of the incident must be a real date").click()
    expect(page.locator("#id_incident_date-day")).to_be_focused()
    assert drafts.count() == before  # nothing saved

    # A missing month: the summary links to the month, the only box highlighted.
    incident = date_group(page, "Date of the incident")
    incident.get_by_label("Day").fill("10")
    incident.get_by_label("Month").fill("")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date of the incident must include a month")
    month = date_group(page, "Date of the incident").get_by_label("Month")
    expect(month).to_have_class(re.compile(r"govuk-input--error"))
    expect(date_group(page, "Date of the incident").get_by_label("Day")).not_to_have_class(
        re.compile(r"govuk-input--error")
    )
    check_page(page, "date-input-missing-month")
    summary.get_by_role("link", name="Date of the incident must include a month").click()
    expect(month).to_be_focused()

    # Put right, the draft is saved with the date.
    month.fill("3")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert drafts.count() == before + 1
    assert drafts.latest("pk").incident_date == dt.date(2026, 3, 10)
