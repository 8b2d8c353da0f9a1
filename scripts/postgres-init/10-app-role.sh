#!/bin/sh
# Run once by the postgres image when the database is first created
# (/docker-entrypoint-initdb.d). Two roles: the owner (POSTGRES_USER, cspr), which
# runs migrations and owns every table, and cspr_app, which the web app, the
# worker and beat use: it reads and writes rows but owns nothing, so it cannot
# ALTER a table, disable the audit triggers or TRUNCATE. On the audit tables it may
# only SELECT and INSERT (migration cspr 0005 revokes the rest).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE cspr_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE :"DBNAME" TO cspr_app;
GRANT USAGE ON SCHEMA public TO cspr_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Tables and sequences the owner creates from now on (every migration).
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cspr_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO cspr_app;
SQL
