"""Drafts and final reports: PDF, DOCX or ODT by content, size-limited, stored
under a random name, downloaded only through a checked, audited view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cspr.models import AuditEvent
from cspr.roles import Role
from cspr.uploads import check_document
from reviews.models import DraftVersion
from tests.factories import (
    PartnershipFactory,
    commissioned_review,
    docx_upload,
    log_in,
    member,
    odt_upload,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def test_pdf_docx_and_odt_are_recognised_by_their_content():
    assert check_document(pdf_upload()) == "pdf"
    assert check_document(docx_upload()) == "docx"
    assert check_document(odt_upload()) == "odt"


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"), "content does not match"),
        (SimpleUploadedFile("report.exe", b"%PDF-1.7"), "must be a PDF"),
        (docx_upload("report.pdf"), "ends .pdf but its content is a Word document"),
        (SimpleUploadedFile("report.docx", b"PK\x03\x04garbage"), "content does not match"),
    ],
)
def test_an_upload_that_is_not_what_its_name_says_is_refused(upload, message):
    with pytest.raises(ValidationError, match=message):
        check_document(upload)


def test_an_oversized_upload_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than"):
        check_document(pdf_upload(body=b"x" * 200))


def test_a_fake_pdf_draft_is_refused_on_the_page_and_nothing_is_saved(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)
    log_in(client, manager)
    response = client.post(
        reverse("reviews:draft-add", args=[review.pk]),
        {"file": SimpleUploadedFile("draft.pdf", b"MZ\x90\x00 not a pdf")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "its content does not match its name" in html
    assert "<title>Error:" in html
    assert not DraftVersion.objects.exists()


def test_drafts_keep_a_version_history_stored_under_random_names_and_downloads_are_audited(client, settings):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)
    log_in(client, manager)
    for upload in (pdf_upload("Jordan Smith draft.pdf"), odt_upload("second.odt")):
        assert (
            client.post(reverse("reviews:draft-add", args=[review.pk]), {"file": upload}).status_code == 302
        )
    drafts = list(DraftVersion.objects.order_by("version"))
    assert [d.version for d in drafts] == [1, 2]
    assert "Jordan" not in drafts[0].file.name and drafts[0].file.name.endswith(".pdf")
    assert str(settings.MEDIA_ROOT) in drafts[0].file.path
    response = client.get(reverse("reviews:draft-download", args=[review.pk, drafts[0].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="download", actor=manager).exists()
    outsider = member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    log_in(client, outsider)
    assert client.get(reverse("reviews:draft-download", args=[review.pk, drafts[0].pk])).status_code == 404
