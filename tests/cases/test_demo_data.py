"""The demo data loads twice without duplicates, with referrals in every state."""

import pytest
from django.core.management import call_command

from cases.models import Case, Referral
from notifications.models import SeriousIncidentNotification

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_referrals_in_each_state_and_two_cases_one_notified():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["draft", "submitted", "more_information_requested", "declined", "accepted", "accepted"]
    )
    # Later apps' demos add cases of their own; the two accepted referrals made two.
    from_referrals = Case.objects.filter(referral__isnull=False)
    assert from_referrals.count() == 2
    notified = SeriousIncidentNotification.objects.filter(case__in=from_referrals)
    assert sorted(n.status for n in notified) == ["aware", "notified"]
