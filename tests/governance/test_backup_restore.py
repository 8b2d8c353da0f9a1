"""Backups that restore: scripts/backup.sh then scripts/restore.sh into a fresh database
and a fresh folder; every table's row count and every document's checksum match."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("pg_dump") or not shutil.which("pg_restore"),
        reason="pg_dump and pg_restore are needed",
    ),
]


def url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def psql(name: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url(name), "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True
    ).stdout


COUNTS = """SELECT table_name, (xpath('/row/c/text()', query_to_xml(format(
  'SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  ORDER BY 1"""


def checksums(root: Path) -> dict:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def fresh_database():
    name = connection.settings_dict["NAME"] + "_restored"
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    psql("postgres", f'CREATE DATABASE "{name}"')
    yield name
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_and_folder(tmp_path, fresh_database):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    default_storage.save("drafts/2026/a.pdf", ContentFile(b"%PDF-1.7 draft one"))
    default_storage.save("reports/2026/b.pdf", ContentFile(b"%PDF-1.7 final report"))
    media = Path(settings.MEDIA_ROOT)
    source = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": url(source), "MEDIA_ROOT": str(media)}

    made = subprocess.run(
        [ROOT / "scripts/backup.sh", tmp_path / "backups"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {"database.dump", "uploads.tar", "files.sha256", "row-counts.tsv", "MANIFEST.sha256"} <= {
        p.name for p in backup.iterdir()
    }

    restored_media = tmp_path / "restored-uploads"
    env = {**os.environ, "DATABASE_URL": url(fresh_database), "MEDIA_ROOT": str(restored_media)}
    subprocess.run([ROOT / "scripts/restore.sh", backup], env=env, check=True, capture_output=True, text=True)

    before, after = psql(source, COUNTS), psql(fresh_database, COUNTS)
    assert after == before
    counts = dict(line.split("\t") for line in after.splitlines())
    assert int(counts["cases_case"]) > 0 and int(counts["cspr_auditevent"]) > 0
    assert checksums(restored_media) == checksums(media)
    assert {"drafts/2026/a.pdf", "reports/2026/b.pdf"} <= set(checksums(media))


def test_a_damaged_backup_is_refused(tmp_path, fresh_database):
    media = Path(settings.MEDIA_ROOT)
    default_storage.save("drafts/2026/a.pdf", ContentFile(b"%PDF-1.7 draft"))
    env = {**os.environ, "DATABASE_URL": url(connection.settings_dict["NAME"]), "MEDIA_ROOT": str(media)}
    made = subprocess.run(
        [ROOT / "scripts/backup.sh", tmp_path / "b"], env=env, check=True, capture_output=True, text=True
    )
    backup = Path(made.stdout.strip().splitlines()[-1])
    with open(backup / "uploads.tar", "ab") as handle:
        handle.write(b"tampered")
    env = {**os.environ, "DATABASE_URL": url(fresh_database), "MEDIA_ROOT": str(tmp_path / "r")}
    result = subprocess.run([ROOT / "scripts/restore.sh", backup], env=env, capture_output=True, text=True)
    assert result.returncode != 0
