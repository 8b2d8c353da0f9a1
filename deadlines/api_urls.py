"""REST API routes of the deadlines app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import DeadlineViewSet

router = SimpleRouter()
router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns = router.urls
