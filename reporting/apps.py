from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The top layer: pages and commands that read every stage of the pipeline."""

    name = "reporting"
    verbose_name = "Reporting across every stage"
