"""Configuration: environment-driven settings that fail clearly and safely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unreachable_database_fails_with_one_clear_line():
    result = run_manage(
        "migrate",
        "--check",
        DEBUG="true",
        DATABASE_URL="postgres://someone:s3cret@127.0.0.1:1/nowhere",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cspr: cannot use the database 127.0.0.1:1/nowhere")
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr


def test_production_refuses_the_development_secret_key():
    env = {k: "" for k in ("SECRET_KEY",)}
    result = run_manage("check", DEBUG="false", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr
    assert "Traceback" not in result.stderr


def test_deployment_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k7#Vq9!pZr2@Lm4$Tx8^Wn6&Yb3*Hd5(Jf1)Gs0-Ce7+Ua9=Ro2Pi4Qe",
        ALLOWED_HOSTS="cspr.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
