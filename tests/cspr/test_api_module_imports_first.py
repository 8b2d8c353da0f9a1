"""The kernel's API module may be the first to load Django REST framework's views (a
system check or a command can import it first): it must not import them at load time,
or the parser setting that names it becomes a circular import (seen as a flaky
`manage.py spectacular`)."""

import os
import subprocess
import sys


def test_cspr_api_can_be_imported_before_rest_framework_views():
    code = (
        "import django, sys; django.setup(); "
        "assert 'rest_framework.views' not in sys.modules; "
        "import cspr.api; from rest_framework.views import APIView; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "cspr.settings"},
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
