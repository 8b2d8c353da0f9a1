"""Removing a record added to a rapid review by mistake: a meeting (with its
attendees), an attendee, an agency information return, an immediate action. The
same people who add them remove them, on a confirm page or by the API, audited;
nothing can be removed once the rapid review was sent to the Panel."""

import html
import re

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cspr.models import AuditEvent
from cspr.roles import Role
from rapid_review import services
from rapid_review.models import AgencyReturn, Attendee, RapidReviewMeeting, SafetyAction
from tests.factories import log_in, member

from .conftest import D, advance
from .test_pdf import pdf_text

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader hears it: tags dropped, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def open_review_with_records(world):
    """An open rapid review with two meetings (two attendees on the first), two agency
    returns and two immediate actions."""
    review = advance(world, "open")
    m = world.manager
    first = services.add_meeting(review=review, actor=m, date=D(2026, 4, 10))
    services.add_attendee(
        review=review,
        actor=m,
        meeting=first,
        name="Dana Okafor",
        role="Detective Inspector",
        agency=world.police,
    )
    services.add_attendee(
        review=review, actor=m, meeting=first, name="Sam Reyes", role="Named nurse", agency=world.health
    )
    second = services.add_meeting(review=review, actor=m, date=D(2026, 4, 14))
    services.add_attendee(review=review, actor=m, meeting=second, name="Lee Adams", role="Team manager")
    services.add_agency_return(
        review=review,
        actor=m,
        agency=world.police,
        requested_on=D(2026, 4, 3),
        summary="Two call-outs to the address.",
    )
    services.add_agency_return(
        review=review,
        actor=m,
        agency=world.health,
        requested_on=D(2026, 4, 3),
        summary="Seen at the emergency department.",
    )
    services.add_safety_action(
        review=review, actor=m, action="Strategy meeting for the siblings", owner="Children's social care"
    )
    services.add_safety_action(
        review=review, actor=m, action="Flag the address on police systems", owner="Police"
    )
    return review


def remove_url(name, review, part):
    return reverse(f"rapid_review:{name}-remove", args=[review.pk, part.pk])


def test_removing_a_meeting_asks_first_says_its_attendees_go_too_and_is_audited(world, client):
    review = open_review_with_records(world)
    meeting = review.meetings.get(date=D(2026, 4, 10))
    log_in(client, world.manager)

    page = client.get(remove_url("meeting", review, meeting))
    assert page.status_code == 200
    assert "Remove the meeting on 10 April 2026?" in text(page)
    assert "Its 2 attendees (Dana Okafor, Sam Reyes) will be removed too." in text(page)
    assert RapidReviewMeeting.objects.filter(pk=meeting.pk).exists()  # GET changes nothing

    response = client.post(remove_url("meeting", review, meeting), follow=True)
    assert response.redirect_chain[-1][0] == (reverse("rapid_review:detail", args=[review.pk]) + "#meetings")
    assert "Meeting removed." in text(response)
    assert "Meeting on 10 April 2026" not in text(response)
    assert "Dana Okafor" not in text(response)
    assert "Meeting on 14 April 2026" in text(response)
    assert not Attendee.objects.filter(meeting_id=meeting.pk).exists()

    event = AuditEvent.objects.get(action="delete")
    assert event.actor == world.manager
    assert event.subject_label == "NCC-2026-014 rapid review"
    assert event.detail == {
        "removed": "meeting",
        "meeting_id": meeting.pk,
        "meeting_date": "2026-04-10",
        "attendees_removed": 2,
    }


@pytest.mark.parametrize(
    ("name", "find", "hidden", "gone", "flash"),
    [
        (
            "attendee",
            lambda r: Attendee.objects.get(name="Sam Reyes"),
            "Remove Sam Reyes from the meeting on 10 April 2026",
            "Named nurse",
            "Attendee removed.",
        ),
        (
            "return",
            lambda r: r.agency_returns.get(agency__name="Northshire Police"),
            "Remove the return of Northshire Police",
            "Two call-outs to the address.",
            "Agency information return removed.",
        ),
        (
            "action",
            lambda r: r.safety_actions.get(owner="Police"),
            "Remove action 2: Flag the address on police systems",
            "Flag the address on police systems",
            "Immediate action removed.",
        ),
    ],
)
def test_each_record_has_a_remove_link_and_disappears_from_the_page_once_removed(
    world, client, name, find, hidden, gone, flash
):
    review = open_review_with_records(world)
    part = find(review)
    log_in(client, world.manager)
    detail = client.get(reverse("rapid_review:detail", args=[review.pk]))
    assert hidden in text(detail)
    assert f'href="{remove_url(name, review, part)}"' in detail.content.decode()

    response = client.post(remove_url(name, review, part), follow=True)
    assert flash in text(response)
    assert gone not in text(response)
    assert not type(part).objects.filter(pk=part.pk).exists()
    event = AuditEvent.objects.get(action="delete")
    assert (
        event.detail["removed"]
        == {"attendee": "attendee", "return": "agency_return", "action": "safety_action"}[name]
    )
    # Described without personal data: no staff names, no free text.
    assert not {"Sam Reyes", "Flag the address on police systems"} & set(map(str, event.detail.values()))


