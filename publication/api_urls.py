"""REST API routes of the publication app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import PublicationViewSet

router = SimpleRouter()
router.register("publications", PublicationViewSet, basename="publication")

urlpatterns = router.urls
