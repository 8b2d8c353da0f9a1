"""REST API routes of the notifications app (included under /api/v1/ by cspr/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
