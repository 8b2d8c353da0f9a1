"""Pages of the notifications app (included at the site root by cspr/urls.py)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns: list = [
    # Statutory clocks: the dashboard and what hangs off it (issue 5).
    path("deadlines/", views.dashboard, name="dashboard"),
    path("deadlines/export.csv", views.export_csv, name="dashboard-csv"),
    path("deadlines/<int:pk>/waive/", views.waive, name="deadline-waive"),
    path("deadlines/calendar/", views.calendar_page, name="calendar"),
    path("deadlines/calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("deadlines/calendar/<str:token>.ics", views.calendar_ics, name="calendar-feed"),
    # The user's own messages and e-mail preferences.
    path("messages/", views.message_list, name="message-list"),
    path("messages/<int:pk>/read/", views.message_read, name="message-read"),
    path("messages/read/", views.message_read_all, name="message-read-all"),
    path("messages/preferences/", views.preferences, name="preferences"),
]
