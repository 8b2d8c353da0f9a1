"""Pages of the messaging app. Their URL names stay in the ``notifications`` namespace
they had before the app was split out (cspr/urls.py composes it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.message_list, name="message-list"),
    path("messages/<int:pk>/read/", views.message_read, name="message-read"),
    path("messages/read/", views.message_read_all, name="message-read-all"),
    path("messages/preferences/", views.preferences, name="preferences"),
    # E-mails not delivered, for the business managers and partner leads.
    path("messages/delivery-log/", views.undelivered_emails, name="undelivered-emails"),
    path(
        "messages/delivery-log/<int:pk>/send-again/",
        views.send_email_again,
        name="undelivered-email-send-again",
    ),
]
