"""Journey 7: the business manager corrects the date the local authority became aware
(refused first without a reason: nothing changes), sees which clocks moved, then
removes a practitioner event added by mistake through its confirm page."""

import datetime as dt

from playwright.sync_api import expect

from notifications.models import SeriousIncidentNotification
from reviews.demo import DEMO_REFERENCE
from reviews.models import Review
from tests.e2e.browser import check_page, fill_date, login


def test_a_business_manager_corrects_a_notification_date_and_removes_an_event_added_by_mistake(page, demo):
    manager = demo["users"]["manager"]
    notification = SeriousIncidentNotification.objects.get(panel_reference="SIN-DEMO-0001")
    recorded = notification.aware_on
    corrected = recorded - dt.timedelta(days=1)

    login(page, manager)
    page.goto(f"/cases/{notification.case_id}/")
    page.get_by_role("link", name="See the notification").click()
    page.get_by_role("link", name="Correct the notification dates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the notification dates")
    check_page(page, "notification-correct")

    fill_date(page, "Date the local authority became aware", corrected)
    page.get_by_role("button", name="Correct the dates").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "notification-correct-error")
    notification.refresh_from_db()
    assert notification.aware_on == recorded

    page.get_by_label("Why are the dates corrected?").fill("The date of awareness was typed wrongly.")
    page.get_by_role("button", name="Correct the dates").click()
    expect(page.locator("main")).to_contain_text("The notification dates are corrected.")
    expect(page.locator("main")).to_contain_text("Notify the National Panel")
    check_page(page, "notification-corrected")
    notification.refresh_from_db()
    assert notification.aware_on == corrected

    review = Review.objects.get(case__reference=DEMO_REFERENCE)
    event = review.events.order_by("date").first()
    page.get_by_role("link", name="Reviews", exact=True).first.click()
    page.get_by_role("link", name=DEMO_REFERENCE, exact=True).click()
    page.get_by_role("link", name=f"Remove practitioner event on {event.date.day} {event.date:%B %Y}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove the practitioner event")
    check_page(page, "confirm-removal")
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator("main")).to_contain_text("The practitioner event has been removed.")
    assert not review.events.filter(pk=event.pk).exists()
