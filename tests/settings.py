"""The test suite's settings: the production module, cspr.settings, read in the test
environment, with the few differences a test run needs.

pytest-django loads this module (``DJANGO_SETTINGS_MODULE`` in pyproject.toml); the
service never does. tests/cspr/test_production_settings.py checks what
cspr.settings gives a real deployment.
"""

import os

# A key for test runs only, put in the environment (not only in this module) so that
# the processes the tests start, such as ``manage.py`` or a ``python -c`` importing
# cspr.settings, have it too.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-by-a-service")

from cspr.settings import *  # noqa: E402, F403
from cspr.settings import DATABASES, STORAGES  # noqa: E402

# The test client and the browser tests' live server speak plain HTTP: no redirect to
# HTTPS, no cookies sent only over HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic before a test run: static files under their own names, from the
# apps' and the project's static folders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Django empties test databases with TRUNCATE between transactional tests; the audit
# trail's TRUNCATE trigger (cspr migration 0006) lets that through only for a session
# with this setting, which only the test suite sets.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c cspr.audit_truncate_allowed=on"
