"""A change that committed is never followed by a page saying nothing was changed.

The session is saved after the view, once the view's transaction has committed. When
that save fails (the session was ended meanwhile, or the database connection
dropped) or the page after the change fails, the user is told their change was
saved, not "Nothing was changed", which once made a manager upload the same draft
twice. A change that did not commit keeps the error page, which is then true."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from cspr.roles import Role
from reviews import services
from reviews.models import DraftVersion
from tests.factories import PartnershipFactory, commissioned_review, docx_upload, log_in, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _the_session_is_due_for_renewal(settings):
    """The session is saved after the upload: its idle timeout is due to be renewed
    (as it is at most a minute after the last renewal), so its save can fail."""
    settings.SESSION_RENEW_SECONDS = 0


SAVED = "Your change was saved"
NOTHING_CHANGED = "Nothing was changed"


@pytest.fixture
def upload(monkeypatch):
    """Upload a draft through its page as a business manager; ``after`` runs once the
    upload has committed, before the response (and so before the session is saved)."""
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    review = commissioned_review(partnership, manager)

    def post(after, *, client=None):
        real = services.upload_draft

        def upload_draft(**kwargs):
            draft = real(**kwargs)
            after()
            return draft

        monkeypatch.setattr(services, "upload_draft", upload_draft)
        client = client or Client()
        log_in(client, manager)
        response = client.post(reverse("reviews:draft-add", args=[review.pk]), {"file": docx_upload()})
        connection.close()  # the test's own connection may be the one that dropped
        return response, review

    return post


def signed_out_elsewhere():
    Session.objects.all().delete()  # another tab signed out while the upload ran


def test_session_ended_after_the_upload_committed_says_it_was_saved_and_links_to_the_review(upload):
    response, review = upload(signed_out_elsewhere)
    html = response.content.decode()
    assert response.status_code == 200
    assert SAVED in html and "Do not send it again" in html
    assert NOTHING_CHANGED not in html
    assert f'href="{reverse("reviews:review-detail", args=[review.pk])}"' in html
    assert DraftVersion.objects.filter(review=review).count() == 1
    assert response.cookies["messages"].value  # "The draft has been uploaded." kept for the next page


def test_database_connection_dropped_after_the_upload_committed_says_it_was_saved(upload):
    def drop_the_connection():
        pid = connection.cursor().connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    response, review = upload(drop_the_connection)
    html = response.content.decode()
    assert response.status_code == 200
    assert SAVED in html and "half-saved" not in html
    assert DraftVersion.objects.filter(review=review).count() == 1


def test_the_page_after_the_upload_failing_says_it_was_saved(upload):
    def crash():
        raise RuntimeError("the page after the change failed")

    response, review = upload(crash, client=Client(raise_request_exception=False))
    html = response.content.decode()
    assert response.status_code == 200
    assert SAVED in html and "half-saved" not in html
    assert DraftVersion.objects.filter(review=review).count() == 1


def test_a_refused_upload_whose_session_ended_still_says_nothing_was_changed(upload, monkeypatch):
    real = services.upload_draft

    def refused(after):
        def upload_draft(**kwargs):
            after()
            with transaction.atomic():
                real(**kwargs)  # written, then rolled back: nothing committed
                raise ValidationError("Refused after all.")

        return upload_draft

    # The fixture's wrapper calls ours, which ends the session and is refused.
    monkeypatch.setattr(services, "upload_draft", refused(signed_out_elsewhere))
    response, review = upload(lambda: None)
    assert response.status_code == 400
    assert NOTHING_CHANGED in response.content.decode()
    assert not DraftVersion.objects.filter(review=review).exists()
