"""Pages of the reviews app (included at the site root by cspr/urls.py)."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/commission/", views.review_commission, name="review-commission"),
    path(
        "reviews/commission/from-rapid-review/<int:rapid_review_pk>/",
        views.review_commission_from_rapid_review,
        name="review-commission-from-rapid-review",
    ),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/terms/", views.review_terms, name="review-terms"),
    path("reviews/<int:pk>/findings/", views.review_findings, name="review-findings"),
    path("reviews/<int:pk>/national/", views.review_national, name="review-national"),
    path("reviews/<int:pk>/progress/", views.review_status, name="review-status"),
    path("reviews/<int:pk>/lead-reviewers/add/", views.lead_reviewer_add, name="lead-reviewer-add"),
    path(
        "reviews/<int:pk>/lead-reviewers/<int:lead_pk>/remove/",
        views.lead_reviewer_remove,
        name="lead-reviewer-remove",
    ),
    path("reviews/<int:pk>/team/add/", views.team_member_add, name="team-member-add"),
    path(
        "reviews/<int:pk>/team/<int:member_pk>/remove/", views.team_member_remove, name="team-member-remove"
    ),
    path("reviews/<int:pk>/events/add/", views.event_add, name="event-add"),
    path("reviews/<int:pk>/events/<int:event_pk>/remove/", views.event_remove, name="event-remove"),
    path("reviews/<int:pk>/family/add/", views.family_add, name="family-add"),
    path("reviews/<int:pk>/family/<int:family_pk>/remove/", views.family_remove, name="family-remove"),
    path("reviews/<int:pk>/requests/add/", views.request_add, name="request-add"),
    path("reviews/<int:pk>/requests/<int:request_pk>/answer/", views.request_answer, name="request-answer"),
    path("reviews/<int:pk>/requests/<int:request_pk>/remove/", views.request_remove, name="request-remove"),
    path("reviews/<int:pk>/drafts/add/", views.draft_add, name="draft-add"),
    path("reviews/<int:pk>/drafts/<int:draft_pk>/download/", views.draft_download, name="draft-download"),
    path("reviews/<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation-add"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("recommendations/<int:pk>/change/", views.recommendation_change, name="recommendation-change"),
    path("recommendations/<int:pk>/remove/", views.recommendation_remove, name="recommendation-remove"),
    path("recommendations/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/change/", views.action_change, name="action-change"),
    path("actions/<int:pk>/remove/", views.action_remove, name="action-remove"),
    path("actions/<int:pk>/updates/add/", views.action_update_add, name="action-update-add"),
]
