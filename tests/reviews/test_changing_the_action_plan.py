"""A recommendation or an action recorded wrongly can be changed (its text, owner,
due date) or removed, until it is done: every change audited with the old and new
values, the action's clock moved or waived with it, through the page and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from reviews import services
from reviews.models import Action, Recommendation
from tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    api_authorization,
    commissioned_review,
    log_in,
    member,
)

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + dt.timedelta(days=60)


@pytest.fixture
def plan(db):
    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership, name="Health")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    owner = member(partnership, Role.PRACTITIONER)
    review = commissioned_review(partnership, manager)
    rec = services.add_recommendation(
        review=review, actor=manager, text="Train the front door", target_date=dt.date(2027, 3, 1)
    )
    action = services.add_action(
        recommendation=rec, actor=manager, description="Run two sessions", owner_role="Trainer", due_date=DUE
    )
    return {"partnership": partnership, "agency": agency, "manager": manager, "owner": owner, "rec": rec,
            "action": action}  # fmt: skip


def text(response) -> str:
    return response.content.decode()


def clock(action) -> Deadline:
    return Deadline.objects.get(rule="action_due", subject_id=action.pk)


def api(client, user, method, url, body=None):
    return getattr(client, method)(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=api_authorization(user)
    )


def complete(action, actor):
    return services.update_action(action=action, actor=actor, status="complete")


def test_changing_an_action_on_its_page_shows_it_moves_its_clock_and_is_audited(client, plan):
    action, manager, owner, agency = plan["action"], plan["manager"], plan["owner"], plan["agency"]
    log_in(client, manager)
    page = text(client.get(reverse("reviews:action-detail", args=[action.pk])))
    change_url = reverse("reviews:action-change", args=[action.pk])
    assert change_url in page and reverse("reviews:action-remove", args=[action.pk]) in page

    later = DUE + dt.timedelta(days=14)
    response = client.post(
        change_url,
        {
            "description": "Run three sessions",
            "owner_user": owner.pk,
            "owner_agency": agency.pk,
            "due_date-day": later.day,
            "due_date-month": later.month,
            "due_date-year": later.year,
        },
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Run three sessions" in page and "Health" in page and "The action has been changed" in page
    assert (clock(action).due_date, clock(action).owner, clock(action).agency) == (later, owner, agency)
    event = AuditEvent.objects.filter(action="change", subject_id=action.pk).latest("id")
    assert event.detail["changes"]["description"] == ["Run two sessions", "Run three sessions"]
    assert event.detail["changes"]["due_date"] == [DUE.isoformat(), later.isoformat()]
    assert event.detail["changes"]["owner_user"] == [None, owner.pk]
    assert event.detail["changes"]["owner_role"] == ["Trainer", ""]


def test_a_bad_change_comes_back_on_the_form_with_nothing_saved(client, plan):
    action, manager = plan["action"], plan["manager"]
    outsider_agency = AgencyFactory(partnership=PartnershipFactory())
    log_in(client, manager)
    url = reverse("reviews:action-change", args=[action.pk])
    no_owner = client.post(url, {"description": "Changed", "due_date": DUE.isoformat()})
    assert no_owner.status_code == 200 and "Say who owns the action" in text(no_owner)
    no_date = client.post(url, {"description": "Changed", "owner_role": "Trainer"})
    assert "Enter the due date" in text(no_date)
    # Another partnership's agency is not a choice of the form, nor of the service.
    other = client.post(
        url, {"description": "Changed", "owner_agency": outsider_agency.pk, "due_date": DUE.isoformat()}
    )
    assert other.status_code == 200 and "govuk-error-summary" in text(other)
    with pytest.raises(services.ValidationError):
        services.change_action(action=action, actor=manager, owner_agency=outsider_agency)
    with pytest.raises(services.ValidationError):
        services.change_action(action=action, actor=manager, status="complete")
    action.refresh_from_db()
    assert (action.description, action.due_date, action.status) == ("Run two sessions", DUE, "not_started")
    assert not AuditEvent.objects.filter(action="change", subject_id=action.pk).exists()


def test_changing_a_recommendation_on_its_page_is_shown_and_audited(client, plan):
    rec, manager, agency = plan["rec"], plan["manager"], plan["agency"]
    log_in(client, manager)
    page = text(client.get(reverse("reviews:recommendation-detail", args=[rec.pk])))
    url = reverse("reviews:recommendation-change", args=[rec.pk])
    assert url in page and reverse("reviews:recommendation-remove", args=[rec.pk]) in page
    assert "Train the front door" in text(client.get(url))
    response = client.post(
        url, {"text": "Train every front door", "agencies": [agency.pk], "target_date": "2027-06-30"}
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Train every front door" in page and "30 June 2027" in page and "Health" in page
    event = AuditEvent.objects.get(action="change", subject_id=rec.pk, subject_type__model="recommendation")
    assert event.detail["changes"] == {
        "text": ["Train the front door", "Train every front door"],
        "target_date": ["2027-03-01", "2027-06-30"],
        "agencies": [[], [agency.pk]],
    }
    # The same change again changes nothing and writes nothing.
    client.post(url, {"text": "Train every front door", "agencies": [agency.pk], "target_date": "2027-06-30"})
    assert AuditEvent.objects.filter(action="change", subject_id=rec.pk).count() == 1


def test_removing_an_action_goes_through_a_confirm_page_waives_its_clock_and_is_audited(client, plan):
    action, rec, manager = plan["action"], plan["rec"], plan["manager"]
    services.add_action_update(action=action, actor=manager, note="First session booked")
    log_in(client, manager)
    url = reverse("reviews:action-remove", args=[action.pk])
    confirm = text(client.get(url))
    assert "Remove action" in confirm and "Run two sessions" in confirm
    response = client.post(url)
    assert response["Location"] == reverse("reviews:recommendation-detail", args=[rec.pk])
    page = text(client.get(response["Location"]))
    assert "Run two sessions" not in page and "No actions yet" in page
    assert not Action.objects.filter(pk=action.pk).exists()
    assert clock(action).status == Deadline.Status.WAIVED
    event = AuditEvent.objects.get(action="delete", subject_id=action.pk, subject_type__model="action")
    assert event.detail["description"] == "Run two sessions"
    assert client.get(reverse("reviews:action-detail", args=[action.pk])).status_code == 404
    assert client.post(url).status_code == 404


def test_removing_a_recommendation_removes_its_actions_and_waives_their_clocks(client, plan):
    rec, action, manager = plan["rec"], plan["action"], plan["manager"]
    log_in(client, manager)
    url = reverse("reviews:recommendation-remove", args=[rec.pk])
    assert "Its 1 action will be removed too" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Train the front door" not in page and "No recommendations yet" in page
    assert not Recommendation.objects.filter(pk=rec.pk).exists()
    assert clock(action).status == Deadline.Status.WAIVED
    event = AuditEvent.objects.get(action="delete", subject_type__model="recommendation")
    assert event.detail["actions_removed"] == [action.pk]


def test_a_completed_action_cannot_be_changed_or_removed_until_reopened(client, plan):
    action, rec, manager = plan["action"], plan["rec"], plan["manager"]
    complete(action, manager)
    log_in(client, manager)
    page = text(client.get(reverse("reviews:action-detail", args=[action.pk])))
    assert reverse("reviews:action-change", args=[action.pk]) not in page
    assert reverse("reviews:action-remove", args=[action.pk]) not in page
    refused = client.post(
        reverse("reviews:action-change", args=[action.pk]),
        {"description": "Rewritten", "owner_role": "Trainer", "due_date": DUE.isoformat()},
    )
    assert refused.status_code == 200 and "This action was completed" in text(refused)
    removal = client.get(reverse("reviews:action-remove", args=[action.pk]))
    assert "This action was completed" in text(removal) and "govuk-button--warning" not in text(removal)
    assert "This action was completed" in text(
        client.post(reverse("reviews:action-remove", args=[action.pk]))
    )
    # A recommendation whose actions are all completed is final too.
    rec_page = text(client.get(reverse("reviews:recommendation-detail", args=[rec.pk])))
    assert reverse("reviews:recommendation-change", args=[rec.pk]) not in rec_page
    assert reverse("reviews:recommendation-remove", args=[rec.pk]) not in rec_page
    refused = client.post(
        reverse("reviews:recommendation-change", args=[rec.pk]), {"text": "New", "target_date": "2027-01-01"}
    )
    assert "are completed, so it cannot be changed" in text(refused)
    client.post(reverse("reviews:recommendation-remove", args=[rec.pk]))

    headers = {"HTTP_AUTHORIZATION": api_authorization(manager)}
    patch = client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"description": "Rewritten"},
        content_type="application/json",
        **headers,
    )
    assert patch.status_code == 409 and "This action was completed" in patch.content.decode()
    assert client.delete(f"/api/v1/actions/{action.pk}/", **headers).status_code == 409
    assert client.delete(f"/api/v1/recommendations/{rec.pk}/", **headers).status_code == 409
    action.refresh_from_db()
    assert action.description == "Run two sessions" and Recommendation.objects.filter(pk=rec.pk).exists()
    assert clock(action).status == Deadline.Status.MET

    # Reopened, it can be changed again.
    services.update_action(action=action, actor=manager, status="on_track")
    services.change_action(action=action, actor=manager, description="Rewritten")
    action.refresh_from_db()
    assert action.description == "Rewritten"


def test_a_recommendation_with_a_completed_action_can_be_changed_but_not_removed(plan):
    rec, action, manager = plan["rec"], plan["action"], plan["manager"]
    services.add_action(recommendation=rec, actor=manager, description="Second", owner_role="X", due_date=DUE)
    complete(action, manager)
    services.change_recommendation(recommendation=rec, actor=manager, text="Still open")
    with pytest.raises(services.ValidationError, match="has completed actions"):
        services.remove_recommendation(recommendation=rec, actor=manager)
    assert Action.objects.filter(recommendation=rec).count() == 2


def test_the_api_changes_and_removes_recommendations_and_actions(client, plan):
    rec, action, manager, owner = plan["rec"], plan["action"], plan["manager"], plan["owner"]
    later = DUE + dt.timedelta(days=7)
    response = api(
        client,
        manager,
        "patch",
        f"/api/v1/actions/{action.pk}/",
        {"description": "By API", "owner_user": owner.pk, "due_date": later.isoformat()},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["description"], response.json()["due_date"]) == ("By API", later.isoformat())
    assert clock(action).due_date == later
    event = AuditEvent.objects.filter(action="change", subject_id=action.pk).latest("id")
    assert event.detail["changes"]["due_date"] == [DUE.isoformat(), later.isoformat()]

    bad = api(client, manager, "patch", f"/api/v1/recommendations/{rec.pk}/", {"text": "   "})
    assert bad.status_code == 409 and "Enter the recommendation" in bad.content.decode()
    response = api(
        client, manager, "patch", f"/api/v1/recommendations/{rec.pk}/", {"target_date": "2027-09-01"}
    )
    assert response.status_code == 200 and response.json()["target_date"] == "2027-09-01"
    assert response.json()["text"] == "Train the front door"

    assert api(client, manager, "delete", f"/api/v1/actions/{action.pk}/").status_code == 204
    assert api(client, manager, "get", f"/api/v1/actions/{action.pk}/").status_code == 404
    assert api(client, manager, "get", f"/api/v1/recommendations/{rec.pk}/").json()["actions"] == []
    assert api(client, manager, "delete", f"/api/v1/recommendations/{rec.pk}/").status_code == 204
    assert api(client, manager, "get", f"/api/v1/recommendations/{rec.pk}/").status_code == 404
    assert api(client, manager, "delete", f"/api/v1/recommendations/{rec.pk}/").status_code == 404


def test_another_partnerships_agency_in_a_body_is_refused(client, plan):
    rec, manager = plan["rec"], plan["manager"]
    elsewhere = AgencyFactory(partnership=PartnershipFactory())
    response = api(
        client, manager, "patch", f"/api/v1/recommendations/{rec.pk}/", {"agencies": [elsewhere.pk]}
    )
    assert response.status_code == 409
    assert list(Recommendation.objects.get(pk=rec.pk).agencies.all()) == []


@pytest.mark.parametrize("who", ["practitioner", "outsider"])
def test_a_practitioner_or_another_partnerships_user_gets_not_found(client, plan, who):
    rec, action = plan["rec"], plan["action"]
    user = (
        member(plan["partnership"], Role.PRACTITIONER)
        if who == "practitioner"
        else member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    )
    log_in(client, user)
    for name, pk in (
        ("recommendation-change", rec.pk),
        ("recommendation-remove", rec.pk),
        ("action-change", action.pk),
        ("action-remove", action.pk),
    ):
        assert client.get(reverse(f"reviews:{name}", args=[pk])).status_code == 404, name
        assert client.post(reverse(f"reviews:{name}", args=[pk]), {"text": "X"}).status_code == 404, name
    for url in (f"/api/v1/recommendations/{rec.pk}/", f"/api/v1/actions/{action.pk}/"):
        assert api(client, user, "patch", url, {"text": "X", "description": "X"}).status_code == 404
        assert api(client, user, "delete", url).status_code == 404
    assert Recommendation.objects.get(pk=rec.pk).text == "Train the front door"
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_review_team_member_sees_no_change_links_and_is_refused(client, plan):
    rec, action, manager, agency = plan["rec"], plan["action"], plan["manager"], plan["agency"]
    officer = member(plan["partnership"], Role.REVIEW_TEAM_MEMBER, agency=agency)
    services.add_team_member(review=rec.review, actor=manager, user=officer, agency=agency)
    log_in(client, officer)
    page = text(client.get(reverse("reviews:recommendation-detail", args=[rec.pk])))
    assert "Train the front door" in page and "/change/" not in page and "/remove/" not in page
    assert "/change/" not in text(client.get(reverse("reviews:action-detail", args=[action.pk])))
    assert client.post(reverse("reviews:action-remove", args=[action.pk])).status_code == 403
    assert api(client, officer, "delete", f"/api/v1/actions/{action.pk}/").status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_the_pages_run_a_bounded_number_of_queries(client, plan, django_assert_max_num_queries):
    rec, manager, agency = plan["rec"], plan["manager"], plan["agency"]
    for i in range(6):
        services.add_action(
            recommendation=rec, actor=manager, description=f"A{i}", owner_agency=agency, due_date=DUE
        )
    complete(Action.objects.filter(recommendation=rec).last(), manager)
    log_in(client, manager)
    action = plan["action"]
    for url, limit in (
        (reverse("reviews:recommendation-detail", args=[rec.pk]), 13),
        (reverse("reviews:recommendation-change", args=[rec.pk]), 14),
        (reverse("reviews:recommendation-remove", args=[rec.pk]), 12),
        (reverse("reviews:action-change", args=[action.pk]), 13),
        (reverse("reviews:action-remove", args=[action.pk]), 12),
    ):
        with django_assert_max_num_queries(limit, info=url):
            assert client.get(url).status_code == 200, url
