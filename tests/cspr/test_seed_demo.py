"""``manage.py seed_demo`` prints the demo users; the e-mails seeding sends (the demo's
deadline sweep) reach the configured backend, the console under ``make run``, only
with ``-v 2``."""

from io import StringIO

import pytest
from django.core.management import call_command

# Real commits: the sweep's e-mails go when seed_demo's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _console_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(capsys, *args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue(), capsys.readouterr().out


def test_seed_demo_prints_the_users_and_not_the_emails(capsys, mailoutbox):
    printed, console = seed(capsys)
    assert "Demo data ready. Users (password demo-password-2026):" in printed
    for username in (
        "lead",
        "manager",
        "practitioner",
        "reviewer",
        "teammember",
        "liaison",
        "southport",
        "admin",
    ):
        assert f"\n  {username} " in printed
    assert console == ""  # the console backend printed nothing
    assert "Subject:" not in printed
    held = len(mailoutbox)
    assert held > 0  # the sweep did e-mail the demo users, into the in-memory outbox
    assert f"{held} e-mails to demo users not shown (-v 2 shows them)." in printed


def test_seed_demo_with_verbosity_2_prints_the_emails_too(capsys, mailoutbox):
    printed, console = seed(capsys, "-v", "2")
    assert "Demo data ready." in printed
    assert "Subject: " in console and "To: manager@example.org" in console
    assert mailoutbox == []
    assert "not shown" not in printed
