from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """The top layer's information governance: retention and disposal, legal holds,
    subject access packs, leavers and the access review, the privacy notice."""

    name = "governance"
    verbose_name = "Information governance"

    def ready(self):
        from cspr import panels

        from . import panels as ours

        panels.register("case", order=90, template="governance/_case_panel.html", context=ours.case_panel)
