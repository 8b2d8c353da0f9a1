"""Reads of the messaging app."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Message


def messages_of(user) -> QuerySet[Message]:
    """The user's own in-app messages, newest first."""
    return Message.objects.filter(recipient=user).select_related("deadline").order_by(
        "-created_at", "-id"
    )
