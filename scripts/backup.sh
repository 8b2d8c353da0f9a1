#!/usr/bin/env bash
# Backs up the service: the PostgreSQL database (pg_dump custom format) and the uploaded
# documents (MEDIA_ROOT) together, into one folder with a manifest of SHA-256 checksums
# and the row count of every table, so that a restore can prove it is complete.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/var/lib/cspr/uploads scripts/backup.sh [BACKUP_DIR]
#
# Writes BACKUP_DIR/cspr-YYYYmmddTHHMMSSZ/ (BACKUP_DIR defaults to ./var/backups) and
# prints its path. BACKUP_KEEP_DAYS (if set) removes backups older than that many days.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL (postgres://user@host:port/name)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT (the uploaded documents)}"
BACKUP_DIR=${1:-${BACKUP_DIR:-./var/backups}}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/cspr-$stamp"
partial="$target.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

# Row counts first, then the dump, in one snapshot each; the restore compares them.
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -AtF $'\t' -c "
  SELECT table_name,
         (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
                 table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  ORDER BY table_name" > "$partial/row-counts.tsv"
pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$DATABASE_URL"

# The documents: every file's checksum, and the files themselves in one archive.
mkdir -p "$MEDIA_ROOT"
(cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$partial/files.sha256"
tar -C "$MEDIA_ROOT" -cf "$partial/uploads.tar" .

(cd "$partial" && sha256sum database.dump uploads.tar files.sha256 row-counts.tsv > MANIFEST.sha256)
mv "$partial" "$target"
trap - EXIT

if [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
  find "$BACKUP_DIR" -maxdepth 1 -type d -name 'cspr-*' -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
fi
echo "$target"
