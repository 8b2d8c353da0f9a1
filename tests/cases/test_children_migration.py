"""Upgrading: each existing case's child becomes its first child, each referral's child
its first named child, the old free text coded as the national statistics code it;
and back again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0002_referral_child_sex_case_stage")]


def _migrate(target):
    """Migrate to ``target`` (None: every app's latest). The kernel stays at its latest
    (its later migrations do not depend on the cases app's), so the models of the state
    are those of the tables."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    leaves = executor.loader.graph.leaf_nodes()
    if target:
        target = [*target, *(node for node in leaves if node[0] == "cspr")]
    executor.migrate(target or leaves)
    executor.loader.build_graph()
    return executor.loader.project_state(target or executor.loader.graph.leaf_nodes()).apps


@pytest.fixture
def back_to_the_latest_afterwards():
    """Whatever happens in the test, the database ends at every app's latest migration
    (the tests after it expect it)."""
    yield
    _migrate(None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_afterwards")
def test_the_old_child_columns_become_the_first_child_and_come_back():
    old = _migrate(BEFORE)
    Partnership = old.get_model("cspr", "Partnership")
    Agency = old.get_model("cspr", "Agency")
    User = old.get_model("auth", "User")
    Case = old.get_model("cases", "Case")
    Referral = old.get_model("cases", "Referral")
    partnership = Partnership.objects.create(name="Northshire", code="MIG", local_authority_area="Northshire")
    police = Agency.objects.create(partnership=partnership, name="Police", kind="police")
    author = User.objects.create(username="author")
    referral = Referral.objects.create(
        partnership=partnership,
        author=author,
        status="accepted",
        child_name="Jordan Lee Smith",
        child_date_of_birth=dt.date(2020, 3, 1),
        child_address="1 Example Street",
        child_sex="unknown",
        child_ethnicity="White British",
        outcome="seriously_harmed",
        childrens_social_care_aware="unknown",
    )
    Referral.objects.create(partnership=partnership, author=author)  # an empty draft: no child
    harmed = Case.objects.create(
        partnership=partnership,
        reference="MIG-2026-001",
        referral=referral,
        child_initials="J.L.S.",
        child_age_years=6,
        child_sex="male",
        child_ethnicity="Mixed White and Black Caribbean",
        child_disability="Cerebral palsy",
        outcome="seriously_harmed",
        looked_after=True,
        child_protection_plan=True,
        incident_date=dt.date(2026, 3, 10),
    )
    harmed.agencies.set([police])
    Case.objects.create(
        partnership=partnership,
        reference="MIG-2026-002",
        child_unborn=True,
        child_disability="none",
        outcome="died",
        incident_date=dt.date(2026, 3, 12),
    )

    new = _migrate(None)
    CaseChild = new.get_model("cases", "CaseChild")
    ReferralChild = new.get_model("cases", "ReferralChild")
    first = CaseChild.objects.get(case__reference="MIG-2026-001")
    assert (first.ordinal, first.initials, first.age_months, first.gender) == (1, "J.L.S.", 72, "male")
    assert (first.ethnicity, first.ethnicity_detail) == ("mixed", "Mixed White and Black Caribbean")
    assert (first.disability, first.disability_kind) == ("yes", "Cerebral palsy")
    assert (first.nature, first.looked_after, first.placement_type) == (
        "seriously_harmed",
        "yes",
        "not_known",
    )
    assert (first.child_protection_plan, first.child_in_need) == ("yes", "no")
    assert first.known_to_agencies == "yes" and [a.name for a in first.agencies.all()] == ["Police"]
    unborn = CaseChild.objects.get(case__reference="MIG-2026-002")
    assert (unborn.unborn, unborn.age_months, unborn.nature, unborn.disability) == (True, None, "died", "no")
    assert (unborn.ethnicity, unborn.gender, unborn.known_to_agencies) == (
        "not_known",
        "not_known",
        "not_known",
    )
    named = ReferralChild.objects.get()
    assert (named.ordinal, named.name, named.address, named.gender, named.ethnicity, named.nature) == (
        1,
        "Jordan Lee Smith",
        "1 Example Street",
        "not_known",
        "white",
        "seriously_harmed",
    )
    assert new.get_model("cases", "Referral").objects.get(pk=referral.pk).childrens_social_care_aware == (
        "not_known"
    )

    back = _migrate(BEFORE)
    case = back.get_model("cases", "Case").objects.get(reference="MIG-2026-001")
    assert (case.child_initials, case.child_age_years, case.looked_after, case.outcome) == (
        "J.L.S.",
        6,
        True,
        "seriously_harmed",
    )
    assert back.get_model("cases", "Referral").objects.get(pk=referral.pk).child_name == "Jordan Lee Smith"
