"""REST API routes of the notifications app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import NotificationViewSet
from .deadlines_api import DeadlineViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns = router.urls
