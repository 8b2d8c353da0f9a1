"""Pages of information governance (at the site root, in the ``governance`` namespace)."""

from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("governance/", views.governance_home, name="home"),
    path("governance/<int:partnership_pk>/access/", views.access_review_page, name="access-review"),
    path(
        "governance/<int:partnership_pk>/access/<int:user_pk>/deactivate/",
        views.deactivate_user,
        name="deactivate-user",
    ),
    path("cases/<int:case_pk>/legal-holds/new/", views.legal_hold_create, name="legal-hold-create"),
    path("legal-holds/<int:pk>/lift/", views.legal_hold_lift, name="legal-hold-lift"),
    path("cases/<int:case_pk>/subject-access/", views.subject_access, name="subject-access"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/<int:partnership_pk>/", views.privacy_notice_partnership, name="privacy-partnership"),
]
