"""Every list and detail page, and every API list, runs the same number of queries
whatever the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Referral
from notifications.services import record_notification
from tests.factories import REFERRAL_CHILD, ReferralFactory, log_in

pytestmark = pytest.mark.django_db
MAX = 14


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("notifications.services._today", lambda: dt.date(2026, 6, 1))


def add_rows(north, agencies, practitioner, manager, count):
    """``count`` submitted referrals, ``count`` accepted ones (cases) with a
    notification and chronology entries each."""
    case = None
    for _ in range(count):
        ReferralFactory(
            partnership=north,
            author=practitioner,
            referrer_agency=agencies["health"],
            status=Referral.Status.SUBMITTED,
            agencies=[agencies["health"], agencies["police"]],
        )
        referral = ReferralFactory(
            partnership=north,
            author=practitioner,
            referrer_agency=agencies["health"],
            status=Referral.Status.SUBMITTED,
            children=[REFERRAL_CHILD, {**REFERRAL_CHILD, "name": "Robin Smith"}],
        )
        case = services.accept_referral(actor=manager, referral=referral)
        record_notification(
            actor=manager, case=case, aware_on=dt.date(2026, 3, 11), incident_local_authority="Northshire"
        )
    return case


def count_queries(fetch):
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def urls_for(case, referral):
    return [
        reverse("cases:referral-list"),
        reverse("cases:referral-list") + "?status=all",
        reverse("cases:case-list"),
        reverse("notifications:notification-list"),
    ]


def test_page_lists_run_a_fixed_number_of_queries(client, north, agencies, practitioner, manager):
    add_rows(north, agencies, practitioner, manager, 1)
    log_in(client, manager)
    urls = urls_for(None, None)
    before = {url: count_queries(lambda url=url: client.get(url)) for url in urls}
    add_rows(north, agencies, practitioner, manager, 5)
    after = {url: count_queries(lambda url=url: client.get(url)) for url in urls}
    assert after == before
    assert max(after.values()) <= MAX


def test_the_practitioners_referral_list_runs_a_fixed_number_of_queries(
    client, north, agencies, practitioner, manager
):
    add_rows(north, agencies, practitioner, manager, 1)
    log_in(client, practitioner)
    url = reverse("cases:referral-list")
    before = count_queries(lambda: client.get(url))
    add_rows(north, agencies, practitioner, manager, 5)
    assert count_queries(lambda: client.get(url)) == before <= MAX


def test_detail_pages_run_a_fixed_number_of_queries(
    client, north, agencies, practitioner, manager, django_assert_max_num_queries
):
    case = add_rows(north, agencies, practitioner, manager, 1)
    for day in range(1, 9):
        services.add_chronology_entry(
            actor=manager,
            case=case,
            date=dt.date(2026, 3, day),
            entry="Seen at clinic.",
            agency=agencies["police"],
        )
    log_in(client, manager)
    for url in (
        reverse("cases:case-detail", args=[case.pk]),
        reverse("cases:referral-detail", args=[case.referral_id]),
        reverse("notifications:notification-detail", args=[case.notification.pk]),
        reverse("notifications:case-dfe-summary", args=[case.pk]),
    ):
        # 22: the case page carries one panel per later stage, legal holds included,
        # and the children with the agencies that knew each.
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200


def test_api_lists_run_a_fixed_number_of_queries(north, agencies, practitioner, manager):
    add_rows(north, agencies, practitioner, manager, 1)
    api = APIClient()
    api.force_authenticate(manager)
    urls = ["/api/v1/referrals/", "/api/v1/cases/", "/api/v1/notifications/"]
    before = {url: count_queries(lambda url=url: api.get(url)) for url in urls}
    add_rows(north, agencies, practitioner, manager, 5)
    after = {url: count_queries(lambda url=url: api.get(url)) for url in urls}
    assert after == before
    assert max(after.values()) <= 10
