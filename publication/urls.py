"""Pages of the publication app (included at the site root by cspr/urls.py)."""

from django.urls import path, re_path

from . import views

app_name = "publication"

CODE = r"(?P<code>[A-Z]{2,6})"

urlpatterns = [
    path("publications/", views.publication_list, name="publication-list"),
    path("reviews/<int:review_pk>/final-report/add/", views.final_report_add, name="final-report-add"),
    path("reviews/<int:review_pk>/briefings/add/", views.briefing_add, name="briefing-add"),
    path("publications/<int:pk>/", views.publication_detail, name="publication-detail"),
    path("publications/<int:pk>/edit/", views.publication_edit, name="publication-edit"),
    path("publications/<int:pk>/plan/", views.publication_plan, name="publication-plan"),
    path("publications/<int:pk>/copies/", views.publication_copies, name="publication-copies"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publication-publish"),
    path("publications/<int:pk>/take-down/", views.publication_take_down, name="publication-take-down"),
    path("publications/<int:pk>/file/", views.publication_file, name="publication-file"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("briefings/<int:pk>/publish/", views.briefing_publish, name="briefing-publish"),
    path("briefings/<int:pk>/pdf/", views.briefing_pdf, name="briefing-pdf"),
    path("learning/", views.learning_library, name="library"),
    # Public: no sign-in.
    path("published/", views.published_list, name="published-list"),
    path("published/feed/", views.PublishedFeed(), name="published-feed"),
    path("published/reports/<int:pk>/", views.published_detail, name="published-detail"),
    path("published/reports/<int:pk>/report/", views.published_file, name="published-file"),
    path("published/briefings/<int:pk>/pdf/", views.published_briefing_pdf, name="published-briefing-pdf"),
    re_path(rf"^published/{CODE}/$", views.published_list, name="published-partnership"),
    re_path(rf"^published/{CODE}/feed/$", views.PublishedFeed(), name="published-partnership-feed"),
]
