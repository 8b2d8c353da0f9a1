"""Demo data for the kernel: two partnerships, their agencies and one user per role."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from .models import Agency, Membership, Partnership
from .roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (demo data only, printed in the README)

#: username -> (role, agency kind, full name)
DEMO_USERS = {
    "lead": (Role.PARTNER_LEAD, Agency.Kind.CHILDRENS_SOCIAL_CARE, "Priya Lead"),
    "manager": (Role.BUSINESS_MANAGER, None, "Morgan Manager"),
    "practitioner": (Role.PRACTITIONER, Agency.Kind.HEALTH_PROVIDER, "Pat Practitioner"),
    "reviewer": (Role.LEAD_REVIEWER, None, "Robin Reviewer"),
    "teammember": (Role.REVIEW_TEAM_MEMBER, Agency.Kind.POLICE, "Taylor Team"),
    "liaison": (Role.PANEL_LIAISON, None, "Lee Liaison"),
}

AGENCIES = [
    ("Northshire Children's Social Care", Agency.Kind.CHILDRENS_SOCIAL_CARE),
    ("Northshire Police", Agency.Kind.POLICE),
    ("Northshire Integrated Care Board", Agency.Kind.ICB),
    ("Northshire Hospitals NHS Trust", Agency.Kind.HEALTH_PROVIDER),
    ("Northshire Schools", Agency.Kind.EDUCATION),
    ("Probation Service North", Agency.Kind.PROBATION),
]


def seed(stdout=None) -> dict:
    partnership, _ = Partnership.objects.get_or_create(
        code="NCC",
        defaults={
            "name": "Northshire Safeguarding Children Partnership",
            "local_authority_area": "Northshire County Council",
            "contact_email": "safeguarding.partnership@northshire.example",
        },
    )
    other, _ = Partnership.objects.get_or_create(
        code="SBC",
        defaults={
            "name": "Southport Borough Safeguarding Partnership",
            "local_authority_area": "Southport Borough Council",
            "contact_email": "lscp@southport.example",
        },
    )
    agencies = {}
    for name, kind in AGENCIES:
        agencies[kind], _ = Agency.objects.get_or_create(
            partnership=partnership, name=name, defaults={"kind": kind}
        )
    Agency.objects.get_or_create(
        partnership=other,
        name="Southport Children's Services",
        defaults={"kind": Agency.Kind.CHILDRENS_SOCIAL_CARE},
    )
    User = get_user_model()
    # Every demo user has the same published password: hashed (a deliberately slow
    # hash) once, when a first user is created, not once per user.
    password = functools.cache(lambda: make_password(DEMO_PASSWORD))
    users = {}
    for username, (role, agency_kind, full_name) in DEMO_USERS.items():
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.password = password()
            user.save()
        Membership.objects.get_or_create(
            user=user,
            partnership=partnership,
            role=role,
            defaults={"agency": agencies.get(agency_kind)},
        )
        users[username] = user
    outsider, created = User.objects.get_or_create(
        username="southport",
        defaults={"first_name": "Sam", "last_name": "Southport", "email": "southport@example.org"},
    )
    if created:
        outsider.password = password()
        outsider.save()
    Membership.objects.get_or_create(user=outsider, partnership=other, role=Role.BUSINESS_MANAGER)
    users["southport"] = outsider
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"}
    )
    if created:
        admin.password = password()
        admin.save()
    return {"partnership": partnership, "other": other, "agencies": agencies, "users": users}
