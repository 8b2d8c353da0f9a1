"""Journeys 2, 3 and 6: the business manager triages a referral, records the serious
incident notification (the dashboard's clock goes from amber to met), opens the rapid
review, records a meeting and an agency return and downloads the Panel PDF; the
partner lead records the decision; the rapid review is sent to the Panel."""

from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, Referral
from cspr.models import Deadline
from rapid_review import pdf as rapid_review_pdf
from rapid_review.models import RapidReview
from tests.e2e.browser import check_page, fill_date, login, post_from_page, url
from tests.pdfcheck import assert_tagged_pdf


def open_details(page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def dashboard_row(page, reference: str, rule_title: str):
    return page.locator("tr", has=page.locator("th", has_text=reference)).filter(has_text=rule_title)


def test_a_referral_becomes_a_rapid_review_sent_to_the_panel(page, demo):
    today = timezone.localdate()
    referral = Referral.objects.get(status=Referral.Status.SUBMITTED)
    manager, lead = demo["users"]["manager"], demo["users"]["lead"]

    # Triage: the business manager finds the referral and accepts it.
    login(page, manager)
    page.goto("/referrals/")
    check_page(page, "referral-list")
    page.get_by_role("link", name=f"Referral {referral.pk}").first.click()
    check_page(page, "referral-triage")
    page.get_by_role("button", name="Accept as a serious child safeguarding case").click()
    case = Case.objects.get(referral=referral)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    check_page(page, "case", key=True)

    # The notification: an empty form first (its error state), then the date of awareness.
    page.get_by_role("link", name="Record the serious incident notification").click()
    check_page(page, "notification-form")
    page.get_by_role("button", name="Record and start the clocks").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "notification-form-error")
    fill_date(page, "Date the local authority became aware", today)
    page.get_by_label("Local authority where the incident happened").fill("Northshire")
    page.get_by_role("button", name="Record and start the clocks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Serious incident notification")
    check_page(page, "notification")

    # The dashboard: the Panel notification is due within days, so amber.
    page.goto("/deadlines/")
    row = dashboard_row(page, case.reference, "Notify the National Panel")
    expect(row).to_have_count(1)
    expect(row.locator(".app-rag")).to_have_text("Amber")
    check_page(page, "dashboard", key=True)

    # The Panel notification: refused without its reference, then recorded.
    page.go_back()
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "notification-panel-error")
    fill_date(page, "Date the National Panel was notified", today)
    page.get_by_label("Notification reference").fill("SIN-2026-0777")
    fill_date(page, "Date the safeguarding partners were told", today)
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator("main")).to_contain_text("SIN-2026-0777")
    check_page(page, "notification-notified")
    assert Deadline.objects.get(reference=case.reference, rule="notify_panel").status == "met"

    # The clock is met: no longer listed as coming up or overdue.
    page.goto("/deadlines/")
    expect(dashboard_row(page, case.reference, "Notify the National Panel")).to_have_count(0)
    check_page(page, "dashboard-after-notification")

    # The rapid review. (No "open rapid review" button on the case page yet: the POST
    # is sent from the case page with its CSRF token.)
    page.goto(url("cases:case-detail", case.pk))
    post_from_page(page, url("rapid_review:open", case.pk))
    review = RapidReview.objects.get(case=case)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapid review {case.reference}")
    check_page(page, "rapid-review", key=True)

    open_details(page, "Add a meeting")
    page.get_by_role("button", name="Add meeting").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "rapid-review-meeting-error")
    fill_date(page, "Date of the meeting", today)
    page.get_by_role("button", name="Add meeting").click()
    expect(page.locator("main")).to_contain_text("Meeting added.")

    open_details(page, "Add an attendee")
    attendee = page.locator(f"form[action='{url('rapid_review:attendee-add', review.pk)}']")
    attendee.get_by_label("Name", exact=True).fill("Dana Okafor")
    attendee.get_by_label("Agency (optional)", exact=True).select_option(label="Northshire Police")
    attendee.get_by_label("Role", exact=True).fill("Detective Inspector")
    attendee.get_by_role("button", name="Add attendee").click()
    expect(page.locator("main")).to_contain_text("Dana Okafor")

    open_details(page, "Add an agency")
    returns = page.locator(f"form[action='{url('rapid_review:return-add', review.pk)}']")
    returns.get_by_label("Agency", exact=True).select_option(label="Northshire Hospitals NHS Trust")
    fill_date(returns, "Date requested", today)
    fill_date(returns, "Date received", today)
    returns.get_by_label("Summary of the agency's involvement").fill(
        "Seen at the emergency department twice."
    )
    returns.get_by_role("button", name="Add return").click()
    expect(page.locator("main")).to_contain_text("Seen at the emergency department twice.")

    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.locator("main")).to_contain_text("The rapid review meeting is recorded as held.")
    check_page(page, "rapid-review-meeting-held")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rapid review for the Panel (PDF)").click()
    review.refresh_from_db()
    assert_tagged_pdf(Path(download.value.path()).read_bytes(), title=rapid_review_pdf.title(review))

    # The criteria: two agencies did not work together, so a local review follows them.
    page.get_by_label("(c) The case highlights concerns about two or more agencies working together").check()
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.locator("main")).to_contain_text("Criteria saved.")

    # The partner lead records the decision.
    page.context.clear_cookies()
    login(page, lead)
    page.goto(url("rapid_review:detail", review.pk))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "rapid-review-decision-error")
    page.get_by_role("group", name="The partners' decision").get_by_label(
        "Hold a local child safeguarding practice review"
    ).check()
    page.get_by_label("Reasons for the decision").fill("Agencies did not share information.")
    fill_date(page, "Date of the decision", today)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Decision recorded.")
    check_page(page, "rapid-review-decided")

    # The business manager sends it to the Panel.
    page.context.clear_cookies()
    login(page, manager)
    page.goto(url("rapid_review:detail", review.pk))
    fill_date(page, "Date sent to the Panel", today)
    page.get_by_role("button", name="Record as sent to the Panel").click()
    expect(page.locator("main")).to_contain_text(f"Sent to the Panel on {today.day} {today:%B %Y}.")
    check_page(page, "rapid-review-sent")
    review.refresh_from_db()
    assert review.status == "submitted" and review.decision == "local_cspr"
    assert Deadline.objects.get(reference=case.reference, rule="rapid_review").status == "met"
