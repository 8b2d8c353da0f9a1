# The two commands: `make run` (the app with demo data) and `make test` (the whole suite).
# Both install what they need and are safe to run twice.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# uv installs the locked dependency tree (uv.lock) into $(VENV); it comes from PyPI.
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# Python keeps the bytecode it compiles (in .venv and the git-ignored __pycache__
# folders) even where the environment says not to, so that each command does not
# compile Django and every package again.
unexport PYTHONDONTWRITEBYTECODE
NODE_STAMP := node_modules/.installed-stamp

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cspr
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cspr_bench
PYTEST_ARGS ?=

PROJECT_APPS := cspr messaging cases notifications rapid_review reviews publication deadlines reporting governance
FUZZ_MAX_EXAMPLES ?= 500

.PHONY: run test backup restore lock bench loadtest lint fuzz screenshots system-packages-run system-packages-test services clean

# uv itself, pinned, from PyPI into $(VENV) (pip installs it).
$(UV):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)

# Every Python package at the version uv.lock pins (runtime and the dev extra), and the
# project itself, editable. --locked refuses a uv.lock that no longer matches
# pyproject.toml: after changing the dependencies, run `make lock` and commit uv.lock.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) --version | grep -q ' $(UV_VERSION)' || $(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --locked --extra dev --quiet
	touch $(STAMP)

# Updates uv.lock after a change to the dependencies in pyproject.toml (versions already
# locked are kept where they still fit; `make lock LOCK_ARGS=--upgrade` takes the newest).
LOCK_ARGS ?=
lock: | $(UV)
	UV_PYTHON_DOWNLOADS=never $(UV) lock $(LOCK_ARGS)

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --silent
	touch $(NODE_STAMP)

system-packages-run:
	@scripts/system-packages.sh run

system-packages-test:
	@scripts/system-packages.sh test

services:
	@scripts/services.sh

run: $(STAMP) system-packages-run
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (sign in at /accounts/login/)"
	DEBUG=true SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) $(NODE_STAMP) system-packages-test services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	DATABASE_CONN_MAX_AGE=0 \
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# Backups (README, "Backups"): the database and the uploaded documents together, with
# a manifest of checksums; a restore proves every row count and every document.
# Both need DATABASE_URL (PostgreSQL) and MEDIA_ROOT in the environment.
BACKUP_DIR ?= var/backups
backup:
	scripts/backup.sh $(BACKUP_DIR)

restore:
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=var/backups/cspr-...: which backup?" >&2; exit 1; }
	scripts/restore.sh $(BACKUP)

# Benchmarks (docs/benchmarks.md): builds the national-scale data set once, then times
# the deadlines dashboard and the sweep, and the rapid review PDF, on PostgreSQL.
bench: $(STAMP) services
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(notdir $(BENCH_DATABASE_URL))'" | grep -q 1 \
	  || psql "$(dir $(BENCH_DATABASE_URL))postgres" -c 'CREATE DATABASE "$(notdir $(BENCH_DATABASE_URL))"'
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=true $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=true $(PY) manage.py seed_scale
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret $(PY) manage.py bench
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret $(PY) manage.py bench_pdf

# 20 signed-in clients for 60 s against the dashboard and a case page, gunicorn with the
# production settings on a free loopback port (stops by itself); then where the
# dashboard's CPU goes (cProfile). On the data set `make bench` built.
loadtest: $(STAMP) services
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret $(PY) manage.py collectstatic --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=127.0.0.1 $(PY) manage.py loadtest
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret $(PY) manage.py loadtest --profile

# Static checks: ruff (style and bugs, and the formatting, config in pyproject.toml),
# import-linter (the layers of docs/architecture.md), bandit (security, medium
# severity and up, over the project's apps), pip-audit (known vulnerabilities in the
# installed dependencies). Findings: docs/security.md.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -ll -r $(PROJECT_APPS) -x '*/migrations/*'
	$(VENV)/bin/pip-audit --skip-editable --progress-spinner off

# The API fuzzing of `make test`, with many more examples per operation.
fuzz: $(STAMP) system-packages-test services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	DATABASE_CONN_MAX_AGE=0 FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) \
	$(PY) -m pytest -p no:cacheprovider tests/security/test_api_fuzzing.py $(PYTEST_ARGS)

# Runs the browser tests and copies the pages they mark key=True to docs/screenshots/
# (1280x800, full page) for the README.
screenshots:
	CSPR_DOCS_SCREENSHOTS=$(CURDIR)/docs/screenshots $(MAKE) test PYTEST_ARGS="tests/e2e -q $(PYTEST_ARGS)"

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
