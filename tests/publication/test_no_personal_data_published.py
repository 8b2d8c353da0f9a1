"""Nothing public shows the child's real name, the family's names, or any referral
personal data: not the public pages, the feed, nor the briefing PDF."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from cases.models import CaseChild
from cspr.roles import Role
from publication import services
from reviews import services as review_services
from tests.factories import PartnershipFactory, member, pdf_upload, publish_long_ago, review_case

pytestmark = pytest.mark.django_db

SECRETS = [
    "Jordan",
    "Smithfield",
    "Blackwood",
    "1 Example Street",
    "NPD-2026",
    "J.S.",
    "Q.Z.",
    "8 months",
    "Zanzibari",
    "metabolic",
]


def pdf_text(pdf: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


def test_child_and_family_names_reach_no_public_page_feed_or_briefing_pdf(client, tmp_path):
    partnership = PartnershipFactory(code="NPD")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    case = review_case(partnership, child_name="Jordan Smithfield", reference="NPD-2026-001")
    # A second child, with characteristics no public page may carry.
    CaseChild.objects.create(
        case=case,
        ordinal=2,
        initials="Q.Z.",
        age_months=8,
        nature="died",
        ethnicity_detail="Zanzibari heritage",
        disability="yes",
        disability_kind="Rare metabolic disorder",
    )
    review = review_services.commission_review(
        case=case,
        kind="local_cspr",
        decided_on=dt.date(2025, 1, 10),
        commissioned_on=dt.date(2025, 1, 10),
        actor=manager,
    )
    review_services.update_terms_of_reference(
        review=review, actor=manager, scope="Jordan Smithfield's contact with services"
    )
    review_services.record_family_involvement(
        review=review, actor=manager, family_role="mother", notes="Ms Blackwood met the reviewer"
    )
    review_services.record_findings(review=review, actor=manager, findings="Jordan was not seen")
    review_services.add_lead_reviewer(review=review, actor=manager, name="Dr Ada Example")
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=pdf_upload(),
        title="Child J: local review",
        summary_of_improvements="Agencies should see the child alone.",
        child_pseudonym="Child J",
        received_on=dt.date(2025, 6, 2),
    )
    briefing = services.create_briefing(
        partnership=partnership,
        review=review,
        actor=manager,
        title="Child J: 7-minute briefing",
        background="A baby lived with her mother. " * 200,
        what_happened="Bruising was seen. " * 200,
        key_learning="Professional curiosity. " * 200,
        what_should_change="Ask. " * 300,
        question_1="What would you do?",
        question_2="Who would you tell?",
        question_3="Why?",
    )
    publish_long_ago(publication, copies_on=dt.date(2025, 7, 1), published_on=dt.date(2025, 7, 15))

    client.logout()
    pages = [
        "/published/",
        f"/published/{partnership.code}/",
        "/published/feed/",
        f"/published/{partnership.code}/feed/",
        reverse("publication:published-detail", args=[publication.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Child J" in body, url
        for secret in SECRETS:
            assert secret not in body, (url, secret)

    response = client.get(reverse("publication:published-briefing-pdf", args=[briefing.pk]))
    assert response.status_code == 200
    text, page_count = pdf_text(response.content, tmp_path)
    assert "Child J" in text and "Who would you tell?" in text
    assert page_count == 1
    for secret in SECRETS:
        assert secret not in text, secret
