"""REST API routes of the reviews app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import ActionViewSet, RecommendationViewSet, ReviewViewSet

router = SimpleRouter()
router.register("reviews", ReviewViewSet, basename="review")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("actions", ActionViewSet, basename="action")

urlpatterns = router.urls
