"""Pages of the deadlines app. Their URL names stay in the ``notifications`` namespace
they had before the app was split out (cspr/urls.py composes it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("deadlines/", views.dashboard, name="dashboard"),
    path("deadlines/export.csv", views.export_csv, name="dashboard-csv"),
    path("deadlines/<int:pk>/waive/", views.waive, name="deadline-waive"),
    path("deadlines/calendar/", views.calendar_page, name="calendar"),
    path("deadlines/calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("deadlines/calendar/<str:token>.ics", views.calendar_ics, name="calendar-feed"),
]
