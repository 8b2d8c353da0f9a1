"""Journey 4: the review's lead reviewer signs in, finds the review from the Reviews
page, adds a recommendation (after seeing the error state of an empty form) and then
an action to it. Every page is reached by a link; only the sign-in page is typed in."""

import datetime as dt
import re

from playwright.sync_api import expect

from reviews.demo import DEMO_REFERENCE
from reviews.models import Action, Recommendation, Review
from tests.e2e.browser import check_page, fill_date, login


def test_a_lead_reviewer_adds_a_recommendation(page, demo):
    reviewer = demo["users"]["reviewer"]
    review = Review.objects.get(case__reference=DEMO_REFERENCE)
    before = review.recommendations.count()

    login(page, reviewer)
    page.get_by_role("link", name="Reviews", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "review-list")
    page.get_by_role("link", name=DEMO_REFERENCE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO_REFERENCE)
    check_page(page, "review", key=True)

    # An empty recommendation is refused with a message by each field.
    page.get_by_role("link", name="Add a recommendation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a recommendation")
    check_page(page, "recommendation-form")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the recommendation.")
    expect(page).to_have_title(re.compile(r"^Error: Add a recommendation"))
    check_page(page, "recommendation-form-error")
    assert review.recommendations.count() == before

    page.get_by_label("Recommendation", exact=True).fill(
        "Schools share attendance concerns about pre-school siblings with health visitors."
    )
    page.get_by_role("group", name="Agencies it is for").get_by_label("Northshire Police").check()
    fill_date(page, "Target date", dt.date(2027, 9, 30))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("main")).to_contain_text("The recommendation has been added.")
    recommendation = Recommendation.objects.get(review=review, text__startswith="Schools share")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recommendation {recommendation.number}")
    check_page(page, "recommendation")

    # Its first action.
    page.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    check_page(page, "action-form")
    page.get_by_label("Action", exact=True).fill("Agree an information-sharing protocol with schools")
    page.get_by_label("Owner (a named role) (optional)").fill("Designated safeguarding lead")
    page.get_by_label("Owning agency (optional)").select_option(label="Northshire Schools")
    fill_date(page, "Due date", dt.date(2027, 6, 30))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("main")).to_contain_text("The action has been added.")
    expect(page.locator("main")).to_contain_text("Agree an information-sharing protocol with schools")
    check_page(page, "recommendation-with-action")
    action = Action.objects.get(recommendation=recommendation)
    assert action.due_date == dt.date(2027, 6, 30)

    # Back on the review, the new recommendation is listed.
    page.get_by_role("link", name="Back to the review").click()
    expect(page.get_by_role("link", name=f"Recommendation {recommendation.number}")).to_be_visible()
    assert review.recommendations.count() == before + 1
