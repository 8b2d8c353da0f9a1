"""Journey 5: the business manager adds the final report of a local CSPR, writes its
7-minute briefing, plans the publication, records the copies sent to the National Panel
and the Secretary of State (at least 7 working days ago) and publishes; the report and
the briefing then appear in the learning library for a practitioner and on the public
page for a visitor who is not signed in. Every page is reached by a link (the footer's
"Published reviews" for the visitor); only the sign-in and home pages are typed in."""

import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from cspr.pdf import render_pdf
from cspr.workdays import add_working_days
from publication.models import Briefing, LearningTheme, Publication
from reviews.demo import DEMO_REFERENCE
from tests.e2e.browser import check_page, fill_date, login
from tests.pdfcheck import assert_tagged_pdf

TITLE = "Child G: local child safeguarding practice review"
BRIEFING_TITLE = "Child G: 7-minute briefing"


def expect_error(page, text: str = "") -> None:
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    if text:
        expect(page.locator(".govuk-error-summary")).to_contain_text(text)
    expect(page).to_have_title(re.compile(r"^Error: "))


def test_a_report_is_published_and_appears_on_the_public_page(page, new_page, demo):
    today = timezone.localdate()
    copies_sent = add_working_days(today, -8)
    manager, practitioner = demo["users"]["manager"], demo["users"]["practitioner"]
    report_pdf = render_pdf("pdf/base.html", {}, title=TITLE)
    # The themes come from a data migration, which an earlier transactional test's flush removes.
    LearningTheme.objects.get_or_create(slug="voice-of-the-child", defaults={"name": "Voice of the child"})

    # The final report: an empty form is refused first.
    login(page, manager)
    page.get_by_role("link", name="Publication", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Final reports and publication")
    check_page(page, "publication-list")
    page.get_by_role("link", name=f"add the final report for {DEMO_REFERENCE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add the final report")
    check_page(page, "final-report-form")
    page.get_by_role("button", name="Add the final report").click()
    expect_error(page)
    summary = page.locator(".govuk-error-summary")
    for field in ("id_title", "id_summary_of_improvements", "id_file"):
        expect(summary.locator(f"a[href='#{field}']")).to_have_count(1)
    check_page(page, "final-report-form-error")
    assert not Publication.objects.filter(review__case__reference=DEMO_REFERENCE).exists()

    page.get_by_label("The final report (or the information about improvements)").set_input_files(
        {"name": "child-g-report.pdf", "mimeType": "application/pdf", "buffer": report_pdf}
    )
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("The child's chosen name", exact=False).first.fill("Child G")
    page.get_by_label("Summary of the improvements recommended").fill(
        "Agencies should ask about every adult in the household and share bruising concerns the same day."
    )
    page.get_by_label("Analysis of the systemic or underlying reasons", exact=False).first.fill(
        "Handovers between teams lost the history; male carers were not asked about."
    )
    page.get_by_role("group", name="Learning themes").get_by_label("Voice of the child").check()
    # Received before the copies went (the dates follow the order of events).
    fill_date(page, "Date the final report was received", add_working_days(today, -15))
    page.get_by_role("button", name="Add the final report").click()
    expect(page.locator("main")).to_contain_text("The final report has been added.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    publication = Publication.objects.get(review__case__reference=DEMO_REFERENCE)
    check_page(page, "publication")

    # Publishing before the copies are sent is refused.
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the report")
    check_page(page, "publication-publish-form")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect_error(
        page,
        "Record the dates the copies went to the National Panel, the Secretary of State "
        "and Ofsted first (not yet recorded: the National Panel, the Secretary of State, "
        "Ofsted).",
    )
    check_page(page, "publication-publish-error")
    publication.refresh_from_db()
    assert publication.status != Publication.Status.PUBLISHED
    page.get_by_role("link", name="Cancel").click()

    # The 7-minute briefing, published with the report.
    page.get_by_role("link", name="Write a 7-minute briefing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a 7-minute briefing")
    check_page(page, "briefing-form")
    page.get_by_label("Title", exact=True).fill(BRIEFING_TITLE)
    page.get_by_label("Background").fill("Child G, a baby, lived with a parent and the parent's partner.")
    page.get_by_label("What happened").fill("Bruises were seen twice; the partner was never asked about.")
    page.get_by_label("Key learning").fill("Ask about every adult in the household.")
    page.get_by_label("What should change").fill("Share every concern about bruising the same day.")
    page.get_by_label("Reflective question 1").fill("Who else lives in the home?")
    page.get_by_label("Reflective question 2").fill("When did you last see the baby undressed?")
    page.get_by_label("Reflective question 3").fill("Who would you tell about a bruise?")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The briefing has been saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(BRIEFING_TITLE)
    check_page(page, "briefing")
    briefing = Briefing.objects.get(title=BRIEFING_TITLE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the one-page PDF").click()
    assert_tagged_pdf(Path(download.value.path()).read_bytes(), title=BRIEFING_TITLE, lang="en-GB")

    # Back to the report: plan, copies, publish.
    page.get_by_role("link", name="Publication", exact=True).first.click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Set the planned publication date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planned publication date")
    check_page(page, "publication-plan-form")
    fill_date(page, "Planned publication date", today)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The planned publication date has been saved.")

    page.get_by_role("link", name="Record the copies sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copies sent before publication")
    check_page(page, "publication-copies-form")
    fill_date(page, "Date the copy was sent to the National Panel", copies_sent)
    fill_date(page, "Date the copy was sent to the Secretary of State", copies_sent)
    fill_date(page, "Date the copy was sent to Ofsted", copies_sent)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The dates the copies were sent have been saved.")

    page.get_by_role("link", name="Publish", exact=True).click()
    published_on = page.get_by_role("group", name="Publication date")
    for part, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        expect(published_on.get_by_label(part)).to_have_value(str(value))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("main")).to_contain_text("The report has been published.")
    check_page(page, "publication-published")
    publication.refresh_from_db()
    briefing.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED and publication.published_on == today
    assert briefing.status == Briefing.Status.PUBLISHED

    # A practitioner finds both in the learning library.
    page.context.clear_cookies()
    login(page, practitioner)
    page.get_by_role("link", name="Learning library", exact=True).first.click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=BRIEFING_TITLE)).to_be_visible()
    check_page(page, "learning-library", key=True)

    # A visitor who is not signed in finds the report on the public page.
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_role("link", name="Published reviews").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Published reviews")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    check_page(visitor, "published-reviews", key=True)
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(visitor, "published-report")
    # Its briefing is there too, as the same tagged PDF (fetched with the visitor's context).
    briefing_link = visitor.get_by_role("link", name=f"{BRIEFING_TITLE} (PDF, one page)")
    expect(briefing_link).to_be_visible()
    public_pdf = visitor.request.get(briefing_link.get_attribute("href")).body()
    assert_tagged_pdf(public_pdf, title=BRIEFING_TITLE, lang="en-GB")
