# The two commands: `make run` (the app with demo data) and `make test` (the whole suite).
# Both install what they need and are safe to run twice.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cspr
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run test screenshots system-packages-run system-packages-test services clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

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
	@echo "Serving on http://127.0.0.1:8000/ (sign in at /accounts/login/)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) $(NODE_STAMP) system-packages-test services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	DATABASE_CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true \
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# Runs the browser tests and copies the pages they mark key=True to docs/screenshots/
# (1280x800, full page) for the README.
screenshots:
	CSPR_DOCS_SCREENSHOTS=$(CURDIR)/docs/screenshots $(MAKE) test PYTEST_ARGS="tests/e2e -q $(PYTEST_ARGS)"

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
