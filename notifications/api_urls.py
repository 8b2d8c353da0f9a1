"""REST API routes of the notifications app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import CareLeaverDeathViewSet, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("care-leaver-deaths", CareLeaverDeathViewSet, basename="care-leaver-death")

urlpatterns = router.urls