def test_the_confirm_page_names_what_will_be_removed(world, client):
    review = open_review_with_records(world)
    log_in(client, world.manager)
    item = review.agency_returns.get(agency__name="Northshire Police")
    page = text(client.get(remove_url("return", review, item)))
    assert "Remove the information return of Northshire Police?" in page
    assert "Two call-outs to the address." in page
    action = review.safety_actions.get(owner="Police")
    page = text(client.get(remove_url("action", review, action)))
    assert "Remove this immediate action?" in page
    assert "Flag the address on police systems" in page
    assert "Cancel" in page


def test_the_removed_records_are_no_longer_in_the_pdf_for_the_panel(world, client, tmp_path):
    review = open_review_with_records(world)
    log_in(client, world.manager)
    client.post(remove_url("meeting", review, review.meetings.get(date=D(2026, 4, 10))))
    client.post(remove_url("return", review, review.agency_returns.get(agency__name="Northshire Police")))
    client.post(remove_url("action", review, review.safety_actions.get(owner="Police")))
    response = client.get(reverse("rapid_review:pdf", args=[review.pk]))
    assert response.status_code == 200
    flat = re.sub(r"\s+", " ", pdf_text(tmp_path, response.content)[0])
    for kept in (
        "Lee Adams",
        "14 April 2026",
        "Seen at the emergency department.",
        "Strategy meeting for the siblings",
    ):
        assert kept in flat, kept
    for removed in (
        "Dana Okafor",
        "Sam Reyes",
        "10 April 2026",
        "Two call-outs to the address.",
        "Flag the address on police systems",
    ):
        assert removed not in flat, removed


def test_nothing_can_be_removed_once_the_rapid_review_was_sent_to_the_panel(world, client):
    review = open_review_with_records(world)
    advance(world, "submitted", review=review)
    log_in(client, world.manager)
    detail = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert "-remove" not in detail and "/remove/" not in detail

    parts = {
        "meeting": review.meetings.first(),
        "attendee": Attendee.objects.first(),
        "return": review.agency_returns.first(),
        "action": review.safety_actions.first(),
    }
    message = (
        "This rapid review was sent to the Panel on 21 April 2026, and the Panel has "
        "that version: nothing can be removed from it."
    )
    for name, part in parts.items():
        page = client.get(remove_url(name, review, part))
        assert page.status_code == 200, name
        assert message in text(page), name
        assert "govuk-button--warning" not in page.content.decode(), name
        refused = client.post(remove_url(name, review, part))
        assert refused.status_code == 200 and message in text(refused), name
        assert type(part).objects.filter(pk=part.pk).exists(), name
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_the_last_held_meeting_with_attendees_stays_once_the_meeting_is_recorded_as_held(world, client):
    review = advance(world, "meeting_held")  # one meeting, 14 April 2026, one attendee
    meeting = review.meetings.get()
    attendee = meeting.attendees.get()
    log_in(client, world.manager)
    for name, part in (("meeting", meeting), ("attendee", attendee)):
        page = text(client.get(remove_url(name, review, part)))
        assert "this is the last record of a held meeting with attendees" in page, name
        client.post(remove_url(name, review, part))
        assert type(part).objects.filter(pk=part.pk).exists(), name
    # Once the right meeting is recorded, the mistaken one can go.
    right = services.add_meeting(review=review, actor=world.manager, date=D(2026, 4, 15))
    services.add_attendee(
        review=review, actor=world.manager, meeting=right, name="Lee Adams", role="Team manager"
    )
    client.post(remove_url("meeting", review, meeting))
    assert not RapidReviewMeeting.objects.filter(pk=meeting.pk).exists()


