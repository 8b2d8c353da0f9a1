"""Kernel pages: home (the user's partnerships and roles) and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .permissions import memberships


@login_required
def home(request):
    grouped: dict = {}
    for membership in memberships(request.user):
        entry = grouped.setdefault(
            membership.partnership_id, {"partnership": membership.partnership, "roles": []}
        )
        entry["roles"].append(membership)
    return render(request, "cspr/home.html", {"partnerships": list(grouped.values())})


def health(request):
    """Liveness for the load balancer and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
