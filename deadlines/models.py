"""The deadlines app's own row: a user's secret calendar feed address.

The table keeps the name it had when the model lived in ``notifications``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed address. Resetting it issues a new token and
    the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "notifications_calendarfeed"

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
