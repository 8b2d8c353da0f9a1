"""Load demo data: the kernel's partnerships and users, then each app's ``demo.seed``.

Safe to run twice: every step looks for what it would create first.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo partnerships, users (one per role) and example cases. Safe to run twice."

    def handle(self, *args, **options):
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
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Users (password {demo.DEMO_PASSWORD}):")
        )
        for username, (role, _agency, _name) in demo.DEMO_USERS.items():
            self.stdout.write(f"  {username:<13} {role.label}")
        self.stdout.write("  southport     Business manager of another partnership")
        self.stdout.write("  admin         Django admin (superuser)")
