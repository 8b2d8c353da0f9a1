"""Pages of the cases app (included at the site root by cspr/urls.py)."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("referrals/<int:pk>/check/", views.referral_check, name="referral-check"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral-accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral-decline"),
    path(
        "referrals/<int:pk>/request-information/",
        views.referral_request_information,
        name="referral-request-information",
    ),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/brought-in/", views.case_brought_in, name="case-brought-in"),
    path("cases/<int:pk>/children/add/", views.case_child_add, name="case-child-add"),
    path("cases/<int:pk>/children/<int:ordinal>/", views.case_child_edit, name="case-child-edit"),
    path("cases/<int:pk>/children/<int:ordinal>/remove/", views.case_child_remove, name="case-child-remove"),
    path("cases/<int:pk>/chronology/", views.chronology_add, name="chronology-add"),
    path("cases/<int:pk>/access/", views.case_access, name="case-access"),
    path("cases/<int:pk>/access/<int:grant_pk>/remove/", views.case_access_remove, name="case-access-remove"),
]
