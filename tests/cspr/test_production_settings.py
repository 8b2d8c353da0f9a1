"""Production settings: cspr.settings as a deployment reads it (DEBUG=false, a real
SECRET_KEY), in a process of its own, because the test suite itself runs on
tests/settings.py. Secure cookies, HSTS and the redirect to HTTPS; the build-only
secret key of the image refused by a running service."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k7#Vq9!pZr2@Lm4$Tx8^Wn6&Yb3*Hd5(Jf1)Gs0-Ce7+Ua9=Ro2Pi4Qe"
HOST = "cspr.example.org"
#: What the test run's environment must not lend a deployment's process.
NOT_INHERITED = {
    "PYTEST_VERSION",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_BUILD_ONLY",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}

PROBE = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="cspr.example.org")
plain = client.get("/health/")
secure = client.get("/health/", secure=True)
behind_proxy = client.get("/health/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "WHITENOISE_USE_FINDERS",
    )},
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "plain": [plain.status_code, plain.get("Location")],
    "secure": [secure.status_code, secure.get("Strict-Transport-Security")],
    "behind_proxy": [behind_proxy.status_code, behind_proxy.get("Strict-Transport-Security")],
}))
"""


def deployment(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(
        DJANGO_SETTINGS_MODULE="cspr.settings",
        DEBUG="false",
        SECRET_KEY=REAL_KEY,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_has_secure_cookies_hsts_and_redirects_to_https(tmp_path):
    result = deployment(["-c", PROBE], tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "WHITENOISE_USE_FINDERS": False,
    }
    # Static files only from the collected, hashed copies (the image's collectstatic).
    assert seen["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert seen["plain"] == [301, f"https://{HOST}/health/"]
    hsts = "max-age=31536000; includeSubDomains; preload"
    assert seen["secure"] == [200, hsts]
    # Behind the TLS-terminating proxy, which says so in X-Forwarded-Proto: no redirect loop.
    assert seen["behind_proxy"] == [200, hsts]


@pytest.mark.parametrize("debug", ["false", "true"])
def test_a_running_service_refuses_the_build_only_secret_key(tmp_path, debug):
    result = deployment(["manage.py", "check"], tmp_path, DEBUG=debug, SECRET_KEY="build-only-collectstatic")
    assert result.returncode != 0
    assert "SECRET_KEY is the build-only key" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_image_build_may_use_the_build_only_secret_key(tmp_path):
    """The Dockerfile's collectstatic: DJANGO_BUILD_ONLY=1 exists only in that RUN step."""
    result = deployment(
        ["manage.py", "check"], tmp_path, SECRET_KEY="build-only-collectstatic", DJANGO_BUILD_ONLY="1"
    )
    assert result.returncode == 0, result.stderr
