"""Recompute every seal of the audit trail and report the first that no longer
matches (exit status 1), or that all match."""

from django.core.management.base import BaseCommand, CommandError

from cspr.auditseal import verify


class Command(BaseCommand):
    help = "Check the audit trail against its seals; exits non-zero at the first broken seal."

    def handle(self, *args, **options):
        result = verify()
        if not result.ok:
            seal = result.broken
            raise CommandError(
                f"Seal {seal.pk} (events {seal.first_id} to {seal.last_id}, sealed "
                f"{seal.sealed_at:%Y-%m-%d %H:%M}) no longer matches: {result.reason}. "
                f"{result.seals} seal(s) before it match."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All {result.seals} seal(s) match. {result.unsealed} event(s) not yet sealed."
            )
        )
