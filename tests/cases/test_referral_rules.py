"""The referral's state machine and its refusals: each one changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services
from cases.models import Case, Referral
from cspr.models import AuditEvent
from tests.factories import ReferralFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(north, agencies, practitioner):
    return ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        status=Referral.Status.SUBMITTED,
    )


def test_submitting_an_empty_draft_shows_an_error_summary_linking_to_each_field_and_keeps_what_was_typed(
    client, practitioner, agencies
):
    log_in(client, practitioner)
    response = client.post(
        reverse("cases:referral-create"),
        {
            "referrer_name": "Pat Practitioner",
            "child_1_name": "Jordan Lee Smith",
            "action": "continue",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "There is a problem" in html
    assert '<a href="#id_incident_date-day">Enter the date of the incident</a>' in html
    assert 'value="Jordan Lee Smith"' in html
    # Radios and checkboxes: the summary links to the first option.
    assert '<a href="#id_child_1_nature_0">' in html and 'id="id_child_1_nature_0"' in html
    assert '<a href="#id_agencies_involved_0">' in html
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.DRAFT
    assert [child.name for child in referral.children.all()] == ["Jordan Lee Smith"]
    assert f'action="/referrals/{referral.pk}/edit/"' in html  # the next post changes this draft


def test_a_future_incident_date_is_refused_even_in_a_draft(client, practitioner):
    log_in(client, practitioner)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client.post(
        reverse("cases:referral-create"), {"incident_date": tomorrow.isoformat(), "action": "save"}
    )
    assert "The date of the incident must be today or in the past" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_child_must_be_under_18_at_the_incident(north, agencies, practitioner):
    referral = ReferralFactory(
        partnership=north,
        author=practitioner,
        referrer_agency=agencies["health"],
        children__date_of_birth=dt.date(2000, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_referral(actor=practitioner, referral=referral)
    assert exc.value.message_dict["child_1_date_of_birth"] == [
        "Child 1 must have been under 18 at the time of the incident"
    ]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT


def test_triaging_a_draft_is_refused(north, agencies, practitioner, manager):
    draft = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    with pytest.raises(ValidationError, match="still a draft"):
        services.accept_referral(actor=manager, referral=draft)
    assert not Case.objects.exists()


def test_accepting_twice_is_refused_and_opens_one_case(submitted, manager, client):
    services.accept_referral(actor=manager, referral=submitted)
    log_in(client, manager)
    response = client.post(reverse("cases:referral-accept", args=[submitted.pk]), follow=True)
    assert "This referral has already been accepted." in response.content.decode()
    assert Case.objects.count() == 1


def test_declining_needs_a_reason(submitted, manager, client):
    log_in(client, manager)
    response = client.post(reverse("cases:referral-decline", args=[submitted.pk]), {"reason": "   "})
    html = response.content.decode()
    assert "There is a problem" in html
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.SUBMITTED
    client.post(
        reverse("cases:referral-decline", args=[submitted.pk]),
        {"reason": "Not a serious harm case.", "recommend_other_learning_review": "on"},
    )
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.DECLINED
    assert submitted.recommend_other_learning_review is True
    event = AuditEvent.objects.filter(subject_id=submitted.pk, action="transition").last()
    assert event.subject_label == f"Referral {submitted.pk}"


def test_asking_for_information_needs_a_question_and_the_answer_is_needed_to_resubmit(
    submitted, manager, practitioner
):
    with pytest.raises(ValidationError) as exc:
        services.request_more_information(actor=manager, referral=submitted, question="")
    assert "question" in exc.value.message_dict
    services.request_more_information(actor=manager, referral=submitted, question="Which ward?")
    with pytest.raises(ValidationError) as exc:
        services.submit_referral(actor=practitioner, referral=submitted)
    assert "information_response" in exc.value.message_dict
    services.save_referral_draft(
        actor=practitioner, referral=submitted, values={"information_response": "Ward 7"}
    )
    assert services.submit_referral(actor=practitioner, referral=submitted).status == "submitted"


def test_only_the_author_can_change_or_submit_a_referral(north, agencies, practitioner, manager):
    draft = ReferralFactory(partnership=north, author=practitioner, referrer_agency=agencies["health"])
    with pytest.raises(PermissionDenied):
        services.save_referral_draft(actor=manager, referral=draft, values={"referrer_name": "X"})
    with pytest.raises(PermissionDenied):
        services.submit_referral(actor=manager, referral=draft)


def test_audit_rows_never_carry_the_childs_name(client, practitioner, agencies):
    log_in(client, practitioner)
    client.post(reverse("cases:referral-create"), {"child_1_name": "Jordan Lee Smith", "action": "save"})
    for event in AuditEvent.objects.all():
        assert "Jordan" not in event.subject_label + str(event.detail)
