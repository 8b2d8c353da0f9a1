"""Pages of the notifications app (included at the site root, in the ``notifications``
namespace, by cspr/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("cases/<int:case_pk>/dfe-summary/", views.dfe_summary, name="case-dfe-summary"),
    path("notifications/figures/", views.notification_figures, name="notification-figures"),
    path("notifications/figures.csv", views.notification_figures_csv, name="notification-figures-csv"),
    path("cases/<int:case_pk>/notification/new/", views.notification_create, name="notification-create"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification-detail"),
    path("notifications/<int:pk>/panel/", views.panel_notification, name="notification-panel"),
    path("notifications/<int:pk>/withdraw/", views.withdraw, name="notification-withdraw"),
    path("notifications/<int:pk>/correct/", views.correct, name="notification-correct"),
    path("care-leaver-deaths/", views.care_leaver_death_list, name="care-leaver-death-list"),
    path("care-leaver-deaths/new/", views.care_leaver_death_create, name="care-leaver-death-create"),
    path("care-leaver-deaths/<int:pk>/", views.care_leaver_death_detail, name="care-leaver-death-detail"),
    path(
        "care-leaver-deaths/<int:pk>/notified/",
        views.care_leaver_death_notified,
        name="care-leaver-death-notified",
    ),
]
