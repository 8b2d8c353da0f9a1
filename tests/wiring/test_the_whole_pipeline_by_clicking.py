"""A business manager (with a practitioner and a partner lead) carries one case from
the referral to the commissioned review by following the links and buttons each
page renders: no URL is typed, except the home page."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from cases.models import Case, Referral
from cspr.models import Deadline
from rapid_review.models import RapidReview
from reviews.models import Review
from tests.factories import log_in

from .conftest import button, link

pytestmark = pytest.mark.django_db
D = dt.date


def referral_answers(people):
    return {
        "referrer_name": "Pat Practitioner",
        "referrer_agency": people.health.pk,
        "referrer_role": "Health visitor",
        "referrer_contact": "pat@example.org",
        "child_1_name": "Jordan Lee Smith",
        "child_1_date_of_birth": "2020-03-01",
        "child_1_gender": "male",
        "child_1_ethnicity": "white",
        "child_1_address": "1 Example Street",
        "child_1_nature": "seriously_harmed",
        "incident_date": "2026-03-10",
        "incident_description": "Admitted with unexplained injuries.",
        "abuse_or_neglect": "suspected",
        "why_criteria_met": "Serious injury, physical abuse suspected.",
        "agencies_involved": [people.health.pk, people.police.pk],
        "concerns_about_agencies": "Information was not shared.",
        "childrens_social_care_aware": "yes",
        "other_processes": ["police_investigation"],
        "action": "continue",
    }


def clock(rule, subject):
    return Deadline.objects.get(
        rule=rule, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def stage(case):
    case.refresh_from_db()
    return case.stage


def test_a_case_goes_from_referral_to_its_commissioned_review_by_clicking(client, people):
    # The practitioner: home -> "Make a referral" -> check answers -> submit.
    log_in(client, people.practitioner)
    home = client.get("/").content.decode()
    response = client.post(link(home, "Make a referral"), referral_answers(people))
    referral = Referral.objects.get()
    check_url = response["Location"]
    check = client.get(check_url).content.decode()
    client.post(button(check, "Submit referral", here=check_url))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED

    # The business manager: Referrals -> the referral -> accept: a case opens.
    log_in(client, people.manager)
    home = client.get("/").content.decode()
    referrals = client.get(link(home, "Referrals")).content.decode()
    detail = client.get(link(referrals, f"Referral {referral.pk}")).content.decode()
    response = client.post(button(detail, "Accept as a serious child safeguarding case"))
    case = Case.objects.get()
    assert stage(case) == Case.Stage.OPENED

    # The case page: record the notification, then the date the Panel was told.
    page = client.get(response["Location"]).content.decode()
    assert "No rapid review is open." in page
    assert "Record the serious incident notification" in page
    form_url = link(page, "Record the serious incident notification")
    response = client.post(form_url, {"aware_on": "2026-03-11", "incident_local_authority": "Northshire"})
    assert stage(case) == Case.Stage.NOTIFICATION
    notification_page = client.get(response["Location"]).content.decode()
    assert (
        "Open the rapid review" not in client.get(link(notification_page, "See the case")).content.decode()
    )  # not notified yet
    response = client.post(
        button(notification_page, "Record the notification"),
        {
            "notified_panel_on": "2026-03-13",
            "panel_reference": "SIN-2026-0042",
            "partners_told_on": "2026-03-12",
        },
    )
    notify = clock("notify_panel", case.notification)
    assert (notify.status, notify.met_on) == (Deadline.Status.MET, D(2026, 3, 13))

    # Back to the case: "Open the rapid review".
    notification_page = client.get(response["Location"]).content.decode()
    page = client.get(link(notification_page, "See the case")).content.decode()
    rr_url = client.post(button(page, "Open the rapid review"))["Location"]
    review = RapidReview.objects.get()
    assert stage(case) == Case.Stage.RAPID_REVIEW
    rapid_clock = clock("rapid_review", review)
    assert rapid_clock.status == Deadline.Status.OPEN
    rr = client.get(rr_url).content.decode()
    page = client.get(link(rr, f"Go to case {case.reference}")).content.decode()
    assert "Open the rapid review" not in page
    assert rapid_clock.due_date.strftime("%-d %B %Y") in page
    assert link(page, "Go to the rapid review") == rr_url

    # The rapid review: meeting, attendee, agency return, meeting held.
    rr = client.get(link(page, "Go to the rapid review")).content.decode()
    client.post(button(rr, "Add meeting"), {"meeting-date": "2026-03-24"})
    rr = client.get(rr_url).content.decode()
    meeting = review.meetings.get()
    client.post(
        button(rr, "Add attendee"),
        {
            "attendee-meeting": meeting.pk,
            "attendee-name": "Dana Okafor",
            "attendee-agency": people.police.pk,
            "attendee-role": "Detective Inspector",
        },
    )
    rr = client.get(rr_url).content.decode()
    client.post(
        button(rr, "Add return"),
        {
            "return-agency": people.health.pk,
            "return-requested_on": "2026-03-16",
            "return-received_on": "2026-03-20",
            "return-summary": "Seen twice at the emergency department.",
        },
    )
    rr = client.get(rr_url).content.decode()
    client.post(button(rr, "Record the meeting as held"))
    review.refresh_from_db()
    assert review.status == RapidReview.Status.MEETING_HELD
    assert review.agency_returns.count() == 1 and meeting.attendees.count() == 1
    assert stage(case) == Case.Stage.RAPID_REVIEW

    # The criteria: two agencies did not work together (c).
    client.post(
        button(rr, "Save the criteria"),
        {
            "criteria-criterion_agencies_working_together": "on",
            "criteria-criteria_notes": "Information was not shared.",
        },
    )
    review.refresh_from_db()
    assert review.criterion_agencies_working_together

    # A partner lead records the decision: a local CSPR. Its clocks start at once.
    log_in(client, people.lead)
    rr = client.get(rr_url).content.decode()
    client.post(
        button(rr, "Record the decision"),
        {
            "decision-decision": "local_cspr",
            "decision-rationale": "Agencies did not share information.",
            "decision-decided_on": "2026-03-25",
        },
    )
    review.refresh_from_db()
    assert review.status == RapidReview.Status.DECIDED
    assert stage(case) == Case.Stage.DECISION
    months = clock("lcspr_final_report", review)
    assert (months.status, months.start_date) == (Deadline.Status.OPEN, D(2026, 3, 25))
    assert clock("commission_review", review).status == Deadline.Status.OPEN

    # The business manager sends it to the Panel (meets the clock) and records the response.
    log_in(client, people.manager)
    rr = client.get(rr_url).content.decode()
    client.post(button(rr, "Record as sent to the Panel"), {"submit-sent_on": "2026-03-31"})
    rapid_clock.refresh_from_db()
    assert (rapid_clock.status, rapid_clock.met_on) == (Deadline.Status.MET, D(2026, 3, 31))
    assert rapid_clock.met_on <= rapid_clock.due_date
    rr = client.get(rr_url).content.decode()
    client.post(
        button(rr, "Record the Panel's response"),
        {"panel-response": "agrees", "panel-responded_on": "2026-04-14", "panel-text": "Agreed."},
    )
    review.refresh_from_db()
    assert review.status == RapidReview.Status.PANEL_RESPONDED

    # "Commission the review" on the rapid review page: a local CSPR from the decision.
    rr = client.get(rr_url).content.decode()
    assert "The outcome calls for a local child safeguarding practice review." in rr
    commissioned = client.post(button(rr, "Commission the review"))
    commissioned_review = Review.objects.get()
    assert (commissioned_review.kind, commissioned_review.decided_on) == (
        Review.Kind.LOCAL_CSPR,
        D(2026, 3, 25),
    )
    assert stage(case) == Case.Stage.REVIEW
    # The review takes over the months that started at the decision; commissioning
    # meets its task.
    lcspr = clock("lcspr_final_report", commissioned_review)
    assert (lcspr.pk, lcspr.status, lcspr.start_date) == (months.pk, Deadline.Status.OPEN, D(2026, 3, 25))
    assert clock("commission_review", review).status == Deadline.Status.MET

    # The review page, and back on the case page every stage in order.
    review_page = client.get(commissioned["Location"]).content.decode()
    assert case.reference in review_page
    rr = client.get(rr_url).content.decode()
    assert "Commission the review" not in rr  # once only
    page = client.get(link(rr, f"Go to case {case.reference}")).content.decode()
    positions = [
        page.index(h)
        for h in (
            ">Serious incident notification</h2>",
            'id="rapid-review"',
            'id="review"',
            'id="publication"',
        )
    ]
    assert positions == sorted(positions)
    assert client.get(link(page, "Local child safeguarding practice review")).status_code == 200
    assert "Open the rapid review" not in page
