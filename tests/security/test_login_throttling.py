"""Login throttling: five wrong passwords for one username from one address lock
that combination out for 30 minutes, with a plain-English page."""

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from tests.factories import PartnershipFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_password(client):
    member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")
    for _ in range(5):
        assert sign_in(client, "morgan", "wrong-password").status_code in (200, 429)
    response = sign_in(client, "morgan", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "You cannot sign in for now" in html
    assert "locked it for 30 minutes" in html
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client):
    member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")
    for _ in range(4):
        sign_in(client, "morgan", "wrong-password")
    response = sign_in(client, "morgan", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_lockout_is_for_the_username_and_address_together(client):
    member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")
    member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="other")
    for _ in range(5):
        sign_in(client, "morgan", "wrong-password", ip="10.0.0.1")
    # The same person from another address, and another person from the same one.
    assert sign_in(client, "morgan", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "other", PASSWORD, ip="10.0.0.1").status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(client):
    import datetime as dt

    from axes.models import AccessAttempt

    member(PartnershipFactory(), Role.BUSINESS_MANAGER, username="morgan")
    for _ in range(5):
        sign_in(client, "morgan", "wrong-password")
    assert sign_in(client, "morgan", PASSWORD).status_code == 429
    # 31 minutes pass.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=31)
        )
    assert sign_in(client, "morgan", PASSWORD).status_code == 302


def test_failed_sign_ins_are_audited_without_the_attempted_username(client):
    for _ in range(6):
        sign_in(client, "someone.secret@example.org", "wrong")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert events.count() >= 5
    for event in events:
        assert "someone" not in (event.subject_label + str(event.detail))
