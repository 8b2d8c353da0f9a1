"""The iCalendar feed of a user's deadlines (RFC 5545, with the ``icalendar`` library).

One all-day event per open clock on its due date. Events carry the case reference
and the rule, never personal data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def calendar_feed(deadlines) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//CSPR case manager//Statutory deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Safeguarding review deadlines")
    calendar.add("x-wr-timezone", "Europe/London")
    stamp = timezone.now()
    for deadline in deadlines:
        rule = deadline.rule_definition
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@cspr-case-manager")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + dt.timedelta(days=1))
        prefix = "MISSED: " if deadline.status == deadline.Status.MISSED else ""
        event.add("summary", f"{prefix}{deadline.reference}: {rule.title}")
        event.add(
            "description",
            f"{rule.title} for {deadline.reference} ({deadline.partnership.name}).\n"
            f"The clock: {rule.describe(deadline.partnership)}.\nSource: {rule.source}.",
        )
        event.add("url", f"{settings.SITE_URL.rstrip('/')}/deadlines/")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
