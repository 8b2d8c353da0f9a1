"""Browser tests: Debian's Chromium, headless, driven by Playwright's sync API
against pytest-django's ``live_server`` on the test PostgreSQL database.

Fixtures:

- ``browser`` (package): one Chromium for all the browser tests, closed after them;
- ``page``: a fresh context (no cookies) and page per test, 1280x800, whose
  relative URLs (``page.goto("/")``) go to the live server;
- ``new_page(**context_options)``: another page in its own context, for example
  ``new_page(java_script_enabled=False)``;
- ``demo``: the demo data (``cspr.demo.seed()`` and each pipeline app's
  ``demo.seed(context)``, as ``manage.py seed_demo`` does), committed, so the
  live server sees it.

Every test in this folder is marked ``e2e`` (``pytest -m "not e2e"`` skips them).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

import pytest

from . import browser as e2e

# The live server listens on IPv4 loopback, where Chromium looks for it.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if e2e.written_folders:
        terminalreporter.write_sep("-", "browser test screenshots")
        for folder in sorted(e2e.written_folders):
            terminalreporter.write_line(f"Screenshots of each page checked: {folder}/")
        if e2e.DOCS_SCREENSHOTS:
            terminalreporter.write_line(f"Key pages for the README: {e2e.DOCS_SCREENSHOTS}/")


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL: the project sets
    ``MEDIA_URL = None`` (uploads are served only through permission-checked views),
    and Django's test server then fails every request (its media handler parses
    ``None``). The URL given here exists only in the test server and is never linked."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/test-server-media-not-served/"):
        server = LiveServer(os.environ["DJANGO_LIVE_TEST_SERVER_ADDRESS"])
    yield server
    server.stop()


@pytest.fixture(scope="package", autouse=True)
def _allow_the_orm_beside_playwright():
    """While Chromium is open, Playwright's sync API keeps an event loop running in
    the tests' thread, and Django refuses synchronous ORM calls there (the tests' and
    their fixtures', which are synchronous all the same) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Set for the browser tests alone: the browser is
    package-scoped too, so its loop is stopped before any other test runs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def _playwright():
    from playwright.sync_api import sync_playwright

    if not Path(e2e.CHROMIUM).exists():
        pytest.fail(
            f"{e2e.CHROMIUM} is missing: run `make test` (it installs Debian's chromium) "
            "or `apt-get install chromium`. Never `playwright install`."
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(_playwright):
    chromium = _playwright.chromium.launch(
        executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """``new_page(**context_options)``: a page in a new browser context."""
    contexts = []

    def make(**options):
        options = {
            "base_url": live_server.url,
            "viewport": dict(e2e.VIEWPORT),
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            # axe is injected as an inline script; a future Content-Security-Policy
            # must not stop the checks.
            "bypass_csp": True,
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        e2e.register_page(
            page,
            test_name=request.node.name,
            javascript=options.get("java_script_enabled", True),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Seeding the demo users and signing in hash passwords many times per test: a
    deliberately slow hasher would make each browser test take seconds longer. The
    live server's threads read the same settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(live_server, transactional_db):
    """The demo partnerships and users (one per role), plus each pipeline app's demo."""
    from django.apps import apps
    from django.conf import settings

    from cspr import demo as kernel_demo

    context = kernel_demo.seed()
    for app_label in settings.PROJECT_APPS:
        name = apps.get_app_config(app_label).name
        if importlib.util.find_spec(f"{name}.demo") is not None:
            importlib.import_module(f"{name}.demo").seed(context)
    return context
