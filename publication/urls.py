"""Pages of the publication app (included at the site root by cspr/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "publication"

urlpatterns: list = []
