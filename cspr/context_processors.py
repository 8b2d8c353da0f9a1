from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import CAPABILITIES, memberships
from .roles import CASE_MANAGERS, Role

#: Which roles see each link of the navigation and the home page. One place, read
#: by templates/includes/nav_items.html and home_links.html. A link shows when
#: the user holds one of its roles in any partnership; the pages themselves
#: still check (this only hides what the user cannot use).
NAV_ROLES = {
    "referrals": CASE_MANAGERS | {Role.PRACTITIONER},
    "cases": CAPABILITIES["view_case"].roles,
    "deadlines": CAPABILITIES["view_dashboard"].roles,
    "rapid_reviews": CAPABILITIES["manage_rapid_review"].roles,
    "reviews": CAPABILITIES["view_review"].roles | {Role.LEAD_REVIEWER, Role.REVIEW_TEAM_MEMBER},
    "publication": CAPABILITIES["publish"].roles,
    "library": CAPABILITIES["view_learning_library"].roles,
    "audit_trail": CAPABILITIES["view_audit_trail"].roles,
}


def nav_flags(user) -> dict[str, bool]:
    """{link: shown} for the user (memberships are cached per request: no extra query)."""
    roles = {m.role for m in memberships(user)} if user is not None else set()
    return {link: bool(roles & allowed) for link, allowed in NAV_ROLES.items()}


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "login_lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        # Evaluated only where a page shows the navigation or the home links.
        "nav": SimpleLazyObject(lambda: nav_flags(user)),
    }
