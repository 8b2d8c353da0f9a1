"""Pages of the notifications app (included at the site root, in the ``notifications``
namespace, by cspr/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("cases/<int:case_pk>/notification/new/", views.notification_create,
         name="notification-create"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification-detail"),
    path("notifications/<int:pk>/panel/", views.panel_notification,
         name="notification-panel"),
    path("notifications/<int:pk>/withdraw/", views.withdraw, name="notification-withdraw"),
    path("notifications/<int:pk>/correct/", views.correct, name="notification-correct"),
]
