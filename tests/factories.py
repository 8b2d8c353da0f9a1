"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from cspr.models import Agency, Membership, Partnership
from cspr.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct-horse-battery")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} Safeguarding Children Partnership")
    code = factory.Sequence(lambda n: "P" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    local_authority_area = factory.Sequence(lambda n: f"Area {n} Council")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.CHILDRENS_SOCIAL_CARE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.PRACTITIONER
    agency = None


def member(partnership, role, *, agency=None, username=None):
    """A new user holding ``role`` in ``partnership``."""
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, partnership=partnership, role=role, agency=agency)
    return user


# -- cases and notifications (shared by the apps of issue 3) ---------------------------

import datetime as _dt  # noqa: E402

from cases.models import Case, Outcome  # noqa: E402
from notifications.models import SeriousIncidentNotification  # noqa: E402


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.partnership.code}-2026-{n + 1:03d}")
    child_initials = "J.S."
    child_age_years = 4
    outcome = Outcome.SERIOUSLY_HARMED
    incident_date = _dt.date(2026, 3, 27)


class SeriousIncidentNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeriousIncidentNotification

    case = factory.SubFactory(CaseFactory)
    status = SeriousIncidentNotification.Status.NOTIFIED
    aware_on = _dt.date(2026, 3, 30)
    notified_panel_on = _dt.date(2026, 4, 2)
    panel_reference = factory.Sequence(lambda n: f"SIN-2026-{n + 100:04d}")
    incident_local_authority = "Northshire County Council"
    residence_local_authority = "Northshire County Council"
