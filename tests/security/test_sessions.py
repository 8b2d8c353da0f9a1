"""Idle sessions end: after 30 minutes without a request the member is signed out;
a member who keeps working stays signed in."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr.roles import Role
from tests.factories import PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


def at(minutes_from_now):
    moment = timezone.now() + dt.timedelta(minutes=minutes_from_now)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def at_time(minutes_from_now):
    """``time.time()`` as the session middleware reads it, ``minutes_from_now`` on."""
    moment = timezone.now() + dt.timedelta(minutes=minutes_from_now)
    return mock.patch("cspr.middleware.time.time", return_value=moment.timestamp())


def test_the_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_reading_a_page_again_within_a_minute_writes_no_session(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    assert client.get(reverse("home")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]


def test_a_session_idle_for_more_than_thirty_minutes_is_signed_out(client):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    assert client.get(reverse("home")).status_code == 200
    with at(31):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_who_keeps_working_stays_signed_in_past_thirty_minutes(client):
    log_in(client, member(PartnershipFactory(), Role.BUSINESS_MANAGER))
    for minutes in (0, 20, 40, 60, 80):
        with at(minutes), at_time(minutes):
            assert client.get(reverse("home")).status_code == 200, minutes
    with at(80 + 31), at_time(80 + 31):
        assert client.get(reverse("home")).status_code == 302
