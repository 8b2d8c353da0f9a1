"""The action plan's clocks: each action opens an action_due deadline; completing
meets it, moving the due date moves it; overdue is derived."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr.models import Deadline
from cspr.roles import Role
from reviews import services
from tests.factories import PartnershipFactory, commissioned_review, log_in, member

pytestmark = pytest.mark.django_db


def test_actions_carry_their_deadline_through_changes_and_completion(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    owner = member(partnership, Role.PRACTITIONER)
    review = commissioned_review(partnership, manager)
    rec = services.add_recommendation(review=review, actor=manager, text="R", target_date=dt.date(2027, 1, 1))
    due = timezone.localdate() + dt.timedelta(days=30)
    action = services.add_action(
        recommendation=rec, actor=manager, description="A", owner_user=owner, due_date=due
    )
    deadline = Deadline.objects.get(rule="action_due", subject_id=action.pk)
    assert (deadline.due_date, deadline.stage, deadline.owner) == (due, "action_plan", owner)
    assert action.current_status == "not_started"

    later = due + dt.timedelta(days=10)
    log_in(client, manager)
    response = client.post(
        reverse("reviews:action-change", args=[action.pk]),
        {"description": "A", "owner_user": owner.pk, "due_date": later.isoformat()},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == later
    response = client.post(reverse("reviews:action-detail", args=[action.pk]), {"status": "at_risk"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_date) == ("at_risk", later)

    past = services.update_action(action=action, actor=manager, due_date=dt.date(2026, 1, 5))
    assert past.current_status == "overdue"
    done = services.update_action(action=past, actor=manager, status="complete")
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == ("met", timezone.localdate())
    assert done.current_status == "complete"
    services.add_action_update(action=done, actor=manager, note="Evidence gathered")
    assert (
        "Evidence gathered" in client.get(reverse("reviews:action-detail", args=[action.pk])).content.decode()
    )


def test_an_action_without_any_owner_is_refused(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)
    rec = services.add_recommendation(review=review, actor=manager, text="R", target_date=dt.date(2027, 1, 1))
    log_in(client, manager)
    response = client.post(
        reverse("reviews:action-add", args=[rec.pk]), {"description": "A", "due_date": "2027-01-01"}
    )
    assert "Say who owns the action" in response.content.decode()
    assert not rec.actions.exists()
