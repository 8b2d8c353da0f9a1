"""Fault tests of e-mail delivery with a real worker (a ``celery worker`` process), a
private ``redis-server`` on a free port and an SMTP sink on loopback. Each counts
exactly what the sink received: delivered = expected, duplicates <= crashes, and
whatever was not delivered is listed for the business managers.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cspr.celery import app
from deadlines import services as deadline_services
from messaging import services
from messaging.models import DeliveryLog
from messaging.selectors import undelivered_emails_for
from messaging.tasks import send_due_emails_task
from tests.deadlines.conftest import DUE
from tests.factories import open_clock

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

REMINDER_DAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=20.0, interval=0.1, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


# -- A private Redis ----------------------------------------------------------------


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own redis-server, loopback only
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_for(up, 10, what="redis-server")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _publish_to(url: str) -> None:
    """Point the test process's producer at ``url`` (Celery reads CELERY_BROKER_URL
    from the environment before its configuration)."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis(monkeypatch):
    server = Redis()
    server.start()
    previous = app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    _publish_to(server.url)
    yield server
    server.kill()
    monkeypatch.undo()
    _publish_to(previous)


# -- An SMTP sink -------------------------------------------------------------------


class Sink:
    """Counts (recipient, subject) of every message whose DATA it received. ``hold``:
    the n-th message is recorded, then its 250 reply is held until ``release``."""

    def __init__(self):
        self.port = free_port()
        self.received: list[tuple[str, str]] = []
        self.hold: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.delay = 0.0
        self.server = None
        self.lock = threading.Lock()

    def start(self):
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line):
                self.wfile.write(f"{line}\r\n".encode())
                self.wfile.flush()

            def handle(self):
                self.reply("220 sink")
                rcpt = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line.decode(errors="replace").strip().upper()
                    if verb.startswith(("EHLO", "HELO")):
                        self.reply("250 sink")
                    elif verb.startswith("RCPT"):
                        rcpt.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 go on")
                        data = b""
                        while not data.endswith(b"\r\n.\r\n"):
                            chunk = self.rfile.readline()
                            if not chunk:
                                return
                            data += chunk
                        subject = email.message_from_bytes(data).get("Subject", "")
                        with sink.lock:
                            for to in rcpt:
                                sink.received.append((to, subject))
                            count = len(sink.received)
                        rcpt = []
                        if sink.hold is not None and count == sink.hold:
                            sink.held.set()
                            sink.release.wait(30)
                            return  # the sender died meanwhile: no reply
                        time.sleep(sink.delay)
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # MAIL, RSET, NOOP
                        self.reply("250 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.received)


@pytest.fixture
def sink():
    server = Sink()
    server.start()
    yield server
    server.release.set()
    server.stop()


# -- A real worker ------------------------------------------------------------------


class Worker:
    def __init__(self, redis, sink, **env):
        database = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_TIMEOUT": "5",
            "MESSAGING_EMAIL_LEASE_SECONDS": "3",
            "MESSAGING_EMAIL_BACKOFF_SECONDS": "1",
            **{k: str(v) for k, v in env.items()},
        }
        if database.get("PASSWORD"):
            self.env["PGPASSWORD"] = database["PASSWORD"]
        self.process = None
        self.log = open(os.environ.get("CSPR_WORKER_LOG", os.devnull), "ab")  # noqa: SIM115

    def start(self, concurrency=1):
        self.process = subprocess.Popen(  # noqa: S603 - our own worker
            [
                CELERY,
                "-A",
                "cspr",
                "worker",
                "-P",
                "prefork",
                "-c",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self):
        """The whole worker dies at once (the machine or its container goes, the OOM
        killer, ``kill -9``): SIGKILL to its process group, the main process and its
        pool alike. Returns once none of them can send anything more."""
        pool = self.children()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

        def gone(pid):
            try:
                return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in "ZX"
            except OSError:
                return True

        wait_for(lambda: all(gone(pid) for pid in pool), 10, what="the pool processes gone")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


@pytest.fixture
def worker(redis, sink):
    started = []

    def start(concurrency=1, **env):
        w = Worker(redis, sink, **env).start(concurrency)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()
    connection.close()


def emails():
    return DeliveryLog.objects.filter(channel="email")


def statuses() -> Counter:
    return Counter(emails().values_list("status", flat=True))


def clocks(team, n):
    for _ in range(n):
        open_clock(team["partnership"], due_date=DUE)


# -- The faults ---------------------------------------------------------------------


def test_a_worker_killed_mid_send_duplicates_at_most_that_email(team, sink, worker):
    clocks(team, 4)
    sink.hold = 2  # the second e-mail is received, then its sender is killed
    w = worker(concurrency=1)
    deadline_services.run_scheduled_sweep(today=REMINDER_DAY)  # queues 4, on commit
    wait_for(sink.held.is_set, 30, what="the second e-mail in flight")
    for pid in w.children():
        os.kill(pid, signal.SIGKILL)  # the pool process dies mid-send
    sink.release.set()
    # The other three go; the one in flight stays claimed until its lease runs out
    # (or, on a slow machine, the requeued task has already taken it over and sent it).
    wait_for(
        lambda: statuses()["sent"] >= 3 and statuses()["sent"] + statuses()["sending"] == 4,
        60,
        what="the other three",
    )
    time.sleep(3.2)  # the dead sender's lease runs out
    send_due_emails_task.delay()
    wait_for(lambda: statuses() == Counter({"sent": 4}), 20, what="the taken-over e-mail")
    received = sink.counts()
    assert len(received) == 4  # every reminder delivered
    assert sum(received.values()) == 5  # one crash: exactly the e-mail in flight twice
    assert max(received.values()) == 2


def test_two_sweeps_at_once_and_an_outbox_pass_send_each_email_once(team, sink, worker):
    clocks(team, 6)
    sink.delay = 0.3  # a slow mail server: sweeps overlap with the sending
    worker(concurrency=2)
    results = []

    def sweep():
        try:
            results.append(deadline_services.sweep_deadlines(today=REMINDER_DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    send_due_emails_task.delay()
    send_due_emails_task.delay()
    wait_for(lambda: statuses() == Counter({"sent": 6}), 30, what="six e-mails sent")
    time.sleep(1)  # anything extra would arrive now
    received = sink.counts()
    assert sum(r.reminders for r in results) == 6
    assert len(received) == 6 and sum(received.values()) == 6


def test_smtp_down_longer_than_the_attempts_then_up_abandons_lists_and_sends_again(team, sink, worker):
    clocks(team, 3)
    sink.stop()  # connection refused
    worker(concurrency=1, MESSAGING_EMAIL_MAX_ATTEMPTS=2)
    deadline_services.run_scheduled_sweep(today=REMINDER_DAY)
    wait_for(lambda: statuses() == Counter({"failed": 3}), 20, what="three first attempts")
    time.sleep(1.2)  # the backoff
    send_due_emails_task.delay()
    wait_for(lambda: statuses() == Counter({"abandoned": 3}), 20, what="three abandoned")
    listed = undelivered_emails_for(team["manager"])
    assert listed.count() == 3 and not undelivered_emails_for(team["outsider"]).exists()
    sink.start()
    send_due_emails_task.delay()  # abandoned: nothing goes without a person asking
    time.sleep(2)
    assert sum(sink.counts().values()) == 0
    for log in list(listed):
        services.send_again(log_id=log.pk, actor=team["manager"])  # enqueued on commit
    wait_for(lambda: statuses() == Counter({"sent": 3}), 20, what="three sent again")
    received = sink.counts()
    assert len(received) == 3 and sum(received.values()) == 3


def test_redis_killed_and_restarted_loses_no_email(team, sink, redis, worker):
    clocks(team, 3)
    worker(concurrency=1)
    redis.kill()
    deadline_services.run_scheduled_sweep(today=REMINDER_DAY)  # cannot hand them over
    assert statuses() == Counter({"queued": 3})
    redis.start()  # same port, empty
    send_due_emails_task.delay()  # beat's next outbox pass
    wait_for(lambda: statuses() == Counter({"sent": 3}), 30, what="three sent after the restart")
    received = sink.counts()
    assert len(received) == 3 and sum(received.values()) == 3


def test_database_connections_terminated_mid_sweep_and_mid_send_lose_nothing(team, sink, worker):
    from deadlines.tasks import sweep_deadlines_task
    from messaging.models import Message

    clocks(team, 6)
    sink.delay = 0.4  # sending takes a while: connections die between claims and marks
    worker(concurrency=1)
    sweep_deadlines_task.delay(REMINDER_DAY.isoformat())
    killed, end = 0, time.monotonic() + 20
    with connection.cursor() as cursor:
        while killed < 3 and time.monotonic() < end:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            killed += cursor.fetchone()[0]
            time.sleep(0.3)
    assert killed >= 1

    def all_sent():
        if statuses() == Counter({"sent": 6}):
            return True
        send_due_emails_task.delay()  # beat's outbox pass, sped up
        return False

    wait_for(all_sent, 45, interval=2, what="six e-mails sent")
    received = sink.counts()
    assert Message.objects.count() == 6  # in-app: the sweep's one transaction, once
    assert len(received) == 6  # every e-mail delivered
    assert sum(received.values()) - 6 <= killed  # duplicates <= connections killed


def test_the_whole_worker_killed_during_the_outbox_pass_twice_sends_each_email_once_more_at_most(
    team, sink, worker, monkeypatch
):
    """The whole worker (main process and pool, one SIGKILL to its process group) dies
    while the outbox pass is sending a batch, twice; a new worker starts each time.
    Its pass's task is not redelivered (the broker holds it until the visibility
    timeout, an hour), so what the dead worker held is taken over by the next passes."""
    clocks(team, 6)
    # The first sends were never handed to a worker (the broker was away): all six
    # wait in the outbox for its pass.
    monkeypatch.setattr(services, "enqueue_email", lambda log_id: None)
    deadline_services.run_scheduled_sweep(today=REMINDER_DAY)
    assert statuses() == Counter({"queued": 6})
    in_flight = []
    for hold in (2, 4):  # the 2nd e-mail the sink receives, then the 4th
        sink.hold, sink.held, sink.release = hold, threading.Event(), threading.Event()
        w = worker(concurrency=1)
        send_due_emails_task.delay()  # beat's outbox pass
        wait_for(sink.held.is_set, 40, what=f"e-mail {hold} in flight")
        with sink.lock:
            in_flight.append(sink.received[hold - 1])
        w.kill()  # mid-send: the mail server has the e-mail, the worker never hears back
        sink.release.set()
        held = emails().get(recipient__email=in_flight[-1][0], message__subject=in_flight[-1][1])
        assert held.status == "sending" and held.claimed_until is not None  # leased, not lost
    assert statuses()["sent"] >= 2 and statuses()["queued"] >= 1  # the pass was cut short

    worker(concurrency=1)

    def all_sent():
        if statuses() == Counter({"sent": 6}):
            return True
        send_due_emails_task.delay()  # beat's next outbox pass, sped up
        return False

    # The rows left queued go at the first pass; the ones in flight once their lease
    # (3 s) runs out.
    wait_for(all_sent, 45, interval=1, what="six e-mails sent")
    time.sleep(0.5)  # anything extra would arrive now
    received = sink.counts()
    assert len(received) == 6  # every e-mail delivered
    assert sum(received.values()) == 6 + 2  # one duplicate per crash...
    assert received == Counter(received.keys()) + Counter(in_flight)  # ...the one in flight
    # Nothing left claimed, and each row counted the attempts the sink saw.
    assert not emails().filter(claimed_until__isnull=False).exists()
    for log in emails().select_related("recipient", "message"):
        assert log.attempts == received[(log.recipient.email, log.message.subject)]
