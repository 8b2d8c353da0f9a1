from django.apps import AppConfig


class RapidReviewConfig(AppConfig):
    name = "rapid_review"
    verbose_name = "Rapid reviews and decisions"
