from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The top layer: pages and commands that read every stage of the pipeline."""

    name = "reporting"
    verbose_name = "Reporting across every stage"

    def ready(self):
        from cspr import links

        # The yearly report's clocks on the deadlines dashboard link to the report.
        links.register("reporting.yearlyreport", "reporting:yearly-report-detail")
