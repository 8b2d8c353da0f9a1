from django.conf import settings

from .permissions import partnership_ids_for


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "login_lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        # Called by the template only where a page shows the navigation.
        "can_view_audit_trail": lambda: bool(
            user is not None and partnership_ids_for(user, "view_audit_trail")
        ),
    }
