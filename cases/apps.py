from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Referrals and cases"

    def ready(self):
        # Imported here, not at the top: models and apps load only once the registry is ready.
        from cspr import links
        from cspr.context_processors import show_link_to_grantees

        from .selectors import cases_visible_to

        # Someone added to one case (a panel liaison) finds it under "Cases".
        show_link_to_grantees("cases", lambda user: cases_visible_to(user).exists())
        # A clock's case reference (the deadlines dashboard) links to the case.
        links.register("cases.case", "cases:case-detail")
