"""Reads of the messaging app."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cspr.permissions import partnership_ids
from cspr.roles import Role

from .models import UNDELIVERED, DeliveryLog, Message


def messages_of(user) -> QuerySet[Message]:
    """The user's own in-app messages, newest first."""
    return Message.objects.filter(recipient=user).select_related("deadline").order_by("-created_at", "-id")


def undelivered_emails_for(user) -> QuerySet[DeliveryLog]:
    """E-mails that failed (and wait for another attempt) or were abandoned, that this
    user may see and send again: those about a clock of a partnership where they are a
    business manager or partner lead, and their own weekly digests (a digest belongs
    to no clock: it is about every partnership of its recipient, so only the
    recipient, a business manager, is shown theirs)."""
    if not user.is_authenticated:
        return DeliveryLog.objects.none()
    pids = partnership_ids(user, [Role.BUSINESS_MANAGER, Role.PARTNER_LEAD])
    return (
        DeliveryLog.objects.filter(channel=DeliveryLog.Channel.EMAIL, status__in=UNDELIVERED)
        .filter(Q(deadline__partnership_id__in=pids) | Q(deadline__isnull=True, recipient=user))
        .select_related("recipient", "message", "deadline", "deadline__partnership")
        .order_by("-status", "next_attempt_at", "id")
    )


def access_undelivered_email(user, pk: int) -> DeliveryLog:
    """One undelivered e-mail this user may send again, or 404 (also for another
    partnership's: its existence is not revealed)."""
    try:
        return undelivered_emails_for(user).get(pk=pk)
    except DeliveryLog.DoesNotExist:
        raise Http404("No such e-mail waiting to be sent.") from None
