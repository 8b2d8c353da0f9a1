"""Retention and disposal: nothing goes until a period is set; what is past its period
and not held is erased or pseudonymised, recorded, once; a legal hold stops it."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ChronologyEntry, Referral
from cspr.models import AuditEvent
from cspr.roles import Role
from governance import retention, services
from governance.models import DisposalRecord, LegalHold, RetentionSchedule
from messaging.models import DeliveryLog, Message
from publication.models import Publication
from reviews.models import DraftVersion
from tests.factories import ReferralFactory, commissioned_review, log_in, member, review_case

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=800)


def old(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


@pytest.fixture
def lead(north):
    return member(north, Role.PARTNER_LEAD, username="priya")


@pytest.fixture
def records(north, practitioner, manager):
    declined = ReferralFactory(partnership=north, author=practitioner, status=Referral.Status.DECLINED)
    old(Referral, declined.pk, triaged_at=LONG_AGO, updated_at=LONG_AGO)
    closed = review_case(north, child_name="Jordan Lee Smith", status=Case.Status.CLOSED)
    ChronologyEntry.objects.create(case=closed, date=dt.date(2026, 1, 2), entry="Seen by GP")
    old(Case, closed.pk, updated_at=LONG_AGO)
    still_open = review_case(north, child_name="Casey Brook")
    message = Message.objects.create(
        recipient=manager, kind="digest", milestone="digest-x", subject="Digest", body="Body"
    )
    old(Message, message.pk, created_at=LONG_AGO)
    return {"declined": declined, "closed": closed, "open": still_open, "message": message}


def test_nothing_is_disposed_of_until_a_period_is_set(records, north):
    RetentionSchedule.objects.create(partnership=north)
    assert retention.scan() == []
    assert retention.run_retention() == 0
    assert Referral.objects.filter(pk=records["declined"].pk).exists()


def test_past_its_period_is_erased_or_pseudonymised_and_recorded_once(records, north):
    RetentionSchedule.objects.create(
        partnership=north,
        declined_referral_months=12,
        referral_identity_months=12,
        closed_case_months=24,
        message_months=12,
    )
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert f"declined_referral\t{records['declined'].pk}\terase" in listed
    assert f"closed_case\t{records['closed'].pk}\tpseudonymise" in listed
    assert "Jordan" not in listed
    assert Referral.objects.filter(pk=records["declined"].pk).exists()  # a dry run changes nothing

    done = retention.run_retention()
    assert done == 4
    assert not Referral.objects.filter(pk=records["declined"].pk).exists()
    closed = Case.objects.get(pk=records["closed"].pk)
    assert closed.reference and not closed.chronology.exists()
    assert [(c.name, c.address, c.date_of_birth) for c in closed.referral.children.all()] == [("", "", None)]
    assert closed.children.get().initials == "J.L.S."  # the pseudonym and coded details stay
    assert not Message.objects.filter(pk=records["message"].pk).exists()
    # Open cases are kept.
    assert Referral.objects.get(case=records["open"]).children.get().name == "Casey Brook"
    kinds = set(DisposalRecord.objects.values_list("kind", "object_id"))
    assert ("declined_referral", records["declined"].pk) in kinds
    assert ("closed_case", records["closed"].pk) in kinds
    for record in DisposalRecord.objects.all():
        assert "Jordan" not in f"{record.rule} {record.get_kind_display()}"
    event = AuditEvent.objects.get(action="delete", subject_label="Disposal under the retention schedule")
    assert event.actor is None and "Jordan" not in str(event.detail)

    # Idempotent: a second run finds nothing more.
    before = DisposalRecord.objects.count()
    assert retention.scan() == []
    assert retention.run_retention() == 0
    assert DisposalRecord.objects.count() == before


def test_a_held_case_is_never_disposed_of(records, north, lead):
    RetentionSchedule.objects.create(partnership=north, referral_identity_months=1, closed_case_months=1)
    hold = services.place_legal_hold(
        actor=lead,
        case=records["closed"],
        reason=LegalHold.Reason.CRIMINAL_TRIAL,
        detail="Trial listed at the Crown Court",
    )
    retention.run_retention()
    closed = Case.objects.get(pk=records["closed"].pk)
    assert closed.chronology.exists() and closed.referral.children.get().name == "Jordan Lee Smith"
    assert not DisposalRecord.objects.filter(object_id=closed.pk, kind="closed_case").exists()

    services.lift_legal_hold(actor=lead, hold=hold, reason="The trial has ended")
    retention.run_retention()
    assert not Case.objects.get(pk=closed.pk).chronology.exists()


def test_drafts_go_once_the_final_report_is_published(north, manager, django_capture_on_commit_callbacks):
    review = commissioned_review(north, manager)
    name = default_storage.save("drafts/2026/x.pdf", ContentFile(b"%PDF-1.7 draft"))
    draft = DraftVersion.objects.create(review=review, version=1, file=name)
    Publication.objects.create(
        review=review,
        partnership=north,
        title="Final report",
        file="reports/r.pdf",
        summary_of_improvements="-",
        published_on=dt.date(2024, 1, 1),
        status=Publication.Status.PUBLISHED,
    )
    RetentionSchedule.objects.create(partnership=north, draft_report_months=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.run_retention() == 1
    assert not DraftVersion.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(name)


def test_finished_emails_go_and_queued_ones_stay(north, manager):
    sent = DeliveryLog.objects.create(milestone="m1", recipient=manager, channel="email", status="sent")
    queued = DeliveryLog.objects.create(milestone="m2", recipient=manager, channel="email", status="queued")
    DeliveryLog.objects.filter(pk__in=[sent.pk, queued.pk]).update(created_at=LONG_AGO)
    RetentionSchedule.objects.create(partnership=north, delivery_log_months=12)
    retention.run_retention()
    assert list(DeliveryLog.objects.values_list("pk", flat=True)) == [queued.pk]


def test_the_daily_scan_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["retention-scan"]
    assert entry["task"] == "governance.retention_scan"
    from governance.tasks import retention_scan_task

    assert retention_scan_task.delay().get() == 0


# -- Legal holds through the pages ---------------------------------------------------


def test_a_partner_lead_places_and_lifts_a_hold_audited(north, lead, manager):
    case = review_case(north)
    client = Client()
    log_in(client, lead)
    page = reverse("governance:legal-hold-create", args=[case.pk])
    response = client.post(page, {"reason": "inquest", "detail": "Coroner's inquest opened"})
    assert response.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.is_live and hold.placed_by == lead
    detail = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Legal holds" in detail and "Inquest" in detail
    listing = client.get(reverse("governance:home")).content.decode()
    assert case.reference in listing
    response = client.post(
        reverse("governance:legal-hold-lift", args=[hold.pk]), {"reason": "The inquest has concluded"}
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.is_live and hold.lift_reason == "The inquest has concluded"
    assert AuditEvent.objects.filter(subject_label__startswith=f"Legal hold {hold.pk}").count() == 2

    # A business manager sees holds but cannot place one.
    log_in(client, manager)
    assert client.post(page, {"reason": "inquest", "detail": "x"}).status_code == 403
