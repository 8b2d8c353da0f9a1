from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Publication and learning"

    def ready(self):
        # Imported here, not at the top: models and apps load only once the registry is ready.
        from cspr import links, panels

        from . import panels as ours

        panels.register("case", order=50, template="publication/_case_panel.html", context=ours.case_panel)
        # A clock's reference on the deadlines dashboard links to this page (cspr.links).
        links.register("publication.publication", "publication:publication-detail")
