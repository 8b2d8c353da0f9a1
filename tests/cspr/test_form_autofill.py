"""Sign-in without autofocus (it would skip the skip link), and the referrer's own
details marked for the browser's autofill (WCAG 1.3.5)."""

import re

import pytest
from django.urls import reverse

from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, log_in, member

pytestmark = pytest.mark.django_db


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_the_sign_in_page_does_not_move_the_focus(client):
    html = client.get(reverse("login")).content.decode()
    assert "autofocus" not in html
    assert 'autocomplete="username"' in input_tag(html, "username")
    assert 'autocomplete="current-password"' in input_tag(html, "password")


def test_the_referral_form_marks_the_referrers_own_name_and_role_for_autofill(client):
    partnership = PartnershipFactory()
    agency = AgencyFactory(partnership=partnership)
    log_in(client, member(partnership, Role.PRACTITIONER, agency=agency))
    html = client.get(reverse("cases:referral-create")).content.decode()
    assert 'autocomplete="name"' in input_tag(html, "referrer_name")
    assert 'autocomplete="organization-title"' in input_tag(html, "referrer_role")
    # The child's name is not the user's: the browser must not fill it in.
    assert "autocomplete" not in input_tag(html, "child_1_name")
