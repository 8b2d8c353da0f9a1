"""Hostile text in every field that reaches the public pages, the Atom feed and the
public briefing PDF comes out as text, never as markup: a feed reader renders
``<summary type="html">`` as HTML, so what goes in it is escaped for HTML as well
as for XML."""

import datetime as dt
import html
import subprocess
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from cspr.models import LearningTheme
from cspr.roles import Role
from publication import services
from tests.factories import PartnershipFactory, commissioned_review, member, pdf_upload

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
ATOM = "{http://www.w3.org/2005/Atom}"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def html_tags(fragment: str) -> list[str]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


#: Recorded as it happens: nothing backdated (backdating needs a partner lead's reason).
TODAY = timezone.localdate()


@pytest.fixture
def hostile_publication(db):
    partnership = PartnershipFactory(code="HST", name=f"Hostile {SCRIPT} partnership")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager, decided_on=dt.date(2025, 1, 10))
    theme = LearningTheme.objects.create(name=f"Theme {IMG}", slug="hostile-theme")
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=pdf_upload(),
        title=f"Child H {SCRIPT}",
        summary_of_improvements=f"Summary {SCRIPT} {IMG}",
        systemic_analysis=f"Analysis {IMG}",
        reviewer_names=f"Dr {SCRIPT} {IMG}",
        child_pseudonym="Child H",
        themes=[theme],
        received_on=TODAY - dt.timedelta(days=60),
    )
    briefing = services.create_briefing(
        partnership=partnership,
        review=review,
        actor=manager,
        title=f"Briefing {SCRIPT}",
        background=f"Background {SCRIPT}",
        what_happened=f"Happened {IMG}",
        key_learning=f"Learning {SCRIPT}",
        what_should_change=f"Change {IMG}",
        question_1=f"Q1 {SCRIPT}",
        question_2=f"Q2 {IMG}",
        question_3="Q3",
        themes=[theme],
    )
    services.record_copies(
        publication=publication,
        actor=manager,
        copy_to_panel_on=TODAY - dt.timedelta(days=30),
        copy_to_secretary_of_state_on=TODAY - dt.timedelta(days=30),
        copy_to_ofsted_on=TODAY - dt.timedelta(days=30),
    )
    services.publish(publication=publication, actor=manager, published_on=TODAY)
    return publication, briefing


@pytest.mark.parametrize("url", ["/published/feed/", "/published/HST/feed/"])
def test_the_feed_carries_hostile_text_as_text(client, hostile_publication, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert entries
    checked = 0
    for element in root.iter():
        text = element.text or ""
        if element.get("type") == "html":
            # What a feed reader renders as HTML has no tags at all.
            assert html_tags(text) == [], (element.tag, text)
            assert "alert(" in html.unescape(text) or "Lead reviewer" in text
            checked += 1
        elif element.tag != f"{ATOM}link":
            # Any other element is plain text: a reader shows the hostile string as written.
            assert element.get("type") in (None, "text"), element.tag
    assert checked >= len(entries)
    summary = entries[0].find(f"{ATOM}summary")
    assert SCRIPT in html.unescape(summary.text)


def test_the_public_pages_escape_every_field(client, hostile_publication):
    publication, briefing = hostile_publication
    for url in [
        "/published/",
        "/published/HST/",
        reverse("publication:published-detail", args=[publication.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SCRIPT not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_the_public_briefing_pdf_prints_hostile_text_as_text(client, hostile_publication, tmp_path):
    _, briefing = hostile_publication
    response = client.get(reverse("publication:published-briefing-pdf", args=[briefing.pk]))
    assert response.status_code == 200
    path = tmp_path / "briefing.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Background <script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
