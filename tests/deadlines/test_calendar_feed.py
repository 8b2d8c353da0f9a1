"""The secret per-user iCalendar feed of deadlines, and resetting its address."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from deadlines.models import CalendarFeed
from tests.factories import open_clock

pytestmark = pytest.mark.django_db


def test_the_feed_lists_the_users_open_clocks_and_no_others(client, client_for, team):
    mine = open_clock(team["partnership"], due_date=dt.date(2026, 11, 30))
    theirs = open_clock(team["other"], due_date=dt.date(2026, 11, 30))
    page = client_for(team["manager"]).get(reverse("notifications:calendar")).content.decode()
    feed = CalendarFeed.objects.get(user=team["manager"])
    assert feed.token in page and len(feed.token) >= 40
    client.logout()
    response = client.get(reverse("notifications:calendar-feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"{mine.reference}: Notify the National Panel"]
    assert events[0].decoded("dtstart") == dt.date(2026, 11, 30)
    assert theirs.reference not in response.content.decode()


def test_a_practitioner_feed_holds_only_the_clocks_they_own(client_for, team):
    owned = open_clock(team["partnership"], due_date=dt.date(2026, 11, 30), owner=team["practitioner"])
    open_clock(team["partnership"], due_date=dt.date(2026, 11, 30))
    client_for(team["practitioner"]).get(reverse("notifications:calendar"))
    token = CalendarFeed.objects.get(user=team["practitioner"]).token
    body = (
        client_for(team["practitioner"])
        .get(reverse("notifications:calendar-feed", args=[token]))
        .content.decode()
    )
    assert body.count("BEGIN:VEVENT") == 1 and owned.reference in body


def test_resetting_the_address_makes_the_old_one_404(client_for, team):
    client = client_for(team["manager"])
    client.get(reverse("notifications:calendar"))
    old = CalendarFeed.objects.get(user=team["manager"]).token
    response = client.post(reverse("notifications:calendar-reset"), follow=True)
    new = CalendarFeed.objects.get(user=team["manager"]).token
    assert new != old and new in response.content.decode()
    assert client.get(reverse("notifications:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:calendar-feed", args=[new])).status_code == 200


def test_an_unknown_token_is_404(client):
    assert client.get(reverse("notifications:calendar-feed", args=["not-a-token"])).status_code == 404
