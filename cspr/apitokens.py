"""API tokens (django-rest-knox): issued on the "API tokens" page from a session that
passed two-factor sign-in, shown once, stored only as a hash (SHA-512; knox keeps the
first characters to find it), expiring after ``API_TOKEN_TTL_DAYS`` (90 by default),
listed and revocable by their owner, and by a business manager of a partnership the
owner belongs to. Each issue and revocation is in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from . import audit
from .models import Membership, Partnership
from .permissions import access_partnership, partnership_ids, partnership_ids_for, require

#: How many characters of a token the pages show, to tell tokens apart (knox stores the
#: first 15 to find a token; the rest, 49 hexadecimal digits, is kept only as a hash).
SHOWN_PREFIX = 8


def shown_prefix(token: AuthToken) -> str:
    return token.token_key[:SHOWN_PREFIX]


def _passed_two_factor(user) -> bool:
    """django-otp's ``is_verified()`` on the request's user (OTPMiddleware installs it);
    a user loaded any other way has not passed the second step in this request."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _record(*, actor, owner, action: str, token: AuthToken, partnership: Partnership | None = None):
    """One audit row per partnership whose trail should show it: the one a business
    manager acted in, or else every partnership the owner belongs to (none: no partnership)."""
    detail = {
        "api_token": action,
        "owner_id": owner.pk,
        "starts_with": shown_prefix(token),
        "expires": token.expiry.isoformat() if token.expiry else None,
    }
    label = f"API token {action}"
    where = (
        [partnership]
        if partnership is not None
        else list(Partnership.objects.filter(pk__in=partnership_ids(owner))) or [None]
    )
    for each in where:
        audit.record(
            actor=actor, action=audit.Action.PERMISSION, partnership=each, label=label, detail=detail
        )


# --- services -------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(*, actor) -> tuple[AuthToken, str]:
    """A new token for ``actor``, who must have entered a one-time code in this session.
    Returns the stored row and the token itself, which is never stored nor shown again."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("Sign in to issue an API token.")
    if not _passed_two_factor(actor):
        raise PermissionDenied("Sign in with a code from your authenticator app to issue an API token.")
    token, secret = AuthToken.objects.create(user=actor)
    _record(actor=actor, owner=actor, action="issued", token=token)
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor, token: AuthToken, partnership: Partnership | None = None) -> None:
    """End ``token`` at once. Its owner may; so may a business manager of ``partnership``
    when the owner is a member of it."""
    owner = token.user
    if partnership is None:
        if owner.pk != actor.pk:
            raise PermissionDenied("You can revoke only your own API tokens here.")
    else:
        require(actor, "manage_member_api_tokens", partnership.pk)
        if not Membership.objects.filter(user=owner, partnership=partnership).exists():
            raise Http404("No such API token.")
    _record(actor=actor, owner=owner, action="revoked", token=token, partnership=partnership)
    AuthToken.objects.filter(digest=token.digest).delete()


# --- selectors --------------------------------------------------------------------------


def own_tokens(user) -> QuerySet[AuthToken]:
    return AuthToken.objects.filter(user=user).order_by("-created")


def member_tokens(partnership: Partnership) -> QuerySet[AuthToken]:
    members = Membership.objects.filter(partnership=partnership).values("user_id")
    return (
        AuthToken.objects.filter(user_id__in=members)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "-created")
    )


def access_token(user, digest: str, *, partnership: Partnership | None = None) -> AuthToken:
    """A token the user may revoke: their own, or (``partnership``) a member's of a
    partnership where they manage tokens; 404 otherwise."""
    tokens = member_tokens(partnership) if partnership is not None else own_tokens(user)
    try:
        return tokens.select_related("user").get(digest=str(digest)[:128])
    except AuthToken.DoesNotExist:
        raise Http404("No such API token.") from None


def access_token_partnership(user, partnership_pk) -> Partnership:
    partnership = access_partnership(user, partnership_pk)
    require(user, "manage_member_api_tokens", partnership.pk)
    return partnership


# --- pages ------------------------------------------------------------------------------


def _rows(tokens) -> list[dict]:
    now = timezone.now()
    return [
        {
            "token": token,
            "starts_with": shown_prefix(token),
            "expired": token.expiry is not None and token.expiry <= now,
        }
        for token in tokens
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """Your API tokens; the button issues a new one, shown on this page once."""
    new_secret = None
    if request.method == "POST":
        token, new_secret = issue_api_token(actor=request.user)
    return render(
        request,
        "cspr/api_tokens.html",
        {
            "rows": _rows(own_tokens(request.user)),
            "new_secret": new_secret,
            "can_issue": _passed_two_factor(request.user),
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
            "managed": Partnership.objects.filter(
                pk__in=partnership_ids_for(request.user, "manage_member_api_tokens")
            ),
        },
    )


@login_required
@require_POST
def token_revoke(request):
    token = access_token(request.user, request.POST.get("token", ""))
    revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"API token starting {shown_prefix(token)} revoked: it no longer works")
    return redirect("api-tokens")


@never_cache
@login_required
def member_token_list(request, partnership_pk):
    """A business manager's list of the API tokens of the partnership's members."""
    partnership = access_token_partnership(request.user, partnership_pk)
    return render(
        request,
        "cspr/api_tokens_members.html",
        {"partnership": partnership, "rows": _rows(member_tokens(partnership))},
    )


@login_required
@require_POST
def member_token_revoke(request, partnership_pk):
    partnership = access_token_partnership(request.user, partnership_pk)
    token = access_token(request.user, request.POST.get("token", ""), partnership=partnership)
    revoke_api_token(actor=request.user, token=token, partnership=partnership)
    messages.success(request, f"API token starting {shown_prefix(token)} revoked: it no longer works")
    return redirect(reverse("api-tokens-members", args=[partnership.pk]))
