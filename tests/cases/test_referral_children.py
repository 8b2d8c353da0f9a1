"""The referral names every child (up to four), on the page without JavaScript and
through the API; accepting it opens one case with all its children."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Case, Referral
from tests.cases.test_referral_to_notification_walk_through_pages import referral_post
from tests.factories import REFERRAL_CHILD, ReferralFactory, log_in

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def answers(agencies, **children):
    """The referral's answers with ``children`` (``child_N_field``) as the only children."""
    unset = {
        f"child_1_{name}": None
        for name in ("name", "date_of_birth", "gender", "ethnicity", "address", "nature")
    }
    return referral_post(agencies, **{**unset, **children})


def child(n, name, dob, nature="seriously_harmed", gender="female"):
    return {
        f"child_{n}_name": name,
        f"child_{n}_date_of_birth": dob,
        f"child_{n}_address": "1 Example Street",
        f"child_{n}_gender": gender,
        f"child_{n}_nature": nature,
    }


def test_the_form_names_two_children_and_accepting_opens_one_case_with_both(
    client, practitioner, manager, agencies
):
    log_in(client, practitioner)
    form = client.get(reverse("cases:referral-create")).content.decode()
    for n in (1, 2, 3, 4):
        assert f'id="child-{n}"' in form and f'name="child_{n}_name"' in form
    assert 'name="child_5_name"' not in form
    # The second child typed in the third part (the second left empty) is child 2.
    response = client.post(
        reverse("cases:referral-create"),
        answers(
            agencies, **child(1, "Jordan Lee Smith", "2020-03-01"), **child(3, "Robin Smith", "2025-07-01")
        ),
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("cases:referral-check", args=[referral.pk])
    assert [(c.ordinal, c.name) for c in referral.children.all()] == [
        (1, "Jordan Lee Smith"),
        (2, "Robin Smith"),
    ]
    client.post(reverse("cases:referral-check", args=[referral.pk]))

    log_in(client, manager)
    detail = client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert "Jordan Lee Smith" in detail and "Robin Smith" in detail
    client.post(reverse("cases:referral-accept", args=[referral.pk]))
    case = Case.objects.get()
    assert [(c.ordinal, c.initials, c.age_label, c.gender) for c in case.children.all()] == [
        (1, "J.L.S.", "6 years", "female"),
        (2, "R.S.", "8 months", "female"),
    ]
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "8 months" in page and "Robin" not in page and "Jordan" not in page


def test_an_error_in_a_later_fieldset_is_shown_on_the_fieldset_it_was_typed_in(
    client, practitioner, agencies
):
    log_in(client, practitioner)
    html = client.post(
        reverse("cases:referral-create"),
        answers(
            agencies, **child(1, "Jordan Lee Smith", "2020-03-01"), **child(3, "Old Enough", "2001-01-01")
        ),
    ).content.decode()
    assert "<title>Error:" in html
    assert (
        '<a href="#id_child_3_date_of_birth-day">Child 2 must have been under 18 at the time of the incident</a>'
        in (html)
    )
    assert not Referral.objects.exists()  # nothing half-saved


def test_a_referral_naming_no_child_cannot_be_submitted(client, practitioner, agencies):
    log_in(client, practitioner)
    html = client.post(reverse("cases:referral-create"), answers(agencies)).content.decode()
    assert "Name at least one child" in html
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.DRAFT and not referral.children.exists()
    response = api(practitioner).post(f"/api/v1/referrals/{referral.pk}/submit/")
    assert response.status_code == 409 and response.json()["children"] == ["Name at least one child"]


def test_the_api_refuses_a_fifth_child_and_saves_nothing(practitioner, north, agencies):
    referral = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    response = api(practitioner).patch(
        f"/api/v1/referrals/{referral.pk}/",
        {"referrer_role": "Changed", "children": [{"name": f"Child {n}"} for n in range(5)]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["children"] == [services.TOO_MANY_CHILDREN]
    referral.refresh_from_db()
    assert referral.referrer_role == "Health visitor"
    assert [c.name for c in referral.children.all()] == ["Jordan Lee Smith"]


@pytest.mark.parametrize(
    "bad, key, status",
    [
        # 409: refused by a rule (the child must have been under 18); 400: a value the
        # schema's coded list does not have.
        ({"date_of_birth": "2001-01-01"}, "child_2_date_of_birth", 409),
        ({"gender": "robot"}, "children", 400),
        ({"nature": "unharmed"}, "children", 400),
    ],
)
def test_the_api_refuses_a_bad_child(practitioner, north, agencies, bad, key, status):
    referral = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    response = api(practitioner).patch(
        f"/api/v1/referrals/{referral.pk}/",
        {"children": [dict(REFERRAL_CHILD, date_of_birth="2020-03-01"), {"name": "Second", **bad}]},
        format="json",
    )
    assert response.status_code == status
    assert key in response.json()
    assert referral.children.count() == 1


def test_accepting_a_referral_naming_no_child_is_refused(manager, north, practitioner, agencies):
    referral = ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        status=Referral.Status.SUBMITTED,
        children=[],
    )
    response = api(manager).post(f"/api/v1/referrals/{referral.pk}/accept/")
    assert response.status_code == 409
    assert not Case.objects.exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED


def test_ages_under_2_are_counted_in_months_from_the_date_of_birth():
    assert services.age_in_months(dt.date(2025, 7, 1), dt.date(2026, 3, 10)) == 8
    assert services.age_in_months(dt.date(2008, 3, 11), dt.date(2026, 3, 10)) == 17 * 12 + 11
