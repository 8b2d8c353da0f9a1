#!/usr/bin/env python
"""Django's command-line utility, with one clear line when the database is out of reach."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspr.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        from django.db import connection

        params = connection.settings_dict
        where = f"{params.get('HOST') or 'local'}:{params.get('PORT') or '-'}/{params.get('NAME')}"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(f"cspr: cannot use the database {where} (check DATABASE_URL): {first}\n")
        sys.exit(2)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"cspr: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
