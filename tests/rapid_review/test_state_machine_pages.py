"""The rapid review's state machine through the pages: each step, and each illegal
step refused with a clear message that changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from cspr.models import AuditEvent, Deadline
from rapid_review import services
from rapid_review.models import AgencyReturn, RapidReview, RapidReviewMeeting
from tests.factories import log_in

from .conftest import D, advance

pytestmark = pytest.mark.django_db


def post(client, name, review, data=None, follow=True):
    return client.post(reverse(f"rapid_review:{name}", args=[review.pk]), data or {}, follow=follow)


def test_a_case_goes_from_opening_to_the_panels_response_through_the_pages(world, client):
    log_in(client, world.manager)
    client.post(reverse("rapid_review:open", args=[world.case.pk]))
    review = RapidReview.objects.get()
    post(client, "meeting-add", review, {"meeting-date": "2026-04-14"})
    meeting = RapidReviewMeeting.objects.get()
    post(
        client,
        "attendee-add",
        review,
        {
            "attendee-meeting": meeting.pk,
            "attendee-name": "Dana Okafor",
            "attendee-agency": world.police.pk,
            "attendee-role": "Detective Inspector",
        },
    )
    post(
        client,
        "return-add",
        review,
        {
            "return-agency": world.health.pk,
            "return-requested_on": "2026-04-03",
            "return-received_on": "2026-04-09",
            "return-summary": "Seen at the emergency department twice.",
        },
    )
    post(
        client,
        "action-add",
        review,
        {
            "action-action": "Strategy meeting for the siblings",
            "action-owner": "Children's social care",
            "action-due_on": "2026-04-06",
            "action-done_on": "2026-04-06",
        },
    )
    post(
        client,
        "analysis",
        review,
        {
            "analysis-household_composition": "Mother, mother's partner, two siblings aged 5 and 7",
            "analysis-chronology_summary": "Three contacts with health in March.",
            "analysis-other_processes": ["police_investigation"],
        },
    )
    post(client, "criteria", review, {"criteria-criterion_agencies_working_together": "on"})
    response = post(client, "meeting-held", review)
    assert "The rapid review meeting is recorded as held." in response.content.decode()

    log_in(client, world.lead)
    response = post(
        client,
        "decision",
        review,
        {
            "decision-decision": "local_cspr",
            "decision-rationale": "Agencies did not share information.",
            "decision-decided_on": "2026-04-15",
        },
    )
    assert "Decision recorded." in response.content.decode()
    post(
        client,
        "share",
        review,
        {"share-shared_with": "The three partners and the family", "share-shared_on": "2026-04-16"},
    )
    post(
        client,
        "signoff",
        review,
        {
            "signoff-sign_off_local_authority": "Ruth Ames, DCS",
            "signoff-sign_off_police": "Det Supt Kay Lind",
            "signoff-sign_off_icb": "Dr Omar Shah, Designated Doctor",
        },
    )
    response = post(client, "submit", review, {"submit-sent_on": "2026-04-21"})
    assert "Sent to the Panel on 21 April 2026." in response.content.decode()
    response = post(
        client,
        "panel-response",
        review,
        {
            "panel-response": "agrees",
            "panel-responded_on": "2026-05-05",
            "panel-text": "Agreed.",
        },
    )
    html = response.content.decode()
    assert "The Panel agrees with the decision" in html
    assert "9 working days after sending" in html

    review.refresh_from_db()
    assert review.status == "panel_responded"
    assert review.criterion_agencies_working_together is True
    assert review.other_processes == ["police_investigation"]
    assert review.decided_by == world.lead and review.decision_shared_on == D(2026, 4, 16)
    assert review.sign_off_police == "Det Supt Kay Lind"
    assert AgencyReturn.objects.get().summary == "Seen at the emergency department twice."
    assert Deadline.objects.get(rule="rapid_review").status == "met"
    assert (
        AuditEvent.objects.filter(action="transition", subject_label="NCC-2026-014 rapid review").count() == 4
    )


def _unchanged(review, status):
    review.refresh_from_db()
    assert review.status == status


def test_the_meeting_cannot_be_recorded_as_held_before_one_has_a_date(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    response = post(client, "meeting-held", review)
    html = response.content.decode()
    assert "Add the date of a rapid review meeting that has taken place" in html
    assert "<title>Error:" in html and "There is a problem" in html
    _unchanged(review, "open")


def test_a_meeting_in_the_future_does_not_count_as_held(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    post(client, "meeting-add", review, {"meeting-date": tomorrow.isoformat()})
    meeting = RapidReviewMeeting.objects.get()
    post(
        client,
        "attendee-add",
        review,
        {"attendee-meeting": meeting.pk, "attendee-name": "A Person", "attendee-role": "Nurse"},
    )
    html = post(client, "meeting-held", review).content.decode()
    assert "that has taken place (today or earlier)" in html
    _unchanged(review, "open")


def test_the_meeting_cannot_be_recorded_as_held_without_attendees(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    post(client, "meeting-add", review, {"meeting-date": "2026-04-14"})
    html = post(client, "meeting-held", review).content.decode()
    assert "Add who attended the rapid review meeting" in html
    _unchanged(review, "open")


def test_the_meeting_cannot_be_recorded_as_held_twice(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    html = post(client, "meeting-held", review).content.decode()
    assert "already recorded as held" in html
    _unchanged(review, "meeting_held")


def test_the_decision_is_refused_before_the_meeting(world, client):
    review = advance(world, "open")
    log_in(client, world.lead)
    html = post(
        client, "decision", review, {"decision-decision": "local_cspr", "decision-rationale": "Reasons."}
    ).content.decode()
    assert "Record the rapid review meeting as held before recording the decision." in html
    _unchanged(review, "open")
    assert RapidReview.objects.get().decision == ""


def test_only_a_partner_lead_records_the_decision(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    response = post(
        client,
        "decision",
        review,
        {"decision-decision": "local_cspr", "decision-rationale": "Reasons."},
        follow=False,
    )
    assert response.status_code == 403
    assert "Only a partner lead can record the partners" in response.content.decode()
    _unchanged(review, "meeting_held")
    html = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert "A partner lead records the partners' decision." in html


def test_a_decision_needs_a_rationale_shown_on_the_field(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    html = post(client, "decision", review, {"decision-decision": "no_further_review"}).content.decode()
    assert 'id="id_decision-rationale-error"' in html
    assert "Enter the reasons for the decision." in html
    assert 'href="#id_decision-rationale"' in html
    _unchanged(review, "meeting_held")


def test_a_pending_decision_needs_its_expected_date_and_the_review_can_still_be_sent(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.lead)
    html = post(client, "decision", review, {"decision-pending": "on"}).content.decode()
    assert "Enter the date the decision is expected." in html
    _unchanged(review, "meeting_held")
    expected = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    post(client, "decision", review, {"decision-pending": "on", "decision-expected_on": expected})
    _unchanged(review, "decided")
    assert RapidReview.objects.get().decision_pending
    post(client, "submit", review, {"submit-sent_on": "2026-04-21"})
    _unchanged(review, "submitted")
    # The pending decision is completed later; the review stays sent.
    html = post(
        client,
        "decision",
        review,
        {
            "decision-decision": "other_learning_review",
            "decision-rationale": "A learning event is enough.",
            "decision-decided_on": "2026-04-28",
        },
    ).content.decode()
    assert "Decision recorded." in html
    review.refresh_from_db()
    assert (review.status, review.decision, review.decision_pending) == (
        "submitted",
        "other_learning_review",
        False,
    )


def test_sending_before_the_decision_is_refused(world, client):
    review = advance(world, "meeting_held")
    log_in(client, world.manager)
    html = post(client, "submit", review, {"submit-sent_on": "2026-04-21"}).content.decode()
    assert "Record the decision (or that it is pending) before sending" in html
    _unchanged(review, "meeting_held")
    assert Deadline.objects.get(rule="rapid_review").status == "open"


def test_sending_twice_is_refused(world, client):
    review = advance(world, "submitted")
    log_in(client, world.manager)
    response = post(client, "submit", review, {"submit-sent_on": "2026-04-22"})
    assert "This rapid review was already sent to the Panel on 21 April 2026." in response.content.decode()
    review.refresh_from_db()
    assert review.submitted_on == D(2026, 4, 21)


def test_a_sent_review_cannot_be_edited(world, client):
    review = advance(world, "submitted")
    log_in(client, world.manager)
    message = "This rapid review was sent to the Panel on 21 April 2026 and can no longer be changed."
    html = post(client, "meeting-add", review, {"meeting-date": "2026-04-20"}).content.decode()
    assert message in html
    html = post(client, "analysis", review, {"analysis-good_practice": "Changed"}).content.decode()
    assert message in html
    assert RapidReviewMeeting.objects.count() == 1
    assert RapidReview.objects.get().good_practice == ""
    log_in(client, world.lead)
    html = post(
        client,
        "decision",
        review,
        {"decision-decision": "no_further_review", "decision-rationale": "Changed mind"},
    ).content.decode()
    assert message in html
    assert RapidReview.objects.get().decision == "local_cspr"


def test_the_panels_response_is_refused_before_sending_and_twice(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    data = {"panel-response": "agrees", "panel-responded_on": "2026-05-05"}
    html = post(client, "panel-response", review, data).content.decode()
    assert "Send the rapid review to the Panel before recording its response." in html
    _unchanged(review, "decided")
    services.submit_to_panel(review=review, actor=world.manager, sent_on=D(2026, 4, 21))
    html = post(
        client, "panel-response", review, {**data, "panel-responded_on": "2026-04-20"}
    ).content.decode()
    assert (
        "The date of the Panel&#x27;s response (20 April 2026) must be on or after the date "
        "sent to the Panel (21 April 2026)"
    ) in html
    _unchanged(review, "submitted")
    post(client, "panel-response", review, data)
    html = post(
        client, "panel-response", review, {**data, "panel-response": "national_review"}
    ).content.decode()
    assert "The Panel&#x27;s response of 5 May 2026 is already recorded." in html
    assert RapidReview.objects.get().panel_response == "agrees"


def test_a_future_sending_date_is_refused_on_the_field(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    html = post(client, "submit", review, {"submit-sent_on": future}).content.decode()
    assert 'id="id_submit-sent_on-error"' in html
    _unchanged(review, "decided")


def test_an_attendee_needs_a_name_and_role(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    post(client, "meeting-add", review, {"meeting-date": "2026-04-14"})
    html = post(
        client, "attendee-add", review, {"attendee-meeting": RapidReviewMeeting.objects.get().pk}
    ).content.decode()
    assert "Enter the attendee&#x27;s name." in html and "Enter the attendee&#x27;s role." in html
    assert not RapidReviewMeeting.objects.get().attendees.exists()


def test_an_agency_return_and_an_action_can_be_changed_on_their_own_pages(world, client):
    review = advance(world, "open")
    log_in(client, world.manager)
    post(
        client, "return-add", review, {"return-agency": world.health.pk, "return-requested_on": "2026-04-03"}
    )
    item = AgencyReturn.objects.get()
    url = reverse("rapid_review:return-edit", args=[review.pk, item.pk])
    assert "Northshire Hospitals NHS Trust" in client.get(url).content.decode()
    html = client.post(
        url, {"return-requested_on": "2026-04-03", "return-received_on": "2026-04-01"}
    ).content.decode()
    assert ("The date received (1 April 2026) must be on or after the date requested (3 April 2026)") in html
    client.post(
        url,
        {
            "return-requested_on": "2026-04-03",
            "return-received_on": "2026-04-08",
            "return-summary": "Known to the GP.",
        },
    )
    item.refresh_from_db()
    assert (item.received_on, item.summary) == (D(2026, 4, 8), "Known to the GP.")
    post(client, "action-add", review, {"action-action": "Safety plan", "action-owner": "Police"})
    action = review.safety_actions.get()
    url = reverse("rapid_review:action-edit", args=[review.pk, action.pk])
    client.post(
        url, {"action-action": "Safety plan", "action-owner": "Police", "action-done_on": "2026-04-10"}
    )
    action.refresh_from_db()
    assert action.done_on == D(2026, 4, 10)
