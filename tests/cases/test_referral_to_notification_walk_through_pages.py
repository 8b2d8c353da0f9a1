"""One referral carried through the pages: written, submitted, questioned, answered,
accepted as a case, and notified to the National Panel, with the clocks running."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case, Referral
from cspr.models import AuditEvent, Deadline
from notifications.models import SeriousIncidentNotification
from tests.factories import log_in

pytestmark = pytest.mark.django_db


def referral_post(agencies, **overrides):
    data = {
        "referrer_name": "Pat Practitioner",
        "referrer_agency": agencies["health"].pk,
        "referrer_role": "Health visitor",
        "referrer_contact": "pat@example.org",
        "child_1_name": "Jordan Lee Smith",
        "child_1_date_of_birth": "2020-03-01",
        "child_1_gender": "male",
        "child_1_ethnicity": "white",
        "child_1_address": "1 Example Street",
        "child_1_nature": "seriously_harmed",
        "incident_date": "2026-03-10",
        "incident_description": "Admitted with unexplained injuries.",
        "abuse_or_neglect": "suspected",
        "why_criteria_met": "Serious injury, physical abuse suspected.",
        "agencies_involved": [agencies["health"].pk, agencies["police"].pk],
        "concerns_about_agencies": "Information was not shared.",
        "childrens_social_care_aware": "yes",
        "other_processes": ["police_investigation"],
        "action": "continue",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_referral_goes_from_the_practitioner_to_a_notified_case(client, practitioner, manager, agencies):
    # The practitioner writes a referral and checks the answers.
    log_in(client, practitioner)
    response = client.post(reverse("cases:referral-create"), referral_post(agencies))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("cases:referral-check", args=[referral.pk])
    check = client.get(response["Location"]).content.decode()
    assert "Jordan Lee Smith" in check and "Northshire Police" in check
    response = client.post(reverse("cases:referral-check", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    # Submitted: the author can no longer change it, sees the status, not the name.
    html = client.get(reverse("cases:referral-list")).content.decode()
    assert "Submitted" in html
    detail = client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert "Jordan Lee Smith" not in detail and "J.L.S." in detail
    response = client.get(reverse("cases:referral-edit", args=[referral.pk]))
    assert response.status_code == 302
    client.post(
        reverse("cases:referral-edit", args=[referral.pk]),
        referral_post(agencies, child_1_name="Someone Else", action="save"),
    )
    assert [child.name for child in referral.children.all()] == ["Jordan Lee Smith"]

    # The business manager asks a question.
    log_in(client, manager)
    html = client.get(reverse("cases:referral-list")).content.decode()
    assert f"Referral {referral.pk}" in html
    detail = client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert "Jordan Lee Smith" in detail and "1 Example Street" in detail
    client.post(
        reverse("cases:referral-request-information", args=[referral.pk]),
        {"question": "Which ward was the child on?"},
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.MORE_INFORMATION_REQUESTED

    # The practitioner sees the question, answers it and submits again.
    log_in(client, practitioner)
    form = client.get(reverse("cases:referral-edit", args=[referral.pk])).content.decode()
    assert "Which ward was the child on?" in form
    response = client.post(
        reverse("cases:referral-edit", args=[referral.pk]),
        referral_post(agencies, information_response="Ward 7"),
    )
    assert response.status_code == 302
    client.post(reverse("cases:referral-check", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED

    # The business manager accepts: a case opens with the partnership's reference.
    log_in(client, manager)
    response = client.post(reverse("cases:referral-accept", args=[referral.pk]))
    case = Case.objects.get()
    year = dt.date.today().year
    assert case.reference == f"NCC-{year}-001"
    assert response["Location"] == reverse("cases:case-detail", args=[case.pk])
    child = case.children.get()
    assert (child.initials, child.age_months, child.gender, child.ethnicity) == (
        "J.L.S.",
        72,
        "male",
        "white",
    )
    assert set(case.agencies.all()) == {agencies["health"], agencies["police"]}
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "Jordan" not in page
    assert AuditEvent.objects.filter(action="view", subject_id=case.pk, subject_label=case.reference).exists()

    # A chronology entry.
    client.post(
        reverse("cases:chronology-add", args=[case.pk]),
        {"date": "2026-03-09", "agency": agencies["police"].pk, "entry": "Police called to the home."},
    )
    assert case.chronology.get().entry == "Police called to the home."

    # The notification: awareness starts the clocks; the Panel date meets one.
    response = client.post(
        reverse("notifications:notification-create", args=[case.pk]),
        {"aware_on": "2026-03-11", "incident_local_authority": "Northshire"},
    )
    notification = SeriousIncidentNotification.objects.get()
    assert {d.rule: d.due_date for d in Deadline.objects.all()} == {
        "notify_panel": dt.date(2026, 3, 18),
        "tell_partners": dt.date(2026, 3, 18),
    }
    response = client.post(
        reverse("notifications:notification-panel", args=[notification.pk]),
        {
            "notified_panel_on": "2026-03-13",
            "panel_reference": "SIN-2026-0042",
            "partners_told_on": "2026-03-12",
        },
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == SeriousIncidentNotification.Status.NOTIFIED
    assert set(Deadline.objects.values_list("status", flat=True)) == {"met"}
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "SIN-2026-0042" in page and "13 March 2026" in page
