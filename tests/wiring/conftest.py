"""One partnership with every role, an agency per kind, and a user of another
partnership: the people of the whole pipeline."""

import html
import re
from types import SimpleNamespace

import pytest

from cspr.models import Agency
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, member


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    north = PartnershipFactory(name="Northshire Safeguarding Children Partnership", code="NCC")
    health = AgencyFactory(partnership=north, name="Northshire Hospitals", kind=Agency.Kind.HEALTH_PROVIDER)
    police = AgencyFactory(partnership=north, name="Northshire Police", kind=Agency.Kind.POLICE)
    return SimpleNamespace(
        north=north,
        health=health,
        police=police,
        practitioner=member(north, Role.PRACTITIONER, agency=health, username="pat"),
        manager=member(north, Role.BUSINESS_MANAGER, username="morgan"),
        lead=member(north, Role.PARTNER_LEAD, username="lee"),
        reviewer=member(north, Role.LEAD_REVIEWER, username="robin"),
        team_member=member(north, Role.REVIEW_TEAM_MEMBER, agency=police, username="tam"),
        liaison=member(north, Role.PANEL_LIAISON, username="lia"),
        outsider=member(
            PartnershipFactory(name="Southport Partnership", code="SBC"),
            Role.BUSINESS_MANAGER,
            username="sam",
        ),
    )


# -- Reading the links and buttons of a rendered page --------------------------------

_FORM = re.compile(r"<form\b[^>]*\baction=\"([^\"]*)\"[^>]*>(.*?)</form>", re.S)
_LINK = re.compile(r"<a\b[^>]*\bhref=\"([^\"]+)\"[^>]*>(.*?)</a>", re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def button(page: str, label: str, here: str = "") -> str:
    """The action of the POST form on ``page`` whose button reads ``label`` (``here``,
    the page's own URL, for a form that posts back to it)."""
    found = [
        html.unescape(a) or here
        for a, body in _FORM.findall(page)
        if re.search(rf"<button\b[^>]*>\s*{re.escape(label)}\s*</button>", body)
    ]
    assert found, f"no button {label!r} on the page"
    return found[0]


def link(page: str, label: str) -> str:
    """The href of the link on ``page`` whose text contains ``label``."""
    found = [html.unescape(h) for h, body in _LINK.findall(page) if label in _text(body)]
    assert found, f"no link {label!r} on the page"
    return found[0]


def has_link(page: str, label: str) -> bool:
    return any(label in _text(body) for _h, body in _LINK.findall(page))
