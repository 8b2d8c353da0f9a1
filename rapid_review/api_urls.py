"""REST API routes of the rapid_review app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import RapidReviewViewSet

router = SimpleRouter()
router.register("rapid-reviews", RapidReviewViewSet, basename="rapid-review")

urlpatterns = router.urls
