"""Shared fixtures. Tests run against the PostgreSQL and Redis that ``make test``
points DATABASE_URL and CELERY_BROKER_URL at."""

import pytest

from cspr.models import Agency
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, log_in, member


@pytest.fixture(autouse=True)
def _celery_in_process(request, settings):
    """Tasks run in-process, except in tests that start a real worker."""
    from cspr.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def demo(db):
    """The demo partnerships, agencies and one user per role."""
    from cspr import demo as kernel_demo

    return kernel_demo.seed()


@pytest.fixture
def client_for(client):
    """Log a user in on Django's test client: ``client_for(user)``."""

    def login(user):
        log_in(client, user)
        return client

    return login


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's ``admin_client``, signed in with both steps: an administrator
    always enters a code from an authenticator app (cspr.twofactor)."""
    from django.test import Client

    return log_in(Client(), admin_user)


# A partnership with two agencies, a practitioner, a business manager, and a business
# manager of another partnership: shared by the referral, case and notification tests.
@pytest.fixture
def north(db):
    return PartnershipFactory(name="Northshire Safeguarding Children Partnership", code="NCC")


@pytest.fixture
def agencies(north):
    return {
        "health": AgencyFactory(
            partnership=north, name="Northshire Hospitals", kind=Agency.Kind.HEALTH_PROVIDER
        ),
        "police": AgencyFactory(partnership=north, name="Northshire Police", kind=Agency.Kind.POLICE),
    }


@pytest.fixture
def practitioner(north, agencies):
    return member(north, Role.PRACTITIONER, agency=agencies["health"], username="pat")


@pytest.fixture
def manager(north):
    return member(north, Role.BUSINESS_MANAGER, username="morgan")


@pytest.fixture
def outsider(db):
    return member(
        PartnershipFactory(name="Southport Partnership", code="SBC"), Role.BUSINESS_MANAGER, username="sam"
    )
