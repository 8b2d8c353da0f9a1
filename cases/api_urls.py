"""REST API routes of the cases app (included under /api/v1/ by cspr/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import CaseViewSet, ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
