"""Open (or move) each partnership's first yearly report clock from the start of its first
reporting period. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from cspr.models import Partnership
from reporting.services import ensure_yearly_report_clock


class Command(BaseCommand):
    help = "Open each partnership's yearly report clock from its settings (idempotent)."

    def handle(self, *args, **options):
        opened = 0
        for partnership in Partnership.objects.exclude(yearly_report_period_start=None):
            if ensure_yearly_report_clock(partnership=partnership) is not None:
                opened += 1
        self.stdout.write(f"{opened} partnership(s) have a running yearly report clock.")
