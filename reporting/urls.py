"""Pages of the reporting app (at the site root, in the ``reporting`` namespace)."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("yearly-reports/", views.yearly_report_list, name="yearly-report-list"),
    path("yearly-reports/new/", views.yearly_report_create, name="yearly-report-create"),
    path("yearly-reports/<int:pk>/", views.yearly_report_detail, name="yearly-report-detail"),
    path("yearly-reports/<int:pk>/sent/", views.yearly_report_copies_sent, name="yearly-report-sent"),
    path("yearly-reports/<int:pk>/file/", views.yearly_report_file, name="yearly-report-file"),
]
