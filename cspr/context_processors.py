from collections.abc import Callable

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
    "care_leaver_deaths": CAPABILITIES["report_care_leaver_death"].roles,
    "rapid_reviews": CAPABILITIES["view_rapid_review"].roles,
    "reviews": CAPABILITIES["view_review"].roles | {Role.LEAD_REVIEWER, Role.REVIEW_TEAM_MEMBER},
    "publication": CAPABILITIES["publish"].roles,
    "yearly_reports": CAPABILITIES["record_yearly_report"].roles,
    "library": CAPABILITIES["view_learning_library"].roles,
    "audit_trail": CAPABILITIES["view_audit_trail"].roles,
}


#: Links that also show to a user without one of those roles who was given access to
#: one object (a panel liaison added to a case): {link: check(user) -> bool}. The app
#: that owns the page registers its check in ``AppConfig.ready()`` (the kernel imports
#: no app); it runs only for users the roles did not already show the link to.
_NAV_GRANTS: dict[str, Callable] = {}


def show_link_to_grantees(link: str, check: Callable) -> None:
    _NAV_GRANTS[link] = check


def nav_flags(user) -> dict[str, bool]:
    """{link: shown} for the user (memberships are cached per request: no extra query;
    a grant check, one query, only for a link the user's roles do not show)."""
    roles = {m.role for m in memberships(user)} if user is not None else set()
    flags = {link: bool(roles & allowed) for link, allowed in NAV_ROLES.items()}
    if getattr(user, "is_authenticated", False):
        for link, check in _NAV_GRANTS.items():
            if not flags.get(link):
                flags[link] = check(user)
    return flags


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "login_lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        # Evaluated only where a page shows the navigation or the home links.
        "nav": SimpleLazyObject(lambda: nav_flags(user)),
    }
