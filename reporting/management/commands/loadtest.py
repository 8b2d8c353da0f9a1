"""Load test: gunicorn with the production settings on a free loopback port, N
signed-in clients (threads) for a fixed time against the dashboard and a case page.
Reports requests per second and the 50th, 95th and 99th percentiles of each page.

Bounded: it stops after ``--seconds`` (and at most ``--max-requests`` per client)
and always stops the gunicorn it started. ``--profile`` instead profiles the
dashboard in this process (cProfile) and prints where the CPU goes. Run on the
scale data set (``make loadtest``, after ``make bench``)."""

from __future__ import annotations

import cProfile
import http.client
import io
import os
import pstats
import socket
import statistics
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cspr.twofactor import force_login_with_two_factor, pass_second_step


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Load-test the dashboard and a case page under gunicorn (production settings)."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="scale-bm-000")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
        parser.add_argument(
            "--max-requests", type=int, default=100_000, help="Per client: a bound whatever the time."
        )
        parser.add_argument(
            "--profile", action="store_true", help="Profile the dashboard in-process instead (cProfile)."
        )

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError("Run `python manage.py seed_scale` first.") from None
        from cases.selectors import cases_visible_to

        case = cases_visible_to(user).order_by("id").first()
        urls = {"dashboard": reverse("notifications:dashboard")}
        if case:
            urls["case page"] = reverse("cases:case-detail", args=[case.pk])
        if options["profile"]:
            return self._profile(user, urls["dashboard"])
        cookie = f"{settings.SESSION_COOKIE_NAME}={self._session(user)}"
        port = free_port()
        env = {**os.environ, "DEBUG": "false"}
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cspr.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            self._wait_for(port, server)
            self._run(port, cookie, urls, options)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    def _session(self, user) -> str:
        """A signed-in session, as the sign-in and code pages leave it (two-factor passed)."""
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = next(  # the backend that loads users (not axes')
            path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path
        )
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        pass_second_step(store, user)
        store.create()
        return store.session_key

    def _wait_for(self, port, server):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped at start.")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start in 60 s.")

    def _run(self, port, cookie, urls, options):
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        names = list(urls)
        # Warm up each worker's calendar and templates.
        for _ in range(options["workers"] * 2):
            for url in urls.values():
                self._get(port, url, headers)
        timings = {name: [] for name in names}
        errors = {name: 0 for name in names}
        lock = threading.Lock()
        statuses = set()
        stop_at = time.monotonic() + options["seconds"]

        def client(number):
            mine = {name: [] for name in names}
            failed = {name: 0 for name in names}
            for n in range(options["max_requests"]):
                if time.monotonic() >= stop_at:
                    break
                name = names[(n + number) % len(names)]
                begin = time.perf_counter()
                status = self._get(port, urls[name], headers)
                mine[name].append((time.perf_counter() - begin) * 1000)
                if status != 200:
                    failed[name] += 1
                    statuses.add(status)
            with lock:
                for name in names:
                    timings[name] += mine[name]
                    errors[name] += failed[name]

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(options["clients"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options["seconds"] + 60)
        elapsed = time.monotonic() - started
        lines = [
            f"{options['clients']} clients, {elapsed:.0f} s, gunicorn {options['workers']} workers "
            f"x {options['threads']} threads, production settings, 127.0.0.1:{port}:",
            "",
            "| page | requests | requests/s | p50 | p95 | p99 | errors |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name in names:
            t = timings[name]
            lines.append(
                f"| {name} | {len(t)} | {len(t) / elapsed:.1f} | {percentile(t, 0.5):.0f} ms "
                f"| {percentile(t, 0.95):.0f} ms | {percentile(t, 0.99):.0f} ms | {errors[name]} |"
            )
        if statuses:
            lines.append(f"Statuses other than 200: {sorted(statuses)}")
        every = [v for t in timings.values() for v in t]
        lines.append(
            f"| all | {len(every)} | {len(every) / elapsed:.1f} | {percentile(every, 0.5):.0f} ms "
            f"| {percentile(every, 0.95):.0f} ms | {percentile(every, 0.99):.0f} ms "
            f"| {sum(errors.values())} |"
        )
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _get(port, url, headers) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError:
            return 0
        finally:
            connection.close()

    def _profile(self, user, url):
        from django.test import Client, override_settings

        with override_settings(SECURE_SSL_REDIRECT=False, DEBUG=False):
            client = Client()
            force_login_with_two_factor(client, user)
            for _ in range(5):
                assert client.get(url).status_code == 200
            profiler = cProfile.Profile()
            timings = []
            profiler.enable()
            for _ in range(50):
                begin = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        median = statistics.median(timings)
        self.stdout.write(f"dashboard, 50 requests under cProfile, median {median:.1f} ms")
        self.stdout.write(out.getvalue())
