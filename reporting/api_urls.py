"""REST API routes of the reporting app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import YearlyReportViewSet

router = SimpleRouter()
router.register("yearly-reports", YearlyReportViewSet, basename="yearly-report")

urlpatterns = router.urls
