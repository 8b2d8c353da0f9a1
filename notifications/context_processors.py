"""The signed-in user's unread in-app notifications, for the banner on every page.

Lazy: nothing is queried unless the page renders the banner. One query for the
latest few; a second (a count) only when there are more than fit.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

SHOWN = 5


def _unread(user) -> dict:
    from .models import Message

    latest = list(
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .only("id", "kind", "subject", "created_at", "deadline_id")
        .order_by("-created_at", "-id")[: SHOWN + 1]
    )
    total = len(latest)
    if total > SHOWN:
        total = Message.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"messages": latest[:SHOWN], "total": total, "more": total - min(total, SHOWN)}


def in_app_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"in_app_notifications": SimpleLazyObject(lambda: _unread(user))}
