"""How the API knows who is calling: an API token (django-rest-knox, first, so that a
request with no credentials or a bad token is answered 401 with ``WWW-Authenticate``),
or the browser session of someone who has passed two-factor sign-in."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from .twofactor import owed_step

TWO_FACTOR_OWED = (
    "Two-factor sign-in is not finished for this session: enter the code from your "
    "authenticator app at /accounts/two-factor/verify/ first, or call the API with a token."
)


class TwoFactorSessionAuthentication(SessionAuthentication):
    """Django REST framework's session authentication, refusing (403) a session that
    still owes a one-time code (``cspr.twofactor.owed_step``, django-otp's
    ``is_verified()``) just as the pages do."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and owed_step(request._request) is not None:
            raise exceptions.PermissionDenied(TWO_FACTOR_OWED)
        return result


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    """The schema's ``cookieAuth``, as drf-spectacular documents Django's session."""

    target_class = "cspr.apiauth.TwoFactorSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
