from django.apps import AppConfig


class RapidReviewConfig(AppConfig):
    name = "rapid_review"
    verbose_name = "Rapid reviews and decisions"

    def ready(self):
        # Imported here, not at the top: models and apps load only once the registry is ready.
        from cspr import links, panels

        from . import panels as ours
        from . import services  # noqa: F401  (connects the notification_corrected receiver)

        panels.register("case", order=30, template="rapid_review/_case_panel.html", context=ours.case_panel)
        # A clock's reference on the deadlines dashboard links to this page (cspr.links).
        links.register("rapid_review.rapidreview", "rapid_review:detail")
