"""The signed-in user's unread in-app notifications, for the banner on every page.

Lazy: nothing is queried unless the page renders the banner; then one query gives
the latest few and, through a window function, how many there are in all.
"""

from __future__ import annotations

from django.db.models import Count, Window
from django.utils.functional import SimpleLazyObject

from .models import Message

SHOWN = 5


def _unread(user) -> dict:
    latest = list(
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .only("id", "kind", "subject", "created_at", "deadline_id")
        .annotate(unread=Window(Count("id")))
        .order_by("-created_at", "-id")[:SHOWN]
    )
    total = latest[0].unread if latest else 0
    return {"messages": latest, "total": total, "more": total - len(latest)}


def in_app_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"in_app_notifications": SimpleLazyObject(lambda: _unread(user))}
