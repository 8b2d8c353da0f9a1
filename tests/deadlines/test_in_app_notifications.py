"""In-app notifications: counted in every page's header until read; e-mail preferences."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deadlines.services import sweep_deadlines
from messaging.models import EmailPreference, Message
from tests.factories import open_clock

from .conftest import DUE

pytestmark = pytest.mark.django_db


HEADER_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="/messages/"[^>]*>(.*?)</a>', re.S)


def header_link(html: str) -> str:
    return HEADER_LINK.search(html).group(1)


def test_the_header_counts_unread_notifications_on_every_page_until_they_are_read(client_for, team):
    open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    message = Message.objects.get()
    client = client_for(team["manager"])
    for url in (reverse("home"), reverse("notifications:preferences"), reverse("password_change")):
        html = client.get(url).content.decode()
        assert header_link(html) == 'Notifications (1<span class="govuk-visually-hidden"> unread</span>)'
        # No panel of notifications above the page's heading any more.
        assert message.subject not in html and "govuk-notification-banner" not in html
    assert message.subject in client.get(reverse("notifications:message-list")).content.decode()
    response = client.post(reverse("notifications:message-read", args=[message.pk]), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert header_link(client.get(reverse("home")).content.decode()) == "Notifications"  # no "(0)"


def reminded(client_for, team, clocks: int):
    """The business manager's client, after ``clocks`` reminders."""
    for _ in range(clocks):
        open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    return client_for(team["manager"])


def test_the_count_in_the_header_costs_one_query(client_for, team):
    client = reminded(client_for, team, 8)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert header_link(html) == 'Notifications (8<span class="govuk-visually-hidden"> unread</span>)'
    Message.objects.filter(recipient=team["manager"]).update(read_at=timezone.now())
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("notifications:preferences"))
    Message.objects.filter(recipient=team["manager"]).update(read_at=None)
    with CaptureQueriesContext(connection) as with_unread:
        html = client.get(reverse("notifications:preferences")).content.decode()
    assert "(8" in header_link(html)
    assert len(with_unread) == len(without)  # one count query, whatever the count
    counts = [q["sql"] for q in with_unread.captured_queries if "notifications_message" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0]


def test_the_inbox_marks_all_as_read(client_for, team):
    client = reminded(client_for, team, 3)
    html = client.get(reverse("notifications:message-list")).content.decode()
    assert "You have 3 unread notifications." in html and "Mark all as read" in html
    client.post(reverse("notifications:message-read-all"))
    html = client.get(reverse("notifications:message-list")).content.decode()
    assert "Mark all as read" not in html and header_link(html).startswith("Notifications")
    assert "(" not in header_link(html)


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
