"""Write docs/permissions.md from the role matrix (CAPABILITIES in cspr/permissions.py)."""

from django.core.management.base import BaseCommand

from cspr import rolematrix


class Command(BaseCommand):
    help = "Write docs/permissions.md from cspr.permissions.CAPABILITIES."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit 1 if docs/permissions.md is out of date; write nothing.",
        )

    def handle(self, *args, check=False, **options):
        text = rolematrix.render()
        path = rolematrix.DOC_PATH
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                self.stderr.write(f"{path} is out of date: run `python manage.py role_matrix`.")
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
