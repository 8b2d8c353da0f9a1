"""Kernel middleware: the audit actor of a request, one transaction per API write,
no caching of what a signed-in user sees, and two-factor sign-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from rest_framework.views import APIView

from . import audit
from .twofactor import ENTER_CODE, owed_step


class AuditActorMiddleware:
    """Makes the signed-in user the actor of audit events written by signals
    (for example a membership changed in the admin) during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_current_actor(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            audit.reset_current_actor(token)


#: Paths a signed-in user who still owes a one-time code may reach: the two-factor
#: pages themselves, signing out, and files (a URL prefix each).
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/health/")


def is_api_view(view_func) -> bool:
    """A Django REST framework view: its own authentication refuses a session that owes a
    code (``cspr.apiauth.TwoFactorSessionAuthentication``) with an API error, and a
    request with a token never had a session to refuse."""
    cls = getattr(view_func, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


class TwoFactorMiddleware:
    """A signed-in user who owes a code (``cspr.twofactor.owed_step``: they have an
    authenticator app and this session has not entered its code, or they need one and
    have none) reaches nothing but the two-factor pages: every other page sends them to
    enter a code or to set up an app, and comes back after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES) or is_api_view(view_func):
            return None
        step = owed_step(request)
        if step is None:
            return None
        target = reverse("two-factor-verify" if step == ENTER_CODE else "two-factor-setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


API_PREFIX = "/api/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AtomicAPIWritesMiddleware:
    """Every write through the API is one transaction: an API view may call several
    services (each atomic on its own), and a response of 400 or more rolls back all
    they did, so an error saves nothing. Reads and pages are untouched (each page
    calls one service)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in UNSAFE_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user sees, no API response and no export is kept by a
    browser or a proxy: ``Cache-Control: private, no-store`` unless the view set its
    own. Public pages seen without a session may be cached, and vary on the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith(API_PREFIX):
            if "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-store"
        else:
            patch_vary_headers(response, ["Cookie"])
        return response
