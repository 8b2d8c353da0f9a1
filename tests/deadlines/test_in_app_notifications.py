"""In-app notifications: shown on every page until read; e-mail preferences."""

import datetime as dt

import pytest
from django.urls import reverse

from deadlines.services import sweep_deadlines
from messaging.models import EmailPreference, Message
from tests.factories import open_clock

from .conftest import DUE

pytestmark = pytest.mark.django_db


def test_unread_notifications_show_on_every_page_until_marked_read(client_for, team):
    open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    message = Message.objects.get()
    client = client_for(team["manager"])
    for url in (reverse("home"), reverse("notifications:preferences"), reverse("password_change")):
        assert message.subject in client.get(url).content.decode()
    response = client.post(reverse("notifications:message-read", args=[message.pk]), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "unread notification" not in client.get(reverse("home")).content.decode()


def test_the_banner_costs_at_most_two_queries(client_for, team, django_assert_max_num_queries):
    for _ in range(8):
        open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    client = client_for(team["manager"])
    client.get(reverse("home"))
    with django_assert_max_num_queries(6 + 2):  # the home page alone runs up to 6
        html = client.get(reverse("home")).content.decode()
    assert "8 unread notifications" in html and "And 3 more." in html


def test_mark_all_as_read_and_no_one_can_mark_someone_elses(client_for, team):
    open_clock(team["partnership"], due_date=DUE)
    open_clock(team["other"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    theirs = Message.objects.get(recipient=team["outsider"])
    client = client_for(team["manager"])
    assert client.post(reverse("notifications:message-read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:message-read-all"))
    assert not Message.objects.filter(recipient=team["manager"], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_preferences_page_saves_choices_and_says_escalations_cannot_be_turned_off(
    client_for, team, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(team["manager"])
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "cannot be turned off" in html
    client.post(reverse("notifications:preferences"), {"late_reminders": "on", "due_day_reminders": "on"})
    preference = EmailPreference.objects.get(user=team["manager"])
    assert not preference.early_reminders and preference.late_reminders
    open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=dt.date(2026, 11, 23))  # 5-day reminder: not by e-mail
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(today=dt.date(2026, 11, 26))  # 2-day reminder: by e-mail
    assert len(mailoutbox) == 1
    assert Message.objects.filter(recipient=team["manager"]).count() == 2
