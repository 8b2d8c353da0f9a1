"""Tamper evidence for the audit trail without serialising its writes.

Writers append audit events as before (no lock, no chain per row). A scheduled task
(``cspr.seal_audit_trail``) seals the events added since the last seal: the SHA-256
of the previous seal's hash and of each row, in id order, as canonical JSON. Rows
are sealed once they are ``AUDIT_SEAL_GRACE_MINUTES`` old, so that a transaction
still open when the seal is made (its id lower than a committed one's) is not left
out. ``verify`` recomputes every seal and names the first one that no longer
matches: a row changed, removed or slipped in afterwards, or a seal altered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import locks
from .models import AuditEvent, AuditSeal

GENESIS = "0" * 64
FIELDS = [
    "id",
    "at",
    "actor_id",
    "partnership_id",
    "action",
    "subject_type_id",
    "subject_id",
    "subject_label",
    "detail",
]


def _row_bytes(row: dict) -> bytes:
    values = dict(row)
    values["at"] = values["at"].astimezone(dt.UTC).isoformat()
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode(
        "utf-8"
    )


def _digest(previous_hash: str, first_id: int, last_id: int) -> tuple[str, int]:
    """The hash and row count of the events with ids first_id..last_id."""
    sha = hashlib.sha256(previous_hash.encode("ascii"))
    count = 0
    rows = AuditEvent.objects.filter(id__gte=first_id, id__lte=last_id).order_by("id").values(*FIELDS)
    for row in rows.iterator(chunk_size=2000):
        sha.update(b"\n")
        sha.update(_row_bytes(row))
        count += 1
    return sha.hexdigest(), count


def seal(*, now: dt.datetime | None = None, grace: dt.timedelta | None = None) -> AuditSeal | None:
    """Seal the events added since the last seal that are older than the grace
    period; None when there are none or another worker is sealing."""
    now = now or timezone.now()
    if grace is None:
        grace = dt.timedelta(minutes=getattr(settings, "AUDIT_SEAL_GRACE_MINUTES", 10))
    with transaction.atomic():
        if not locks.try_advisory_xact_lock(locks.AUDIT_SEAL):
            return None
        last = AuditSeal.objects.order_by("-last_id").first()
        after = last.last_id if last else 0
        boundary = (
            AuditEvent.objects.filter(id__gt=after, at__lte=now - grace)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        if boundary is None:
            return None
        first_id = after + 1
        digest, count = _digest(last.hash if last else GENESIS, first_id, boundary)
        return AuditSeal.objects.create(
            first_id=first_id, last_id=boundary, row_count=count, hash=digest, previous=last, sealed_at=now
        )


@dataclass
class Verification:
    seals: int
    broken: AuditSeal | None
    reason: str
    unsealed: int

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify() -> Verification:
    """Recompute every seal in order; the first that no longer matches, and why."""
    previous = None
    checked = 0
    for item in AuditSeal.objects.order_by("last_id").iterator():
        expected_previous = previous.pk if previous else None
        expected_first = previous.last_id + 1 if previous else item.first_id
        if item.previous_id != expected_previous or item.first_id != expected_first:
            return Verification(checked, item, "the chain of seals is broken", 0)
        digest, count = _digest(previous.hash if previous else GENESIS, item.first_id, item.last_id)
        if count != item.row_count:
            return Verification(checked, item, f"it sealed {item.row_count} events, {count} are there now", 0)
        if digest != item.hash:
            return Verification(checked, item, "an event it sealed has changed", 0)
        previous = item
        checked += 1
    after = previous.last_id if previous else 0
    unsealed = AuditEvent.objects.filter(id__gt=after).count()
    return Verification(checked, None, "", unsealed)
