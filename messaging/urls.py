"""Pages of the messaging app. Their URL names stay in the ``notifications`` namespace
they had before the app was split out (cspr/urls.py composes it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.message_list, name="message-list"),
    path("messages/<int:pk>/read/", views.message_read, name="message-read"),
    path("messages/read/", views.message_read_all, name="message-read-all"),
    path("messages/preferences/", views.preferences, name="preferences"),
]
