from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Serious incident notifications to the Panel"

    def ready(self):
        from cspr import links

        # A clock's reference on the deadlines dashboard links to the page it is met on.
        links.register("notifications.seriousincidentnotification", "notifications:notification-detail")
        links.register("notifications.careleaverdeathreport", "notifications:care-leaver-death-detail")
