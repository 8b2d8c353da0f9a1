#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into DATABASE_URL and MEDIA_ROOT, and
# proves it: the manifest's checksums, then every table's row count and every
# document's checksum after the restore. Exits non-zero on any difference.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/var/lib/cspr/uploads scripts/restore.sh BACKUP
#
# The database should be empty (a fresh one) or one to be replaced: the dump's
# objects are dropped first (pg_restore --clean --if-exists). Stop the web, worker
# and beat services while restoring.
set -euo pipefail

backup=${1:?give the backup folder (made by scripts/backup.sh)}
: "${DATABASE_URL:?set DATABASE_URL (postgres://user@host:port/name)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT (where the uploaded documents go)}"

echo "Checking the backup's manifest"
(cd "$backup" && sha256sum --quiet -c MANIFEST.sha256)

echo "Restoring the database"
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --dbname="$DATABASE_URL" "$backup/database.dump"

echo "Restoring the documents"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xf "$backup/uploads.tar"
if [ -s "$backup/files.sha256" ]; then
  (cd "$MEDIA_ROOT" && sha256sum --quiet -c "$(cd "$backup" && pwd)/files.sha256")
fi

echo "Checking every table's row count"
actual=$(psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -AtF $'\t' -c "
  SELECT table_name,
         (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
                 table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  ORDER BY table_name")
if ! diff <(printf '%s\n' "$actual") "$backup/row-counts.tsv" >&2; then
  echo "restore: the row counts differ from the backup's (above)" >&2
  exit 1
fi
echo "Restored $(wc -l < "$backup/row-counts.tsv") tables and $(wc -l < "$backup/files.sha256") documents from $backup"