def test_the_api_removes_each_record_with_delete_and_refuses_once_sent(world, client):
    review = open_review_with_records(world)
    log_in(client, world.manager)
    meeting = review.meetings.get(date=D(2026, 4, 10))
    attendee = Attendee.objects.get(name="Lee Adams")
    item = review.agency_returns.get(agency__name="Northshire Police")
    action = review.safety_actions.get(owner="Police")
    for url_name, part_id in (
        ("attendee", attendee.pk),
        ("meeting", meeting.pk),
        ("agency-return", item.pk),
        ("safety-action", action.pk),
    ):
        response = client.delete(reverse(f"api:rapid-review-{url_name}", args=[review.pk, part_id]))
        assert response.status_code == 204, (url_name, response.content)
    assert AuditEvent.objects.filter(action="delete").count() == 4
    body = client.get(reverse("api:rapid-review-detail", args=[review.pk])).json()
    assert [m["date"] for m in body["meetings"]] == ["2026-04-14"]
    assert body["meetings"][0]["attendees"] == []
    assert [r["agency_name"] for r in body["agency_returns"]] == ["Northshire Hospitals NHS Trust"]
    assert [a["owner"] for a in body["safety_actions"]] == ["Children's social care"]
    # Removing it twice: 404.
    response = client.delete(reverse("api:rapid-review-meeting", args=[review.pk, meeting.pk]))
    assert response.status_code == 404

    services.add_attendee(
        review=review,
        actor=world.manager,
        meeting=review.meetings.get(),
        name="Lee Adams",
        role="Team manager",
    )
    advance(world, "submitted", review=review)
    remaining = review.safety_actions.get()
    response = client.delete(reverse("api:rapid-review-safety-action", args=[review.pk, remaining.pk]))
    assert response.status_code == 409
    assert "the Panel has that version" in response.json()["non_field_errors"][0]
    assert SafetyAction.objects.filter(pk=remaining.pk).exists()


def test_a_panel_liaison_who_may_see_the_review_cannot_remove_anything(world, client):
    review = open_review_with_records(world)
    liaison = member(world.partnership, Role.PANEL_LIAISON, username="liaison")
    assign_perm("view_case", liaison, world.case)
    log_in(client, liaison)
    detail = client.get(reverse("rapid_review:detail", args=[review.pk]))
    assert detail.status_code == 200 and "/remove/" not in detail.content.decode()
    item = review.agency_returns.first()
    assert client.get(remove_url("return", review, item)).status_code == 403
    assert client.post(remove_url("return", review, item)).status_code == 403
    response = client.delete(reverse("api:rapid-review-agency-return", args=[review.pk, item.pk]))
    assert response.status_code == 403
    assert AgencyReturn.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("who", ["practitioner", "outsider"])
def test_a_practitioner_or_another_partnerships_user_gets_not_found(world, client, who):
    review = open_review_with_records(world)
    log_in(client, getattr(world, who))
    meeting = review.meetings.first()
    assert client.get(remove_url("meeting", review, meeting)).status_code == 404
    assert client.post(remove_url("meeting", review, meeting)).status_code == 404
    response = client.delete(reverse("api:rapid-review-meeting", args=[review.pk, meeting.pk]))
    assert response.status_code == 404
    assert RapidReviewMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_record_of_another_rapid_review_is_not_found_under_this_one(world, client):
    from tests.factories import CaseFactory, SeriousIncidentNotificationFactory

    review = open_review_with_records(world)
    case = CaseFactory(partnership=world.partnership, reference="NCC-2026-099")
    SeriousIncidentNotificationFactory(case=case)
    other = services.open_rapid_review(case=case, actor=world.manager)
    log_in(client, world.manager)
    item = review.agency_returns.first()
    assert client.get(remove_url("return", other, item)).status_code == 404
    assert client.post(remove_url("return", other, item)).status_code == 404
    assert AgencyReturn.objects.filter(pk=item.pk).exists()


def test_the_confirm_page_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    review = open_review_with_records(world)
    meeting = review.meetings.get(date=D(2026, 4, 10))
    for i in range(10):
        services.add_attendee(
            review=review, actor=world.manager, meeting=meeting, name=f"Person {i}", role="Lead"
        )
    log_in(client, world.manager)
    # + the in-app notifications banner, the device that verified the session (django-otp)
    with django_assert_max_num_queries(11):
        response = client.get(remove_url("meeting", review, meeting))
    assert "Its 12 attendees" in text(response)
