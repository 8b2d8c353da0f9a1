"""The rapid review PDF for the National Panel: rendered for real with WeasyPrint,
read back with pdftotext and pdfinfo."""

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cspr.formats import long_date
from cspr.models import AuditEvent
from cspr.roles import Role
from rapid_review import services
from tests.factories import log_in, member

from .conftest import CHILD_NAME, D, advance

#: A planned date may be at most two years ahead.
EXPECTED = dt.date.today() + dt.timedelta(days=60)

pytestmark = pytest.mark.django_db

SECTIONS = [
    "1. The case",
    "2. The child",
    "3. Household and family composition",
    "4. Agencies involved and their information returns",
    "5. Chronology of key events",
    "6. Analysis of key practice episodes",
    "7. Family context",
    "8. Immediate actions to safeguard children",
    "9. Good practice and learning so far",
    "10. Criteria and decision",
    "11. National review",
    "12. Other processes under way",
    "13. Meetings, attendees and sign-off",
    "14. Statutory clocks",
]


def full_review(world):
    review = advance(world, "open")
    m = world.manager
    services.add_agency_return(
        review=review,
        actor=m,
        agency=world.health,
        requested_on=D(2026, 4, 3),
        received_on=D(2026, 4, 9),
        summary="Seen at the emergency department twice in March.",
    )
    services.add_agency_return(
        review=review,
        actor=m,
        agency=world.police,
        requested_on=D(2026, 4, 3),
        summary="Two domestic abuse call-outs.",
    )
    services.add_safety_action(
        review=review,
        actor=m,
        action="Strategy meeting for the siblings",
        owner="Children's social care",
        due_on=D(2026, 4, 6),
        done_on=D(2026, 4, 6),
    )
    services.update_rapid_review(
        review=review,
        actor=m,
        household_composition="Mother, mother's partner, two siblings aged 5 and 7.",
        chronology_summary="Three health contacts in March 2026.",
        key_practice_episodes="The discharge without a safeguarding referral.",
        family_context="English is the mother's second language.",
        good_practice="Swift police response.",
        learning_identified="Information sharing at discharge.",
        other_processes=["police_investigation", "child_death_review"],
        criterion_agencies_working_together=True,
        regard_several_areas=True,
        sign_off_local_authority="Ruth Ames, Director of Children's Services",
    )
    advance(world, "submitted", review=review)
    review.refresh_from_db()
    return review


def pdf_text(tmp_path, content: bytes) -> tuple[str, str]:
    path = tmp_path / "review.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return text, info


