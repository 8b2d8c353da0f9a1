"""Dispose of records past their retention period, or list them (--dry-run)."""

from django.core.management.base import BaseCommand

from governance import retention


class Command(BaseCommand):
    help = "Dispose of records past each partnership's retention period and not held."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be disposed of; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            candidates = retention.scan()
            for c in candidates:
                self.stdout.write(f"{c.kind}\t{c.object_id}\t{c.action}\t{c.rule}")
            self.stdout.write(f"{len(candidates)} record(s) would be disposed of.")
            return
        done = retention.run_retention()
        if done is None:
            self.stderr.write("Another worker is scanning: nothing done.")
            return
        self.stdout.write(self.style.SUCCESS(f"{done} record(s) disposed of."))
