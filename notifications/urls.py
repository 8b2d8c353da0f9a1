"""Pages of the notifications app (included at the site root by cspr/urls.py)."""

from django.urls import path

from . import deadline_views, views

app_name = "notifications"

urlpatterns = [
    # The serious incident notification to the National Panel (issue 3).
    path("notifications/", views.notification_list, name="notification-list"),
    path("cases/<int:case_pk>/notification/new/", views.notification_create,
         name="notification-create"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification-detail"),
    path("notifications/<int:pk>/panel/", views.panel_notification,
         name="notification-panel"),
    path("notifications/<int:pk>/withdraw/", views.withdraw, name="notification-withdraw"),
    path("notifications/<int:pk>/correct/", views.correct, name="notification-correct"),
    # Statutory clocks: the dashboard and what hangs off it (issue 5).
    path("deadlines/", deadline_views.dashboard, name="dashboard"),
    path("deadlines/export.csv", deadline_views.export_csv, name="dashboard-csv"),
    path("deadlines/<int:pk>/waive/", deadline_views.waive, name="deadline-waive"),
    path("deadlines/calendar/", deadline_views.calendar_page, name="calendar"),
    path("deadlines/calendar/reset/", deadline_views.calendar_reset, name="calendar-reset"),
    path("deadlines/calendar/<str:token>.ics", deadline_views.calendar_ics, name="calendar-feed"),
    # The user's own messages and e-mail preferences.
    path("messages/", deadline_views.message_list, name="message-list"),
    path("messages/<int:pk>/read/", deadline_views.message_read, name="message-read"),
    path("messages/read/", deadline_views.message_read_all, name="message-read-all"),
    path("messages/preferences/", deadline_views.preferences, name="preferences"),
]
