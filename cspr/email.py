"""E-mail through GOV.UK Notify, the government's messaging service, when the
service is configured for it (``GOVUK_NOTIFY_API_KEY``; see cspr/settings.py).

The backend is django-gov-notify's: every ``send_mail`` goes out through Notify's
plain template (subject and body as its ``((subject))`` and ``((body))``), one API
call per recipient. This subclass only lets the API address be set
(``GOVUK_NOTIFY_BASE_URL``), so a deployment can point at a Notify-compatible
endpoint and the tests at a local one; the address defaults to Notify's own.
"""

from __future__ import annotations

from django.conf import settings
from django_gov_notify.backends import NotifyEmailBackend as _NotifyEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(_NotifyEmailBackend):
    def open(self):
        if self.client is None:
            self.client = NotificationsAPIClient(
                self.api_key, base_url=settings.GOVUK_NOTIFY_BASE_URL
            )
