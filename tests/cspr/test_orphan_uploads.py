"""Documents left on disk by an upload whose transaction rolled back are removed by a
daily scan; documents a row refers to, and anything that is not a stored document,
are never touched."""

import time

import pytest
from django.conf import settings
from django.db import transaction

from cspr.roles import Role
from cspr.uploads import remove_orphan_uploads
from reviews.models import DraftVersion
from reviews.services import upload_draft
from tests.factories import PartnershipFactory, commissioned_review, member, pdf_upload

pytestmark = pytest.mark.django_db

TWO_DAYS_LATER = time.time() + 2 * 24 * 3600


class RolledBack(Exception):
    pass


def stored_files():
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_a_file_left_by_a_rolled_back_upload_is_removed_and_kept_files_stay():
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)
    kept = upload_draft(review=review, actor=manager, file=pdf_upload())
    with pytest.raises(RolledBack), transaction.atomic():
        upload_draft(review=review, actor=manager, file=pdf_upload("second.pdf"))
        raise RolledBack  # e.g. a later step of the same request failed
    assert DraftVersion.objects.count() == 1
    assert len(stored_files()) == 2  # the rolled-back upload is still on disk
    not_ours = settings.MEDIA_ROOT / "README.txt"
    not_ours.write_text("Not a stored document: never removed.")

    assert remove_orphan_uploads() == 0  # too recent: its transaction may still be running
    assert remove_orphan_uploads(now=TWO_DAYS_LATER) == 1
    assert stored_files() == sorted([settings.MEDIA_ROOT / kept.file.name, not_ours])
    with kept.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    assert remove_orphan_uploads(now=TWO_DAYS_LATER) == 0


def test_the_scan_is_scheduled_daily():
    schedule = settings.CELERY_BEAT_SCHEDULE["remove-orphan-uploads"]
    assert schedule["task"] == "cspr.remove_orphan_uploads"
    assert schedule["schedule"].hour == {3}
