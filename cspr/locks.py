"""One at a time across every worker: PostgreSQL advisory locks around the scheduled
scans (the deadline sweep, the digest, the orphan-upload scan), as data-hub-api does.

Each scan has its own fixed key here, so two scans never share one by accident.
"""

from __future__ import annotations

from django.db import connection

SWEEP_DEADLINES = 5_000_001
WEEKLY_DIGEST = 5_000_002
ORPHAN_UPLOADS = 5_000_003
RETENTION_SCAN = 5_000_004
AUDIT_SEAL = 5_000_005


def try_advisory_xact_lock(key: int) -> bool:
    """Take a transaction-scoped advisory lock if free (call inside ``atomic``); True
    when taken, False when another worker holds it. Always True on SQLite, which has
    no such locks and runs one in-process worker (``make run``)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])
