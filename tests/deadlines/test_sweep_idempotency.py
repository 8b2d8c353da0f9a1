"""The sweep never sends the same message twice: run twice, at once, or after a crash."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from cspr import locks
from deadlines import services
from messaging import services as messaging_services
from messaging.models import DeliveryLog, Message
from tests.factories import PartnershipFactory, member, open_clock

from .conftest import DUE

REMINDER_DAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_running_the_sweep_twice_sends_nothing_new(team, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(3):
        open_clock(team["partnership"], due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_deadlines(today=REMINDER_DAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.sweep_deadlines(today=REMINDER_DAY)
    assert (first.reminders, first.emails) == (3, 3)
    assert (second.reminders, second.emails) == (0, 0)
    assert callbacks == []
    assert len(mailoutbox) == 3
    assert Message.objects.count() == 3


@pytest.mark.django_db
def test_a_crash_half_way_loses_nothing_and_duplicates_nothing_on_the_rerun(
    team, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    for _ in range(4):
        open_clock(team["partnership"], due_date=DUE)
    real = services._reminder_text
    calls = {"n": 0}

    def crash_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_reminder_text", crash_on_the_third)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.sweep_deadlines(today=REMINDER_DAY)
    assert len(mailoutbox) == 0  # nothing was committed, so nothing was e-mailed
    assert not Message.objects.exists()
    monkeypatch.setattr(services, "_reminder_text", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_deadlines(today=REMINDER_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_deadlines(today=REMINDER_DAY)
    assert len(mailoutbox) == 4
    assert Message.objects.count() == 4
    assert len({m.subject for m in mailoutbox}) == 4


@pytest.mark.django_db
def test_an_email_the_backend_refused_is_retried_once_by_the_outbox(
    team, settings, mailoutbox, django_capture_on_commit_callbacks
):
    open_clock(team["partnership"], due_date=DUE)
    settings.EMAIL_BACKEND = "tests.messaging.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_deadlines(today=REMINDER_DAY)
    log = DeliveryLog.objects.get(channel="email")
    assert log.sent_at is None and log.attempts == 1 and log.status == "failed"
    assert log.last_error.startswith("ConnectionRefusedError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert messaging_services.send_due_emails(now=log.next_attempt_at - dt.timedelta(seconds=1)) == {}
    assert messaging_services.send_due_emails(now=log.next_attempt_at) == {"sent": 1}
    assert messaging_services.send_due_emails(now=log.next_attempt_at) == {}
    assert len(mailoutbox) == 1
    log.refresh_from_db()
    assert log.sent_at is not None and log.status == "sent" and log.attempts == 2


def _run_in_thread(results, errors, **kwargs):
    try:
        results.append(services.sweep_deadlines(**kwargs))
    except Exception as exc:  # pragma: no cover - reported by the assertion below
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_message_once(monkeypatch):
    mail.outbox = []
    from cspr.roles import Role

    partnership = PartnershipFactory()
    member(partnership, Role.BUSINESS_MANAGER)
    member(partnership, Role.BUSINESS_MANAGER)
    for _ in range(3):
        open_clock(partnership, due_date=DUE)
    barrier = threading.Barrier(2, timeout=20)
    real = services.delivered

    def both_planned(*args, **kwargs):
        found = real(*args, **kwargs)
        barrier.wait()  # both sweeps have decided what to send before either sends
        return found

    monkeypatch.setattr(services, "delivered", both_planned)
    results, errors = [], []
    threads = [
        threading.Thread(target=_run_in_thread, args=(results, errors), kwargs={"today": REMINDER_DAY})
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sum(r.reminders for r in results) == 6  # 3 deadlines x 2 managers
    assert Message.objects.count() == 6
    assert len(mail.outbox) == 6
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 6


@pytest.mark.django_db(transaction=True)
def test_a_second_scheduled_scan_waits_for_nothing_and_sends_nothing_while_one_runs():
    from django.db import transaction

    result = {}

    def second_scan():
        try:
            result["second"] = services.run_scheduled_sweep(today=REMINDER_DAY)
        finally:
            connection.close()

    with transaction.atomic():
        assert locks.try_advisory_xact_lock(locks.SWEEP_DEADLINES)
        thread = threading.Thread(target=second_scan)
        thread.start()
        thread.join(30)
    assert result["second"].skipped is True
    assert services.run_scheduled_sweep(today=REMINDER_DAY).skipped is False
