"""Kernel middleware: the session (never an error page after a change was saved),
the audit actor of a request, one transaction per API write, no caching of what a
signed-in user sees, and two-factor sign-in."""

from __future__ import annotations

import json
import logging
import re
import time
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import Error as DatabaseError
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from rest_framework.views import APIView

from . import audit
from .twofactor import ENTER_CODE, owed_step

logger = logging.getLogger(__name__)


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

#: A statement that changes data; the session's own rows and the sign-in attempts
#: (django-axes) are bookkeeping, not the user's change.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_BOOKKEEPING = ('"django_session"', '"axes_')


class CommittedWrites:
    """An execute wrapper that knows whether a change was committed while it was
    installed: a write outside a transaction commits at once; one inside a
    transaction counts when the outermost transaction commits (``on_commit``), not
    if it (or the savepoint around the write) is rolled back."""

    def __init__(self):
        self.committed = False

    def _commit(self):
        self.committed = True

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _WRITE.match(sql) and not any(table in sql[:80] for table in _BOOKKEEPING):
            db = context["connection"]
            if db.in_atomic_block:
                transaction.on_commit(self._commit, using=db.alias)
            else:
                self.committed = True
        return result


def change_saved_page(request, response: HttpResponse | None) -> HttpResponse:
    """The truth after a change was saved and something failed afterwards (the
    session could not be saved, the page after it could not be made): the change is
    there; do not make it again. Rendered without the request's context processors,
    which would read the database that may just have failed. Keeps the cookies the
    view set (its "saved" message among them)."""
    next_url = ""
    if response is not None and 300 <= response.status_code < 400:
        next_url = response.get("Location", "")
    page = HttpResponse(
        render_to_string(
            "change_saved.html",
            {
                "service_name": settings.SERVICE_NAME,
                "service_phase": settings.SERVICE_PHASE,
                "next_url": next_url,
            },
        )
    )
    page["Cache-Control"] = "private, no-store"
    if response is not None:
        for name, morsel in response.cookies.items():
            page.cookies[name] = morsel
    return page


#: When a session's idle timeout was last renewed (seconds since the epoch).
RENEWED_AT = "_renewed_at"


def session_renewed(session) -> None:
    """Mark ``session`` renewed now (it is saved, its expiry moved on, at the end of
    the request): at sign-in, and then at most once every ``SESSION_RENEW_SECONDS``."""
    session[RENEWED_AT] = int(time.time())


class ChangeSavedSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a change that was committed is never
    followed by an error page that says nothing was changed. The session is saved
    after the view, in the response phase, after the view's transaction committed:
    if that save fails (the session was ended meanwhile, for example by signing out
    in another tab: ``SessionInterrupted``, a 400 "Nothing was changed"; or the
    database connection dropped: a 500 "Nothing you entered has been half-saved"),
    or the view failed after its change committed, a page says the change was saved
    and links to where the view was going, so that nobody uploads the same document
    twice. API writes keep their own response (it describes what was saved)."""

    async_capable = False

    def process_response(self, request, response):
        """The idle timeout (``SESSION_COOKIE_AGE``) runs from the last request, renewed
        at most once every ``SESSION_RENEW_SECONDS``: a signed-in member's session is
        saved (its expiry moved on) only when it changed or was last renewed longer
        ago than that, so reading a page writes nothing."""
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            if int(time.time()) - int(session.get(RENEWED_AT, 0)) >= settings.SESSION_RENEW_SECONDS:
                session_renewed(session)
        return super().process_response(request, response)

    def __call__(self, request):
        if request.method not in UNSAFE_METHODS:
            return super().__call__(request)
        self.process_request(request)
        writes = CommittedWrites()
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if writes.committed and response.status_code >= 500 and not request.path.startswith(API_PREFIX):
            logger.warning("A change was saved, then the request failed (%s)", response.status_code)
            return change_saved_page(request, None)
        try:
            return self.process_response(request, response)
        except (SessionInterrupted, DatabaseError) as exc:
            if not writes.committed:
                raise
            logger.warning("A change was saved, then its session was not (%s)", type(exc).__name__)
            return response if request.path.startswith(API_PREFIX) else change_saved_page(request, response)


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
