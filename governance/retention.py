"""Disposal under each partnership's retention schedule (UK GDPR storage limitation).

``scan`` finds every record past its period and not under a legal hold; ``dispose``
erases or pseudonymises it, as ``models.ACTIONS`` says for its kind, and writes one
``DisposalRecord`` (kind, id, rule, date: nothing about the child). A period left
empty keeps that kind for ever: the default is no automatic disposal.

Idempotent: an erased row is gone, and a pseudonymised one has its disposal record,
so a second run (or a run after a crash: each partnership's disposals commit in one
transaction) finds nothing more. The daily task holds an advisory lock, so two
workers never scan at once. The audit trail keeps its rows: they name staff and
references, never a child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseChild, ChronologyEntry, Referral, ReferralChild
from cspr import audit, locks
from cspr.models import Membership, Partnership
from messaging.models import DeliveryLog, EmailStatus, Message
from reviews.models import DraftVersion

from .models import ACTIONS, DisposalRecord, LegalHold, RecordKind, RetentionSchedule

#: Statuses after which a case is over: its retention clock runs from its last change.
FINISHED_CASE = [Case.Status.CLOSED, Case.Status.WITHDRAWN]
#: E-mail outbox entries that are finished (nothing more will be sent).
FINISHED_EMAIL = [EmailStatus.SENT, EmailStatus.ABANDONED, EmailStatus.CANCELLED]


@dataclass(frozen=True)
class Candidate:
    partnership_id: int
    kind: str
    object_id: int
    rule: str

    @property
    def action(self) -> str:
        return ACTIONS[self.kind]


def _held(case_path: str):
    """An Exists() for a live legal hold on the case at ``case_path`` ('' = the row)."""
    return Exists(LegalHold.objects.filter(case=OuterRef(case_path or "pk"), lifted_at__isnull=True))


def _not_disposed(kind: str):
    return ~Exists(DisposalRecord.objects.filter(kind=kind, object_id=OuterRef("pk")))


def _rule(kind: str, months: int) -> str:
    return f"{RecordKind(kind).label}: {months} months"


def _querysets(partnership: Partnership, kind: str, cutoff: dt.datetime):
    """The rows of ``kind`` of the partnership past ``cutoff`` and not held."""
    if kind == RecordKind.DECLINED_REFERRAL:
        return Referral.objects.filter(
            partnership=partnership,
            status=Referral.Status.DECLINED,
        ).filter(Q(triaged_at__lt=cutoff) | Q(triaged_at__isnull=True, updated_at__lt=cutoff))
    if kind == RecordKind.REFERRAL_IDENTITY:
        return (
            Referral.objects.filter(
                partnership=partnership,
                case__status__in=FINISHED_CASE,
                case__updated_at__lt=cutoff,
            )
            .exclude(_held("case"))
            .filter(_not_disposed(kind))
        )
    if kind == RecordKind.DRAFT_REPORT:
        return DraftVersion.objects.filter(
            review__case__partnership=partnership,
            review__publication__published_on__lt=cutoff.date(),
        ).exclude(_held("review__case"))
    if kind == RecordKind.CLOSED_CASE:
        return (
            Case.objects.filter(
                partnership=partnership,
                status__in=FINISHED_CASE,
                updated_at__lt=cutoff,
            )
            .exclude(_held(""))
            .filter(_not_disposed(kind))
        )
    if kind == RecordKind.MESSAGE:
        return Message.objects.filter(created_at__lt=cutoff).filter(
            Q(deadline__partnership=partnership)
            | Q(
                deadline__isnull=True,
                recipient__in=Membership.objects.filter(partnership=partnership).values("user"),
            )
        )
    if kind == RecordKind.DELIVERY_LOG:
        return DeliveryLog.objects.filter(created_at__lt=cutoff, status__in=FINISHED_EMAIL).filter(
            Q(deadline__partnership=partnership)
            | Q(
                deadline__isnull=True,
                recipient__in=Membership.objects.filter(partnership=partnership).values("user"),
            )
        )
    raise ValueError(kind)


def scan(*, now: dt.datetime | None = None, partnerships=None) -> list[Candidate]:
    """Everything past its period and not held, every partnership with a schedule."""
    now = now or timezone.now()
    schedules = RetentionSchedule.objects.select_related("partnership")
    if partnerships is not None:
        schedules = schedules.filter(partnership__in=partnerships)
    found: list[Candidate] = []
    for schedule in schedules.order_by("partnership_id"):
        for kind in RecordKind.values:
            months = schedule.months(kind)
            if months is None:
                continue
            cutoff = now - relativedelta(months=months)
            rows = _querysets(schedule.partnership, kind, cutoff).order_by("pk")
            found.extend(
                Candidate(schedule.partnership_id, kind, pk, _rule(kind, months))
                for pk in rows.values_list("pk", flat=True).distinct()
            )
    return found


# -- What disposal does to each kind ---------------------------------------------

#: Each referral child's identity (``ReferralChild``): blanked.
IDENTITY_FIELDS = {"name": "", "date_of_birth": None, "address": ""}
REFERRAL_FREE_TEXT = {
    "incident_description": "",
    "why_criteria_met": "",
    "concerns_about_agencies": "",
    "information_request": "",
    "information_response": "",
    "decline_reason": "",
}
CASE_FREE_TEXT = {"withdrawn_reason": ""}
#: The free text of each case child (the coded characteristics stay: they are the
#: figures the statistics count, and identify no one).
CASE_CHILD_FREE_TEXT = {"ethnicity_detail": "", "disability_kind": ""}


def _delete_files(names: list[str]) -> None:
    def remove():
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(remove)


def _dispose(kind: str, ids: list[int]) -> None:
    if kind == RecordKind.DECLINED_REFERRAL:
        Referral.objects.filter(pk__in=ids, status=Referral.Status.DECLINED).delete()
    elif kind == RecordKind.REFERRAL_IDENTITY:
        ReferralChild.objects.filter(referral_id__in=ids).update(**IDENTITY_FIELDS)
    elif kind == RecordKind.DRAFT_REPORT:
        drafts = DraftVersion.objects.filter(pk__in=ids)
        _delete_files(list(drafts.values_list("file", flat=True)))
        drafts.delete()
    elif kind == RecordKind.CLOSED_CASE:
        ChronologyEntry.objects.filter(case_id__in=ids).delete()
        Case.objects.filter(pk__in=ids).update(**CASE_FREE_TEXT)
        CaseChild.objects.filter(case_id__in=ids).update(**CASE_CHILD_FREE_TEXT)
        Referral.objects.filter(case__in=ids).update(**REFERRAL_FREE_TEXT)
        ReferralChild.objects.filter(referral__case__in=ids).update(**IDENTITY_FIELDS)
    elif kind == RecordKind.MESSAGE:
        DeliveryLog.objects.filter(message_id__in=ids).update(message=None)
        Message.objects.filter(pk__in=ids).delete()
    elif kind == RecordKind.DELIVERY_LOG:
        DeliveryLog.objects.filter(pk__in=ids).delete()


def dispose(candidates: list[Candidate]) -> int:
    """Dispose of ``candidates`` and record each; one transaction per partnership."""
    by_partnership: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_partnership.setdefault(candidate.partnership_id, []).append(candidate)
    done = 0
    for partnership_id, items in by_partnership.items():
        with transaction.atomic():
            by_kind: dict[str, list[Candidate]] = {}
            for item in items:
                by_kind.setdefault(item.kind, []).append(item)
            # Pseudonymising a case blanks its referral too: do it before the referral rule
            # looks, and never dispose of one id twice in a run.
            for kind, rows in by_kind.items():
                ids = sorted({row.object_id for row in rows})
                _dispose(kind, ids)
                DisposalRecord.objects.bulk_create(
                    [
                        DisposalRecord(
                            partnership_id=partnership_id,
                            kind=kind,
                            object_id=row.object_id,
                            action=row.action,
                            rule=row.rule,
                        )
                        for row in rows
                    ],
                    ignore_conflicts=True,
                )
            counts = {kind: len(rows) for kind, rows in by_kind.items()}
            audit.record(
                actor=None,
                action=audit.Action.DELETE,
                partnership=Partnership(pk=partnership_id),
                label="Disposal under the retention schedule",
                detail={"disposed": counts},
            )
            done += len(items)
    return done


def run_retention(*, now: dt.datetime | None = None) -> int | None:
    """The daily scan: dispose of what is past its period; None if another worker
    holds the lock. Returns how many records were disposed of."""
    with transaction.atomic():
        if not locks.try_advisory_xact_lock(locks.RETENTION_SCAN):
            return None
        candidates = scan(now=now)
        return dispose(candidates)
