"""Kernel middleware: the audit actor of a request, one transaction per API write,
no caching of what a signed-in user sees, and two-factor sign-in."""

from __future__ import annotations

import json
from http import HTTPStatus
from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from . import audit
from .twofactor import has_confirmed_device, two_factor_required


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


class TwoFactorMiddleware:
    """A member who has set up an authenticator app, or whose partnership requires
    one, reaches nothing but the two-factor pages until this session has entered a
    code. A member of such a partnership with no app yet is sent to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
        ):
            if has_confirmed_device(request):
                target = reverse("two-factor-verify")
            elif two_factor_required(user):
                target = reverse("two-factor-setup")
            else:
                return self.get_response(request)
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


API_PREFIX = "/api/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: What an error answered before (or outside) the API's own views says, by status.
ERROR_DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found: no such address in the API.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    500: "A server error occurred. It has been logged; please try again later.",
}


def _is_json(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _phrase(code: int) -> str:
    try:
        return f"{HTTPStatus(code).phrase}."
    except ValueError:
        return "The request failed."


class JSONErrorsUnderAPIMiddleware:
    """Every error response under /api/ is JSON, ``{"detail": "..."}`` with its status:
    the API's views already answer so; this covers what Django answers itself (an
    unknown address, a server error, a bad request refused before any view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or getattr(response, "streaming", False)
            or _is_json(response)
        ):
            return response
        code = response.status_code
        detail = ERROR_DETAILS.get(code) or _phrase(code)
        # The same response (its other headers kept: Allow, WWW-Authenticate, the
        # CSP...), its body now JSON.
        response.content = json.dumps({"detail": detail}).encode()
        response["Content-Type"] = "application/json"
        return response


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
