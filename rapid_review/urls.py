"""Pages of the rapid_review app (included at the site root by cspr/urls.py)."""

from django.urls import path

from . import views

app_name = "rapid_review"

urlpatterns = [
    path("rapid-reviews/", views.rapid_review_list, name="list"),
    path("rapid-reviews/open/<int:case_pk>/", views.open_rapid_review, name="open"),
    path("rapid-reviews/<int:pk>/", views.rapid_review_detail, name="detail"),
    path("rapid-reviews/<int:pk>/pdf/", views.rapid_review_pdf, name="pdf"),
    path(
        "rapid-reviews/<int:pk>/agency-returns/<int:return_pk>/", views.agency_return_edit, name="return-edit"
    ),
    path(
        "rapid-reviews/<int:pk>/safety-actions/<int:action_pk>/", views.safety_action_edit, name="action-edit"
    ),
    path("rapid-reviews/<int:pk>/attendees/<int:attendee_pk>/", views.attendee_edit, name="attendee-edit"),
    path(
        "rapid-reviews/<int:pk>/agency-returns/<int:return_pk>/remove/",
        views.agency_return_remove,
        name="return-remove",
    ),
    path(
        "rapid-reviews/<int:pk>/safety-actions/<int:action_pk>/remove/",
        views.safety_action_remove,
        name="action-remove",
    ),
    path(
        "rapid-reviews/<int:pk>/meetings/<int:meeting_pk>/remove/",
        views.meeting_remove,
        name="meeting-remove",
    ),
    path(
        "rapid-reviews/<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.attendee_remove,
        name="attendee-remove",
    ),
    # One address per part of the detail page: reverse("rapid_review:decision", args=[pk]).
    *[
        path(f"rapid-reviews/<int:pk>/{slug}/", views.rapid_review_section, {"section": slug}, name=slug)
        for slug in views.SECTIONS
    ],
]
