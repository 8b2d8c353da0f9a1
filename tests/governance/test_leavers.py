"""People who leave: deactivation ends sessions, tokens, grants and memberships at
once, audited; the access review shows who has access and flags idle accounts."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm
from knox.models import AuthToken

from cspr.models import AuditEvent, Membership
from cspr.roles import Role
from governance import services
from tests.factories import CaseFactory, api_authorization, log_in, member

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_a_deactivated_users_session_and_token_stop_working_at_once(north, manager, practitioner):
    session = signed_in(practitioner)
    assert session.get(reverse("cases:referral-list")).status_code == 200
    api = Client(HTTP_AUTHORIZATION=api_authorization(practitioner))
    assert api.get("/api/v1/referrals/").status_code == 200

    page = reverse("governance:deactivate-user", args=[north.pk, practitioner.pk])
    response = signed_in(manager).post(page)
    assert response.status_code == 302

    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert not Membership.objects.filter(user=practitioner).exists()
    assert not AuthToken.objects.filter(user=practitioner).exists()
    refused = session.get(reverse("cases:referral-list"))
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/referrals/").status_code in {401, 403}
    event = AuditEvent.objects.get(action="permission", subject_id=practitioner.pk, actor=manager)
    assert event.detail["deactivated"]["tokens"] == 1
    assert event.detail["deactivated"]["sessions"] >= 1


def test_grants_on_the_partnerships_cases_end_too(north, manager):
    reviewer = member(north, Role.LEAD_REVIEWER, username="robin")
    case = CaseFactory(partnership=north)
    assign_perm("cases.view_case", reviewer, case)
    assert reviewer.has_perm("cases.view_case", case)
    counts = services.deactivate_user(actor=manager, user=reviewer, partnership=north)
    assert counts["grants"] == 1 and counts["deactivated"]
    reviewer = get_user_model().objects.get(pk=reviewer.pk)
    assert not reviewer.has_perm("cases.view_case", case)


def test_someone_in_another_partnership_keeps_that_access(north, manager, outsider):
    both = member(north, Role.PRACTITIONER, username="both")
    Membership.objects.create(
        user=both, partnership=outsider.memberships.get().partnership, role=Role.PRACTITIONER
    )
    counts = services.deactivate_user(actor=manager, user=both, partnership=north)
    both.refresh_from_db()
    assert both.is_active and not counts["deactivated"]
    assert list(both.memberships.values_list("partnership__code", flat=True)) == ["SBC"]


def test_another_partnerships_manager_can_neither_see_nor_deactivate(north, practitioner, outsider):
    client = signed_in(outsider)
    assert client.get(reverse("governance:access-review", args=[north.pk])).status_code == 404
    page = reverse("governance:deactivate-user", args=[north.pk, practitioner.pk])
    assert client.get(page).status_code == 404
    assert client.post(page).status_code == 404
    # Nor through their own partnership's address.
    own = outsider.memberships.get().partnership
    page = reverse("governance:deactivate-user", args=[own.pk, practitioner.pk])
    assert client.post(page).status_code == 404
    practitioner.refresh_from_db()
    assert practitioner.is_active and practitioner.memberships.exists()


def test_a_practitioner_cannot_review_access(north, practitioner, manager):
    client = signed_in(practitioner)
    assert client.get(reverse("governance:access-review", args=[north.pk])).status_code == 404
    page = reverse("governance:deactivate-user", args=[north.pk, manager.pk])
    assert client.post(page).status_code == 404
    manager.refresh_from_db()
    assert manager.is_active


def test_the_access_review_flags_idle_accounts(north, manager, practitioner, settings):
    settings.ACCESS_REVIEW_IDLE_DAYS = 90
    practitioner.last_login = timezone.now() - dt.timedelta(days=91)
    practitioner.save()
    manager.last_login = timezone.now()
    manager.save()
    reviewer = member(north, Role.LEAD_REVIEWER, username="robin")
    reviewer.last_login = timezone.now() - dt.timedelta(days=10)
    reviewer.save()
    granted = member(north, Role.PANEL_LIAISON, username="lee")
    case = CaseFactory(partnership=north)
    assign_perm("cases.view_case", granted, case)

    response = signed_in(manager).get(reverse("governance:access-review", args=[north.pk]))
    assert response.status_code == 200
    rows = {row.user.username: row for row in response.context["rows"]}
    assert rows["pat"].idle and not rows["morgan"].idle and not rows["robin"].idle
    assert rows["morgan"].roles == ["Business manager"]
    assert any(case.reference in grant for grant in rows["lee"].grants)
    page = response.content.decode()
    assert "Idle" in page and case.reference in page


def test_a_manager_cannot_deactivate_themselves(north, manager):
    page = reverse("governance:deactivate-user", args=[north.pk, manager.pk])
    response = signed_in(manager).post(page)
    assert response.status_code == 200 and "cannot deactivate your own" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def test_the_admin_action_deactivates_the_whole_account(north, practitioner):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-12345678")
    api_authorization(practitioner)
    client = signed_in(admin)
    response = client.post(
        "/admin/auth/user/",
        {
            "action": "deactivate_users",
            "_selected_action": [practitioner.pk],
        },
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert not AuthToken.objects.filter(user=practitioner).exists()
    assert not practitioner.memberships.exists()
