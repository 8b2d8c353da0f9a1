"""Who must sign in with a code as well as a password: everyone who sees case content
and every administrator, always; a partnership's business manager may let only
practitioners who make referrals (and hold no other role, and were added to no case)
sign in with a password alone.

``client.force_login`` here is Django's own: a session that passed the password step
only, as the sign-in page leaves it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Referral
from cases.services import grant_case_access
from cspr.models import AuditEvent, Partnership
from cspr.roles import Role
from tests.cases.test_referral_to_notification_walk_through_pages import referral_post
from tests.factories import CaseFactory, PartnershipFactory, log_in, member, sign_in_with_code

from .totp import totp

pytestmark = pytest.mark.django_db


def relaxed(partnership) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(two_factor_optional_for_referrers=True)
    partnership.refresh_from_db()
    return partnership


def sent_to(response) -> str:
    assert response.status_code == 302, response.status_code
    return response["Location"].split("?")[0]


def test_a_business_manager_with_only_a_password_sees_no_case_and_no_api_until_they_enter_a_code(
    client, north, manager
):
    case = CaseFactory(partnership=north)
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    client.force_login(manager)
    page = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert sent_to(page) == reverse("two-factor-verify")
    assert case.reference not in page.content.decode()
    api = client.get(reverse("api:case-detail", args=[case.pk]))
    assert api.status_code == 403
    assert case.reference not in api.content.decode()
    assert "two-factor" in api.json()["detail"].lower()
    assert client.get(reverse("api:case-list")).status_code == 403

    done = client.post(
        reverse("two-factor-verify") + "?next=" + reverse("cases:case-detail", args=[case.pk]),
        {"code": totp(device.bin_key)},
    )
    assert done["Location"] == reverse("cases:case-detail", args=[case.pk])
    assert client.get(done["Location"]).status_code == 200
    assert client.get(reverse("api:case-detail", args=[case.pk])).json()["reference"] == case.reference


def test_a_business_manager_without_an_app_is_sent_to_set_one_up_and_the_api_refuses_the_session(
    client, north, manager
):
    case = CaseFactory(partnership=north)
    client.force_login(manager)
    assert sent_to(client.get(reverse("cases:case-detail", args=[case.pk]))) == reverse("two-factor-setup")
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-setup")
    refused = client.get(reverse("api:case-list"))
    assert refused.status_code == 403
    assert case.reference not in refused.content.decode()
    # A write by the session is refused too, and saves nothing.
    response = client.patch(
        reverse("api:case-detail", args=[case.pk]),
        {"children": [{"initials": "X.Y."}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert [child.initials for child in case.children.all()] == ["J.S."]


def test_a_practitioner_whose_partnership_relaxed_it_submits_a_referral_without_an_app(
    client, north, practitioner, agencies
):
    relaxed(north)
    client.force_login(practitioner)
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("cases:referral-create"), referral_post(agencies))
    referral = Referral.objects.get()
    assert sent_to(response) == reverse("cases:referral-check", args=[referral.pk])
    client.post(reverse("cases:referral-check", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    assert not TOTPDevice.objects.filter(user=practitioner).exists()


def test_the_same_practitioner_must_set_up_an_app_where_the_partnership_did_not_relax_it(
    client, practitioner
):
    client.force_login(practitioner)
    assert sent_to(client.get(reverse("cases:referral-create"))) == reverse("two-factor-setup")


@pytest.mark.parametrize(
    "role",
    [
        Role.PARTNER_LEAD,
        Role.BUSINESS_MANAGER,
        Role.LEAD_REVIEWER,
        Role.REVIEW_TEAM_MEMBER,
        Role.PANEL_LIAISON,
    ],
)
def test_the_relaxation_does_not_apply_to_any_other_role(client, north, role):
    relaxed(north)
    user = member(north, role)
    client.force_login(user)
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-setup")


def test_nor_to_a_practitioner_who_also_holds_another_role(client, north, practitioner):
    relaxed(north)
    member_elsewhere = PartnershipFactory()
    from cspr.models import Membership

    Membership.objects.create(user=practitioner, partnership=member_elsewhere, role=Role.PANEL_LIAISON)
    client.force_login(practitioner)
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-setup")


def test_nor_to_a_practitioner_of_a_second_partnership_that_did_not_relax_it(client, north, practitioner):
    relaxed(north)
    from cspr.models import Membership

    Membership.objects.create(user=practitioner, partnership=PartnershipFactory(), role=Role.PRACTITIONER)
    client.force_login(practitioner)
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-setup")


def test_nor_to_a_practitioner_added_to_a_case_from_the_next_request(client, north, practitioner, manager):
    relaxed(north)
    case = CaseFactory(partnership=north)
    client.force_login(practitioner)
    assert client.get(reverse("home")).status_code == 200
    grant_case_access(actor=manager, case=case, user=practitioner)
    assert sent_to(client.get(reverse("cases:case-detail", args=[case.pk]))) == reverse("two-factor-setup")
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 403


def test_nor_to_an_administrator(client, north):
    relaxed(north)
    admin = member(north, Role.PRACTITIONER)
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True)
    client.force_login(admin)
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-setup")
    assert sent_to(client.get("/admin/")) == reverse("two-factor-setup")


def test_a_superuser_with_no_partnership_enters_a_code_before_the_admin(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "correct-horse-battery")
    client.force_login(admin)
    assert sent_to(client.get("/admin/")) == reverse("two-factor-setup")
    sign_in_with_code(client, admin)
    assert client.get("/admin/").status_code == 200


def test_a_practitioner_who_chose_to_set_up_an_app_still_enters_its_code(client, north, practitioner):
    relaxed(north)
    TOTPDevice.objects.create(user=practitioner, name="app", confirmed=True)
    client.force_login(practitioner)
    assert sent_to(client.get(reverse("home"))) == reverse("two-factor-verify")


# --- The business manager's choice --------------------------------------------------


def test_a_business_manager_relaxes_it_on_a_page_and_it_is_audited(client, north, manager, practitioner):
    log_in(client, manager)
    url = reverse("two-factor-referrers", args=[north.pk])
    page = client.get(url).content.decode()
    assert "Yes, everyone enters a code (recommended)" in page
    assert 'value="required" class="govuk-radios__input" id="id_choice_0" required checked' in page

    missing = client.post(url, {})
    assert "Choose whether practitioners who only make referrals enter a code" in missing.content.decode()
    assert client.post(url, {"choice": "optional"})["Location"] == url
    north.refresh_from_db()
    assert north.two_factor_optional_for_referrers
    event = AuditEvent.objects.get(actor=manager, partnership=north, action="change")
    assert event.detail == {"two_factor_optional_for_referrers": True}
    # The same choice again changes nothing and records nothing.
    client.post(url, {"choice": "optional"})
    assert AuditEvent.objects.filter(actor=manager, partnership=north, action="change").count() == 1

    client.post(url, {"choice": "required"})
    north.refresh_from_db()
    assert not north.two_factor_optional_for_referrers
    assert AuditEvent.objects.filter(actor=manager, partnership=north, action="change").count() == 2


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.PRACTITIONER, Role.PANEL_LIAISON])
def test_only_a_business_manager_may_relax_it(client, north, role):
    log_in(client, member(north, role))
    url = reverse("two-factor-referrers", args=[north.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"choice": "optional"}).status_code == 403
    north.refresh_from_db()
    assert not north.two_factor_optional_for_referrers


def test_another_partnerships_business_manager_cannot_relax_it(client, north, outsider):
    log_in(client, outsider)
    assert (
        client.post(reverse("two-factor-referrers", args=[north.pk]), {"choice": "optional"}).status_code
        == 404
    )
    north.refresh_from_db()
    assert not north.two_factor_optional_for_referrers


def test_the_choice_cannot_be_made_by_a_session_that_has_not_entered_its_code(client, north, manager):
    client.force_login(manager)
    response = client.post(reverse("two-factor-referrers", args=[north.pk]), {"choice": "optional"})
    assert sent_to(response) == reverse("two-factor-setup")
    north.refresh_from_db()
    assert not north.two_factor_optional_for_referrers
