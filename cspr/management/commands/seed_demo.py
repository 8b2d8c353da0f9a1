"""Load demo data: the kernel's partnerships and users, then each app's ``demo.seed``.

Safe to run twice: every step looks for what it would create first.

Seeding sends e-mails (the demo's deadline sweep reminds the demo users). They are
printed (or sent, by whatever EMAIL_BACKEND is configured) only with ``-v 2``; at a
lower verbosity they go to Django's in-memory outbox and only their number is told.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

IN_MEMORY_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = (
        "Load demo partnerships, users (one per role) and example cases. Safe to run twice. "
        "The e-mails seeding sends are shown only with -v 2."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        show_emails = verbosity >= 2
        outbox_before = len(getattr(mail, "outbox", []))
        # E-mail is sent when the transaction commits: the override spans the commit.
        with override_settings(EMAIL_BACKEND=settings.EMAIL_BACKEND if show_emails else IN_MEMORY_EMAIL):
            context, demo = self._seed()
        if verbosity < 1:
            return
        if not show_emails:
            held = len(getattr(mail, "outbox", [])) - outbox_before
            if held:
                self.stdout.write(f"{held} e-mails to demo users not shown (-v 2 shows them).")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Users (password {demo.DEMO_PASSWORD}):"))
        for username, (role, _agency, _name) in demo.DEMO_USERS.items():
            self.stdout.write(f"  {username:<13} {role.label}")
        self.stdout.write("  southport     Business manager of another partnership")
        self.stdout.write("  admin         Django admin (superuser)")

    def _seed(self):
        with transaction.atomic():
            from cspr import demo

            context = demo.seed()
            # The pipeline's apps, in pipeline order, each seeding on what came before.
            modules = []
            for app_label in settings.PROJECT_APPS:
                config = apps.get_app_config(app_label)
                if importlib.util.find_spec(f"{config.name}.demo") is not None:
                    modules.append(importlib.import_module(f"{config.name}.demo"))
            for module in modules:
                module.seed(context)
            # Then each app's ``finish`` (for example the deadline sweep), once all
            # the data it acts on exists.
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(context)
        return context, demo
