"""Refusals: publishing too early (and the partner lead's override), taking down
inside the 12 months, partial publication without a reason."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from cspr.workdays import add_working_days
from publication import services
from publication.models import Publication
from tests.factories import log_in, member

pytestmark = pytest.mark.django_db


def _copies(ready, day):
    ready.publication = services.record_copies(
        publication=ready.publication,
        actor=ready.manager,
        copy_to_panel_on=day - dt.timedelta(days=1),
        copy_to_secretary_of_state_on=day,
        copy_to_ofsted_on=day - dt.timedelta(days=1),
    )


BACKDATED = "Published on the partnership's website before it was recorded here."


def _as_if_recorded_on(publication, day):
    """A publication recorded here on ``day`` (long ago): its 12 months count from it."""
    until = day + relativedelta(months=12)
    Publication.objects.filter(pk=publication.pk).update(published_recorded_on=day, public_until=until)
    Deadline.objects.filter(rule="publication_window", subject_id=publication.pk).update(
        start_date=day, due_date=until
    )


def test_publishing_before_seven_working_days_after_the_later_copy_is_refused_on_the_page(client, ready):
    today = timezone.localdate()
    _copies(ready, today)
    log_in(client, ready.manager)
    response = client.post(
        reverse("publication:publication-publish", args=[ready.publication.pk]),
        {"published_on": today.isoformat(), "override_reason": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "It is too early to publish" in html
    assert "<title>Error:" in html
    ready.publication.refresh_from_db()
    assert ready.publication.status == Publication.Status.PREPARING


def test_publishing_needs_the_copies_recorded_first(ready):
    with pytest.raises(ValidationError, match="copies"):
        services.publish(publication=ready.publication, actor=ready.manager)


def test_a_partner_lead_can_publish_early_with_a_reason_and_it_is_audited(ready):
    today = timezone.localdate()
    _copies(ready, today)
    with pytest.raises(ValidationError):
        services.publish(
            publication=ready.publication, actor=ready.manager, override_reason="Family asked for it"
        )
    publication = services.publish(
        publication=ready.publication, actor=ready.lead, override_reason="Coroner's timetable"
    )
    assert publication.status == "published"
    assert publication.early_publication_reason == "Coroner's timetable"
    event = AuditEvent.objects.filter(
        subject_label=f"Publication {publication.pk}", action="transition"
    ).latest("id")
    assert event.detail["early"] is True and event.detail["override_reason"] == "Coroner's timetable"


def test_publishing_on_the_seventh_working_day_is_allowed(ready):
    sent = dt.date(2025, 7, 9)
    _copies(ready, sent)
    assert services.earliest_publication_date(ready.publication) == add_working_days(sent, 7)
    publication = services.publish(
        publication=ready.publication,
        actor=ready.lead,
        published_on=add_working_days(sent, 7),
        backdating_reason=BACKDATED,
    )
    assert publication.status == "published"


def test_taking_down_inside_the_window_is_refused_to_a_business_manager_and_without_a_reason(client, ready):
    today = timezone.localdate()
    _copies(ready, today - dt.timedelta(days=30))
    services.publish(
        publication=ready.publication,
        actor=ready.lead,
        published_on=today - dt.timedelta(days=10),
        backdating_reason=BACKDATED,
    )
    log_in(client, ready.manager)
    url = reverse("publication:publication-take-down", args=[ready.publication.pk])
    response = client.post(url, {"reason": "We would rather not"})
    assert "only a partner lead can take it down" in response.content.decode()
    log_in(client, ready.lead)
    response = client.post(url, {"reason": ""})
    assert "Enter the reason for taking the report down" in response.content.decode()
    ready.publication.refresh_from_db()
    assert ready.publication.status == "published"
    response = client.post(url, {"reason": "Court order of 1 December"})
    assert response.status_code == 302
    ready.publication.refresh_from_db()
    assert ready.publication.status == "taken_down"
    window = Deadline.objects.get(rule="publication_window", subject_id=ready.publication.pk)
    assert window.status == "waived"
    assert client.get(reverse("publication:published-detail", args=[ready.publication.pk])).status_code == 404
    assert client.get(reverse("publication:published-file", args=[ready.publication.pk])).status_code == 404


def test_after_the_window_a_business_manager_may_take_it_down_with_a_reason(ready):
    _copies(ready, dt.date(2025, 6, 2))
    services.publish(
        publication=ready.publication,
        actor=ready.lead,
        published_on=dt.date(2025, 6, 20),
        backdating_reason=BACKDATED,
    )
    _as_if_recorded_on(ready.publication, dt.date(2025, 6, 20))
    publication = services.take_down(
        publication=ready.publication,
        actor=ready.manager,
        reason="Window over; replaced by the thematic review",
    )
    assert publication.status == "taken_down"
    window = Deadline.objects.get(rule="publication_window", subject_id=publication.pk)
    assert (window.status, window.met_on) == ("met", dt.date(2026, 6, 20))


def test_publishing_only_the_information_about_improvements_needs_a_reason(client, ready):
    log_in(client, ready.manager)
    response = client.post(
        reverse("publication:publication-edit", args=[ready.publication.pk]),
        {
            "title": "Child E: review",
            "reviewer_names": "Dr Example",
            "child_pseudonym": "Child E",
            "summary_of_improvements": "Improve",
            "systemic_analysis": "",
            "scope": "improvements_only",
            "scope_reason": "",
        },
    )
    assert "Enter why the full report will not be published" in response.content.decode()
    ready.publication.refresh_from_db()
    assert ready.publication.scope == "full"


def test_a_practitioner_cannot_publish_or_see_the_publication(client, ready):
    practitioner = member(ready.partnership, Role.PRACTITIONER)
    with pytest.raises(PermissionDenied):
        services.publish(publication=ready.publication, actor=practitioner)
    log_in(client, practitioner)
    assert (
        client.get(reverse("publication:publication-detail", args=[ready.publication.pk])).status_code == 404
    )


def test_another_partnership_gets_404_on_the_publication_pages(client, ready):
    from tests.factories import PartnershipFactory

    outsider = member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    log_in(client, outsider)
    for name in (
        "publication-detail",
        "publication-edit",
        "publication-plan",
        "publication-copies",
        "publication-publish",
        "publication-take-down",
        "publication-file",
    ):
        assert client.get(reverse(f"publication:{name}", args=[ready.publication.pk])).status_code == 404, (
            name
        )
    assert client.get(reverse("publication:final-report-add", args=[ready.review.pk])).status_code == 404


def test_public_pages_show_only_published_reports(client, ready):
    assert "Child E" not in client.get("/published/").content.decode()
    assert client.get(reverse("publication:published-detail", args=[ready.publication.pk])).status_code == 404
    assert client.get(reverse("publication:published-file", args=[ready.publication.pk])).status_code == 404
    assert "Child E" not in client.get("/published/feed/").content.decode()
    _copies(ready, dt.date(2025, 7, 1))
    services.publish(
        publication=ready.publication,
        actor=ready.lead,
        published_on=dt.date(2025, 7, 15),
        backdating_reason=BACKDATED,
    )
    assert "Child E" in client.get("/published/").content.decode()
    assert "Child E" in client.get(f"/published/{ready.partnership.code}/").content.decode()
    feed = client.get("/published/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Child E: review" in body and "Dr Example" in body and "enclosure" in body
    download = client.get(reverse("publication:published-file", args=[ready.publication.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="download", subject_label=f"Publication {ready.publication.pk}"
    ).exists()