def test_the_pdf_has_the_panels_sections_in_order_with_the_values_and_no_childs_name(world, client, tmp_path):
    review = full_review(world)
    log_in(client, world.manager)
    response = client.get(reverse("rapid_review:pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="NCC-2026-014.pdf"'
    text, info = pdf_text(tmp_path, response.content)
    flat = re.sub(r"\s+", " ", text)

    positions = [flat.find(heading) for heading in SECTIONS]
    assert all(p >= 0 for p in positions), list(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)

    for value in [
        "Northshire Safeguarding Children Partnership",
        "NCC-2026-014",
        "SIN-2026-0042",
        "27 March 2026",  # incident
        "30 March 2026",  # awareness
        "2 April 2026",  # notification
        "Northshire Hospitals NHS Trust",
        "Seen at the emergency department twice in March.",
        "Northshire Police",
        "Two domestic abuse call-outs.",
        "Strategy meeting for the siblings",
        "Hold a local child safeguarding practice review",
        "Two agencies did not share information.",
        "Dana Okafor",
        "Detective Inspector",
        "14 April 2026",
        "Police investigation",
        "Child death review",
        "concerns about two or more agencies working together",
        "Ruth Ames, Director of Children's Services",
        "Sent to the Panel on 21 April 2026",
        "White British",
    ]:
        assert value in flat, value
    assert CHILD_NAME not in flat and "Quillfeather" not in flat
    assert "1 Secret Lane" not in flat
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert re.search(r"^Title:\s+Rapid review NCC-2026-014$", info, re.M), info
    assert "Page 1 of" in flat


def test_each_download_is_audited(world, client):
    review = advance(world, "decided")
    log_in(client, world.manager)
    client.get(reverse("rapid_review:pdf", args=[review.pk]))
    client.get(reverse("api:rapid-review-pdf", args=[review.pk]))
    events = AuditEvent.objects.filter(action="download", subject_label="NCC-2026-014 rapid review")
    assert events.count() == 2
    assert {e.actor for e in events} == {world.manager}


def test_the_api_serves_the_same_pdf(world, client):
    review = advance(world, "open")
    log_in(client, world.lead)
    response = client.get(reverse("api:rapid-review-pdf", args=[review.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_panel_liaison_downloads_it_from_when_it_opens_but_cannot_change_the_review(world, client):
    """No grant needed: the partnership's panel liaison sees every rapid review."""
    review = advance(world, "open")
    liaison = member(world.partnership, Role.PANEL_LIAISON, username="liaison")
    log_in(client, liaison)
    response = client.get(reverse("rapid_review:pdf", args=[review.pk]))
    assert response.status_code == 200
    html = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert "Download the rapid review for the Panel (PDF)" in html
    assert "Add a meeting" not in html
    response = client.post(
        reverse("rapid_review:meeting-add", args=[review.pk]), {"meeting-date": "2026-04-14"}
    )
    assert response.status_code == 403
    assert not review.meetings.exists()


def test_a_review_team_member_added_to_the_case_sees_the_review_but_not_the_pdf(world, client):
    review = advance(world, "open")
    teammate = member(world.partnership, Role.REVIEW_TEAM_MEMBER, username="teammate")
    assign_perm("view_case", teammate, world.case)
    log_in(client, teammate)
    assert client.get(reverse("rapid_review:detail", args=[review.pk])).status_code == 200
    assert client.get(reverse("rapid_review:pdf", args=[review.pk])).status_code == 403
    assert client.get(reverse("api:rapid-review-pdf", args=[review.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="download").exists()


def test_a_pending_decision_reads_as_pending_in_the_pdf(world, client, tmp_path):
    review = advance(world, "meeting_held")
    services.record_decision(review=review, actor=world.lead, pending=True, expected_on=EXPECTED)
    liaison = member(world.partnership, Role.PANEL_LIAISON, username="liaison")
    assign_perm("view_case", liaison, world.case)
    log_in(client, liaison)
    response = client.get(reverse("api:rapid-review-pdf", args=[review.pk]))
    assert response.status_code == 200
    text, _info = pdf_text(tmp_path, response.content)
    assert f"The decision is pending. It is expected by {long_date(EXPECTED)}." in re.sub(r"\s+", " ", text)


def test_the_pdf_shows_the_partners_reasons_for_a_decision_against_the_criteria(world, client, tmp_path):
    review = advance(world, "meeting_held")
    services.record_decision(
        review=review,
        actor=world.lead,
        decision="local_cspr",
        rationale="Much to learn.",
        criteria_departure_reasons="The family asked for a review; the agencies agree.",
        national_review_may_be_appropriate=True,
        national_review_reasons="The same pattern in three areas.",
        decided_on=D(2026, 4, 15),
    )
    log_in(client, world.manager)
    response = client.get(reverse("rapid_review:pdf", args=[review.pk]))
    text = re.sub(r"\s+", " ", pdf_text(tmp_path, response.content)[0])
    assert "Why the partners decided against the criteria recorded" in text
    assert "The family asked for a review; the agencies agree." in text
    assert "Only the Panel decides on a national review." in text
    assert "The same pattern in three areas." in text


def test_the_pdf_lists_the_cases_clocks_and_says_which_were_met_late(world, client, tmp_path):
    from cspr import services as kernel_services

    review = full_review(world)
    # Awareness Monday 30 March 2026: due Wednesday 8 April (Easter skipped); notified
    # Friday 10 April, 2 working days late.
    kernel_services.open_deadline(
        rule="notify_panel",
        subject=world.notification,
        partnership=world.partnership,
        start_date=D(2026, 3, 30),
        reference=world.case.reference,
    )
    kernel_services.meet_deadline(rule="notify_panel", subject=world.notification, met_on=D(2026, 4, 10))
    log_in(client, world.manager)
    response = client.get(reverse("rapid_review:pdf", args=[review.pk]))
    text, _info = pdf_text(tmp_path, response.content)
    clocks = re.sub(r"\s+", " ", text).split("14. Statutory clocks", 1)[1]
    assert "Notify the National Panel" in clocks and "8 April 2026" in clocks
    assert "Met late: 2 working days (met on 10 April 2026)" in clocks
    # The rapid review itself, sent on 21 April, due 27 April: met on time.
    assert "Complete the rapid review and send it to the Panel" in clocks
    assert "Met on 21 April 2026" in clocks


def _table_rows(pdf: bytes) -> list[list[str]]:
    """The cell types (/TH, /TD) of each table row in the PDF's structure tree."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    def node(value):
        return value.get_object() if hasattr(value, "get_object") else value

    def kids(element):
        k = node(element.get("/K"))
        items = k if isinstance(k, ArrayObject | list) else [k]
        return [node(i) for i in items if hasattr(node(i), "get")]

    rows, stack = [], [node(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])]
    while stack:
        element = stack.pop()
        children = kids(element)
        if element.get("/S") == "/TR":
            rows.append([c.get("/S") for c in children])
        stack.extend(children)
    return rows


def test_every_key_value_row_of_the_pdf_has_a_row_header_for_screen_readers(world, client):
    review = full_review(world)
    log_in(client, world.manager)
    rows = _table_rows(client.get(reverse("rapid_review:pdf", args=[review.pk])).content)
    key_value_rows = [cells for cells in rows if len(cells) == 2]
    assert len(key_value_rows) >= 20  # the case, the child, sign-off
    assert all(cells == ["/TH", "/TD"] for cells in key_value_rows)
    assert not any(cells and cells[0] == "/TD" and len(cells) == 2 for cells in rows)


def test_a_10000_character_word_wraps_inside_the_page(world, client, tmp_path):
    review = advance(world, "open")
    word = "W" * 10_000  # a pasted string with no space in it
    services.add_agency_return(
        review=review, actor=world.manager, agency=world.health, requested_on=D(2026, 4, 3), summary=word
    )
    log_in(client, world.manager)
    path = tmp_path / "review.pdf"
    path.write_bytes(client.get(reverse("rapid_review:pdf", args=[review.pk])).content)
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    right_margin = 18 / 25.4 * 72  # 18 mm (templates/pdf/base.html)
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout
    )
    assert words
    assert max(float(x_max) for _, x_max, _ in words) <= page_width - right_margin + 1
    assert min(float(x_min) for x_min, _, _ in words) >= 0
    # Every character is on a page: wrapped, not cut off.
    assert sum(len(text) for _, _, text in words if set(text) == {"W"}) == 10_000
