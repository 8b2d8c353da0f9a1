"""E-mail through GOV.UK Notify, the government's messaging service, when the
service is configured for it (``GOVUK_NOTIFY_API_KEY``; see cspr/settings.py).

The backend is django-gov-notify's: every ``send_mail`` goes out through Notify's
plain template (subject and body as its ``((subject))`` and ``((body))``), one API
call per recipient. This subclass lets the API address be set
(``GOVUK_NOTIFY_BASE_URL``), so a deployment can point at a Notify-compatible
endpoint and the tests at a local one; the address defaults to Notify's own.

It also bounds every request (``GOVUK_NOTIFY_TIMEOUT`` seconds: a hung API holds no
worker) and retries, with backoff, what cannot have reached Notify or what Notify
says to retry (``GOVUK_NOTIFY_RETRIES`` times: connection errors and 429, 502, 503,
504). A request whose reply was lost after it was sent is not retried here (read
errors): the outbox tries it again later, so at worst that one e-mail goes twice.
"""

from __future__ import annotations

from django.conf import settings
from django_gov_notify.backends import NotifyEmailBackend as _NotifyEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def notify_retry() -> Retry:
    return Retry(
        total=settings.GOVUK_NOTIFY_RETRIES,
        connect=settings.GOVUK_NOTIFY_RETRIES,
        read=0,
        status=settings.GOVUK_NOTIFY_RETRIES,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=None,  # POST too: these statuses mean nothing was sent
        backoff_factor=0.5,
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class NotifyEmailBackend(_NotifyEmailBackend):
    def open(self):
        if self.client is None:
            self.client = NotificationsAPIClient(
                self.api_key,
                base_url=settings.GOVUK_NOTIFY_BASE_URL,
                timeout=settings.GOVUK_NOTIFY_TIMEOUT,
            )
            adapter = HTTPAdapter(max_retries=notify_retry())
            self.client.request_session.mount("https://", adapter)
            self.client.request_session.mount("http://", adapter)
