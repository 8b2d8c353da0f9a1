"""How many in-app notifications the signed-in user has not read, for the link to
their inbox in the header of every page ("Notifications (3)").

Lazy: nothing is queried unless the page renders the link; then one query counts
them.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .models import Message


def _unread(user) -> dict:
    return {"total": Message.objects.filter(recipient=user, read_at__isnull=True).count()}


def in_app_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"in_app_notifications": SimpleLazyObject(lambda: _unread(user))}
