"""Subject access packs (business managers, audited, the deceased noted) and the
privacy notice linked from every page."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from cspr.models import AuditEvent
from governance.models import PrivacyNotice
from tests.factories import log_in, review_case

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_a_business_manager_builds_an_audited_pack(north, manager):
    case = review_case(north, child_name="Jordan Lee Smith")
    page = reverse("governance:subject-access", args=[case.pk])
    client = signed_in(manager)
    assert client.get(page).status_code == 200
    response = client.post(page)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "referral.json", "records.json", "audit.csv"} <= names
    assert "Jordan Lee Smith" in archive.read("referral.json").decode()
    readme = archive.read("README.txt").decode()
    assert "redact" in readme and "outside UK GDPR" not in readme
    event = AuditEvent.objects.get(action="export", subject_id=case.pk, actor=manager)
    assert "Jordan" not in str(event.detail) + event.subject_label


def test_the_pack_says_the_deceased_are_outside_uk_gdpr(north, manager):
    case = review_case(north, child_name="Frankie Ellison", children__nature="died")
    response = signed_in(manager).post(reverse("governance:subject-access", args=[case.pk]))
    readme = zipfile.ZipFile(io.BytesIO(response.content)).read("README.txt").decode()
    assert "outside UK GDPR" in readme


def test_others_cannot_build_a_pack(north, practitioner, outsider):
    case = review_case(north, child_name="Jordan Lee Smith")
    page = reverse("governance:subject-access", args=[case.pk])
    assert signed_in(outsider).post(page).status_code == 404
    assert signed_in(practitioner).post(page).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_privacy_notice_is_public_linked_from_every_page_and_editable(north, client):
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/privacy/"' in login
    assert north.name in client.get("/privacy/").content.decode()
    PrivacyNotice.objects.create(
        partnership=north, lawful_basis="Article 6(1)(e) public task", dpo_contact="dpo@north.example"
    )
    page = client.get(reverse("governance:privacy-partnership", args=[north.pk])).content.decode()
    assert "Article 6(1)(e) public task" in page and "dpo@north.example" in page
    assert "Not yet decided" in page
