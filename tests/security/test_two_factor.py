"""Two-factor sign-in through the real pages: a member without an authenticator app
is sent to set one up, and every member with one enters a real TOTP code after the
password before reaching anything else. (Who must: test_two_factor_required.py.)"""

import base64
import re
import time
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.models import AuditEvent
from cspr.roles import Role
from tests.factories import PartnershipFactory, member

from .totp import totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def secret_from_page(html: str) -> bytes:
    text = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def test_a_member_without_an_app_must_set_one_up_before_anything_else(client):
    partnership = PartnershipFactory()
    user = member(partnership, Role.BUSINESS_MANAGER, username="morgan")
    response = sign_in(client, "morgan")
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two-factor-setup"))
    assert client.get(reverse("audit-trail")).status_code == 302
    assert client.get(reverse("password_change")).status_code == 302

    page = client.get(home["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set this up before you carry on" in html
    assert "<svg" in html and "<script>" not in html  # the QR code, drawn on the server
    assert page["Cache-Control"].startswith("max-age=0")
    key = secret_from_page(html)

    wrong = client.post(home["Location"], {"code": "000000" if totp(key) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed

    # A wrong code is throttled by django-otp for a second; the next code is a real one.
    device = TOTPDevice.objects.get(user=user)
    device.throttle_reset()
    done = client.post(reverse("two-factor-setup") + "?next=/audit/", {"code": totp(key)})
    assert done.status_code == 302
    assert done["Location"] == "/audit/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=user, subject_label="two-factor sign-in set up").exists()


def test_the_secret_in_the_qr_code_is_the_secret_shown_as_text(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER)
    client.force_login(user)
    html = client.get(reverse("two-factor-setup")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    url = urlparse(device.config_url)
    assert url.scheme == "otpauth"
    assert "CSPR case manager" in unquote(url.path)
    secret = parse_qs(url.query)["secret"][0]
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert secret_from_page(html) == device.bin_key


def test_after_the_password_a_member_with_an_app_enters_a_code(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER, username="pat")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    assert sign_in(client, "pat").status_code == 302
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two-factor-verify"))
    verify = client.get(response["Location"])
    assert "Enter the code from your authenticator app" in verify.content.decode()

    bad = client.post(reverse("two-factor-verify"), {"code": "12ab56"})
    assert "Enter the 6 numbers" in bad.content.decode()
    assert client.get(reverse("home")).status_code == 302

    ok = client.post(reverse("two-factor-verify") + "?next=/", {"code": totp(device.bin_key)})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_code_cannot_be_used_twice(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER, username="pat")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = totp(device.bin_key)
    sign_in(client, "pat")
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    device.refresh_from_db()
    device.throttle_reset()
    sign_in(client, "pat")
    again = client.post(reverse("two-factor-verify"), {"code": code})
    if totp(device.bin_key) == code:  # still the same 30-second window
        assert again.status_code == 200
        assert "The code is not right" in again.content.decode()


def test_a_code_from_an_hour_ago_is_refused(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER, username="pat")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "pat")
    old = totp(device.bin_key, at=time.time() - 3600)
    if old != totp(device.bin_key):
        response = client.post(reverse("two-factor-verify"), {"code": old})
        assert response.status_code == 200
        assert client.get(reverse("home")).status_code == 302


def test_a_confirmed_app_is_not_shown_again_on_the_set_up_page(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER, username="pat")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "pat")
    client.post(reverse("two-factor-verify"), {"code": totp(device.bin_key)})
    html = client.get(reverse("two-factor-setup")).content.decode()
    assert "Two-factor sign-in is on" in html
    assert base64.b32encode(device.bin_key).decode()[:8] not in html


def test_next_cannot_send_the_member_to_another_site(client):
    user = member(PartnershipFactory(), Role.PRACTITIONER, username="pat")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "pat")
    response = client.post(
        reverse("two-factor-verify") + "?next=https://evil.example/", {"code": totp(device.bin_key)}
    )
    assert response["Location"] == "/"
