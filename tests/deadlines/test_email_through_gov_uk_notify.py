"""With GOV.UK Notify configured, reminders go out through Notify's API: one call per
recipient to the plain template, with the reminder's subject and body. The test
points the backend at a local HTTP server that answers as Notify does."""

import datetime as dt
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from deadlines.services import sweep_deadlines
from messaging.models import DeliveryLog
from tests.factories import open_clock

from .conftest import DUE

pytestmark = pytest.mark.django_db

TEMPLATE_ID = str(uuid.uuid4())
API_KEY = f"cspr_test-{uuid.uuid4()}-{uuid.uuid4()}"  # Notify's key format: name-service-secret


@pytest.fixture
def notify_api():
    """A local stand-in for https://api.notifications.service.gov.uk: records each
    e-mail request and answers 201 with a notification, as Notify does."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "auth": self.headers["Authorization"], "json": body})
            answer = json.dumps(
                {"id": str(uuid.uuid4()), "reference": None, "content": {}, "template": {"id": TEMPLATE_ID}}
            ).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def test_a_reminder_goes_through_gov_uk_notify_when_it_is_configured(
    team, settings, notify_api, django_capture_on_commit_callbacks
):
    base_url, received = notify_api
    settings.EMAIL_BACKEND = "cspr.email.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = API_KEY
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.GOVUK_NOTIFY_BASE_URL = base_url
    manager = team["manager"]
    manager.email = "manager@northshire.example"
    manager.save()
    clock = open_clock(team["partnership"], due_date=DUE)

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_deadlines(today=dt.date(2026, 11, 23))  # 5 working days before

    assert result.emails >= 1
    to_manager = [r for r in received if r["json"]["email_address"] == manager.email]
    assert len(to_manager) == 1
    request = to_manager[0]
    assert request["path"] == "/v2/notifications/email"
    assert request["auth"].startswith("Bearer ")
    assert request["json"]["template_id"] == TEMPLATE_ID
    assert clock.reference in request["json"]["personalisation"]["subject"]
    assert "30 November 2026" in request["json"]["personalisation"]["body"]
    assert DeliveryLog.objects.get(recipient=manager, channel="email").sent_at is not None
    assert mail.outbox == []  # nothing through Django's test outbox: it went to Notify


def test_a_notify_api_key_without_its_template_stops_the_service_starting():
    import os
    import subprocess
    import sys

    env = {**os.environ, "GOVUK_NOTIFY_API_KEY": API_KEY, "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID": ""}
    env.pop("EMAIL_BACKEND", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0
    assert "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID" in run.stderr
    assert API_KEY not in run.stderr  # the key itself is never printed
