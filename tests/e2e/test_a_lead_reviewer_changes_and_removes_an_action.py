"""Journey: the review's lead reviewer opens an action of the plan, changes its due
date through its "Change" link, then removes it after the confirm page. Every page
is reached by a link; only the sign-in page and the first recommendation are typed."""

import datetime as dt

from playwright.sync_api import expect

from cspr.models import Deadline
from reviews import services
from reviews.demo import DEMO_REFERENCE
from reviews.models import Action, Review
from tests.e2e.browser import check_page, fill_date, login


def test_a_lead_reviewer_changes_and_removes_an_action(page, demo):
    reviewer = demo["users"]["reviewer"]
    review = Review.objects.get(case__reference=DEMO_REFERENCE)
    recommendation = services.add_recommendation(
        review=review, actor=reviewer, text="Share attendance concerns", target_date=dt.date(2027, 9, 30)
    )
    action = services.add_action(
        recommendation=recommendation,
        actor=reviewer,
        description="Agree a protocol",
        owner_role="Designated safeguarding lead",
        due_date=dt.date(2027, 6, 30),
    )

    login(page, reviewer)
    page.goto(f"/recommendations/{recommendation.pk}/")
    page.get_by_role("link", name="Agree a protocol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action {action.pk}")
    check_page(page, "action")

    page.get_by_role("link", name="Change the due date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change action {action.pk}")
    check_page(page, "action-change-form")
    fill_date(page, "Due date", dt.date(2027, 8, 31))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The action has been changed.")
    expect(page.locator("main")).to_contain_text("31 August 2027")
    assert Deadline.objects.get(rule="action_due", subject_id=action.pk).due_date == dt.date(2027, 8, 31)

    page.get_by_role("link", name="Remove this action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove action {action.pk}?")
    check_page(page, "action-remove")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("main")).to_contain_text(f"Action {action.pk} has been removed.")
    expect(page.locator("main")).to_contain_text("No actions yet.")
    assert not Action.objects.filter(pk=action.pk).exists()
