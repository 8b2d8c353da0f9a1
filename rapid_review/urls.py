"""Pages of the rapid_review app (included at the site root by cspr/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "rapid_review"

urlpatterns: list = []
