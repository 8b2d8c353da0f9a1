"""The e-mail outbox: one e-mail claimed, sent and marked at a time; retries on their
own clock; cancelled when its moment passed; nothing abandoned silently."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.utils import timezone

from cspr.models import AuditEvent, Deadline
from deadlines import services as deadline_services
from messaging import services
from messaging.models import DeliveryLog, EmailStatus, Message
from tests.deadlines.conftest import DUE
from tests.factories import log_in, open_clock

pytestmark = pytest.mark.django_db

REMINDER_DAY = dt.date(2026, 11, 23)
FAILING = "tests.messaging.failing_backend.FailingBackend"


def _sweep(capture, today=REMINDER_DAY):
    with capture(execute=True):
        return deadline_services.sweep_deadlines(today=today)


def test_a_first_send_is_claimed_sent_and_marked_once(team, mailoutbox, django_capture_on_commit_callbacks):
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks)
    log = DeliveryLog.objects.get(channel="email")
    assert (log.status, log.attempts, log.claimed_until) == (EmailStatus.SENT, 1, None)
    assert log.message is not None and log.sent_at is not None
    assert log.expires_at is not None  # a reminder is no use after its due day
    assert DeliveryLog.objects.get(channel="in_app").status == EmailStatus.SENT
    assert services.send_email(log_id=log.pk) is None  # sent: nothing to claim
    assert services.send_due_emails() == {}
    assert len(mailoutbox) == 1


def test_retries_back_off_then_the_email_is_abandoned_and_listed(
    team, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    settings.MESSAGING_EMAIL_MAX_ATTEMPTS = 3
    settings.MESSAGING_EMAIL_BACKOFF_SECONDS = 60
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks)
    log = DeliveryLog.objects.get(channel="email")
    first = log.next_attempt_at
    assert log.status == EmailStatus.FAILED and log.attempts == 1
    assert services.send_due_emails(now=first) == {"failed": 1}
    log.refresh_from_db()
    assert log.attempts == 2
    assert log.next_attempt_at - first == dt.timedelta(seconds=120)  # doubled
    assert services.send_due_emails(now=log.next_attempt_at) == {"abandoned": 1}
    assert services.send_due_emails(now=log.next_attempt_at + dt.timedelta(days=1)) == {}
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.ABANDONED, 3)
    assert log.last_error.startswith("ConnectionRefusedError")
    assert mailoutbox == []


def test_an_abandoned_escalation_is_escalated_in_the_service_to_the_partner_leads(
    team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    settings.MESSAGING_EMAIL_MAX_ATTEMPTS = 1
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks, today=dt.date(2026, 12, 1))
    abandoned = DeliveryLog.objects.filter(channel="email", status=EmailStatus.ABANDONED)
    assert abandoned.count() == 2  # the lead's and the manager's escalation
    notes = Message.objects.filter(milestone__startswith="undelivered-")
    assert {m.recipient for m in notes} == {team["lead"]}
    assert notes.count() == 2
    assert all(m.kind == "escalation" and "Not delivered" in m.subject for m in notes)


def test_a_reminder_whose_clock_was_met_or_whose_day_passed_is_cancelled_not_sent(
    team, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    met = open_clock(team["partnership"], due_date=DUE)
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Deadline.objects.filter(pk=met.pk).update(status=Deadline.Status.MET)
    logs = DeliveryLog.objects.filter(channel="email")
    due = logs.order_by("next_attempt_at").last().next_attempt_at
    assert services.send_due_emails(now=due) == {"cancelled": 1, "sent": 1}
    assert logs.get(deadline=met).last_error == "The deadline was met"
    # The other reminder, failed again, is cancelled once its due day is over.
    other = logs.exclude(deadline=met).get()
    DeliveryLog.objects.filter(pk=other.pk).update(status=EmailStatus.FAILED, sent_at=None)
    assert services.send_due_emails(now=other.expires_at) == {"cancelled": 1}
    assert len(mailoutbox) == 1


def test_an_email_whose_sender_died_is_taken_over_when_its_lease_runs_out(
    team, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "enqueue_email", lambda log_id: None)  # the worker died
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks)
    log = DeliveryLog.objects.get(channel="email")
    now = timezone.now()
    lease = now + dt.timedelta(minutes=5)
    DeliveryLog.objects.filter(pk=log.pk).update(status=EmailStatus.SENDING, claimed_until=lease, attempts=1)
    assert services.send_due_emails(now=now) == {}  # still leased: nobody else sends it
    assert services.send_due_emails(now=lease + dt.timedelta(seconds=1)) == {"sent": 1}
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.SENT, 2)
    assert len(mailoutbox) == 1


@pytest.fixture
def abandoned(team, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    settings.MESSAGING_EMAIL_MAX_ATTEMPTS = 1
    open_clock(team["partnership"], due_date=DUE)
    _sweep(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return DeliveryLog.objects.get(channel="email", status=EmailStatus.ABANDONED)


def test_business_managers_see_abandoned_emails_and_send_them_again(
    team, abandoned, client, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(client, team["manager"])
    page = client.get("/messages/delivery-log/")
    assert page.status_code == 200
    html = page.content.decode()
    assert abandoned.recipient.email in html and "ConnectionRefusedError" in html and "Abandoned" in html
    dashboard = client.get("/deadlines/").content.decode()
    assert "1 e-mail not delivered" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messages/delivery-log/{abandoned.pk}/send-again/")
    assert response.status_code == 302
    abandoned.refresh_from_db()
    assert abandoned.status == EmailStatus.SENT
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(subject_id=abandoned.pk, detail__send_again=True)
    assert event.actor == team["manager"] and event.partnership == team["partnership"]
    assert "Every e-mail was delivered" in client.get("/messages/delivery-log/").content.decode()


def test_another_partnerships_manager_sees_nothing_and_cannot_send_again(team, abandoned, client):
    log_in(client, team["outsider"])
    assert abandoned.recipient.email not in client.get("/messages/delivery-log/").content.decode()
    assert client.post(f"/messages/delivery-log/{abandoned.pk}/send-again/").status_code == 404
    log_in(client, team["practitioner"])
    assert client.get("/messages/delivery-log/").status_code == 403
    assert client.post(f"/messages/delivery-log/{abandoned.pk}/send-again/").status_code == 404
    abandoned.refresh_from_db()
    assert abandoned.status == EmailStatus.ABANDONED


def test_the_admin_shows_the_delivery_log_read_only(admin_client, abandoned):
    admin = site._registry[DeliveryLog]
    assert not admin.has_add_permission(None) and not admin.has_delete_permission(None)
    assert admin_client.get("/admin/messaging/deliverylog/").status_code == 200
    page = admin_client.get(f"/admin/messaging/deliverylog/{abandoned.pk}/change/")
    assert page.status_code == 200 and "Save" not in page.content.decode()


def test_a_sweep_missed_for_days_is_caught_up_by_the_next_one(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    open_clock(team["partnership"], due_date=DUE)  # missed on 1 December, while beat was down
    open_clock(team["partnership"], due_date=dt.date(2026, 12, 3))  # its 2-day reminder day passed
    result = _sweep(django_capture_on_commit_callbacks, today=dt.date(2026, 12, 2))
    assert (result.escalations, result.reminders) == (2, 1)
    assert sum(m.subject.startswith("Missed: ") for m in mailoutbox) == 2
    assert "due in 1 working day" in next(m.subject for m in mailoutbox if not m.subject.startswith("Missed"))
    assert set(DeliveryLog.objects.filter(channel="email").values_list("status", flat=True)) == {"sent"}


def test_celery_and_email_are_configured_for_faults(settings):
    import cspr.tasks  # noqa: F401 - registers the tasks checked below
    import deadlines.tasks  # noqa: F401
    import messaging.tasks  # noqa: F401
    from cspr.celery import TRANSIENT_ERRORS, app
    from cspr.email import notify_retry

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.EMAIL_TIMEOUT and settings.GOVUK_NOTIFY_TIMEOUT and notify_retry().total >= 1
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.CELERY_BEAT_SCHEDULE["send-due-emails"]["task"] == "messaging.send_due_emails"
    for name in (
        "messaging.send_email",
        "messaging.send_due_emails",
        "notifications.sweep_deadlines",
        "notifications.weekly_digest",
        "cspr.mark_missed_deadlines",
        "cspr.remove_orphan_uploads",
    ):
        task = app.tasks[name]
        assert set(TRANSIENT_ERRORS) <= set(task.autoretry_for), name
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"], name


def test_sending_one_email_costs_three_queries(team, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=False):
        deadline_services.sweep_deadlines(today=REMINDER_DAY)
    log = DeliveryLog.objects.get(channel="email")
    with CaptureQueriesContext(connection) as queries:
        assert services.send_email(log_id=log.pk) == EmailStatus.SENT
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 3, statements  # claim (lock and read), lease, mark sent
    assert len(mailoutbox) == 1
