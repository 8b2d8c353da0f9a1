from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Partnerships, calendar and deadlines"

    def ready(self) -> None:
        from . import signals  # noqa: F401
