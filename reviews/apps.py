from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Commissioned reviews and action plans"

    def ready(self):
        # Imported here, not at the top: models and apps load only once the registry is ready.
        from cspr import links, panels

        from . import panels as ours

        panels.register("case", order=40, template="reviews/_case_panel.html", context=ours.case_panel)
        panels.register(
            "rapid_review",
            order=40,
            template="reviews/_rapid_review_panel.html",
            context=ours.rapid_review_panel,
        )
        # A clock's reference on the deadlines dashboard links to this page (cspr.links).
        links.register("reviews.review", "reviews:review-detail")
        links.register("reviews.action", "reviews:action-detail")
