from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Statutory clocks: sweep, reminders, escalations and the dashboard"
