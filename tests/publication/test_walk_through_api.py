"""The same walk through the REST API: /api/v1/reviews/, /recommendations/,
/actions/, /publications/."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from tests.factories import AgencyFactory, PartnershipFactory, log_in, member, pdf_upload, review_case

pytestmark = pytest.mark.django_db


def test_a_local_cspr_walks_from_commissioning_to_publication_through_the_api(client):
    partnership = PartnershipFactory(code="APIW")
    police = AgencyFactory(partnership=partnership)
    manager = member(partnership, Role.BUSINESS_MANAGER)
    lead = member(partnership, Role.PARTNER_LEAD)
    officer = member(partnership, Role.REVIEW_TEAM_MEMBER, agency=police)
    case = review_case(partnership)
    log_in(client, manager)

    response = client.post(
        "/api/v1/reviews/",
        {"case": case.pk, "kind": "local_cspr", "decided_on": "2025-01-10", "commissioned_on": "2025-01-13"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    review_id = response.json()["id"]
    assert (
        client.patch(
            f"/api/v1/reviews/{review_id}/", {"scope": "One year"}, content_type="application/json"
        ).json()["scope"]
        == "One year"
    )
    response = client.post(
        f"/api/v1/reviews/{review_id}/team-members/",
        {"user": officer.pk, "agency": police.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["team_members"][0]["user"] == officer.pk
    client.post(
        f"/api/v1/reviews/{review_id}/lead-reviewers/",
        {"name": "Dr Ada Example"},
        content_type="application/json",
    )

    response = client.post(
        "/api/v1/recommendations/",
        {
            "review": review_id,
            "text": "Share information",
            "agencies": [police.pk],
            "target_date": "2025-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    rec_id = response.json()["id"]
    response = client.post(
        "/api/v1/actions/",
        {
            "recommendation": rec_id,
            "description": "Train staff",
            "owner_role": "Head of training",
            "due_date": "2025-09-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    action_id = response.json()["id"]
    assert response.json()["current_status"] == "overdue"  # due date passed, not complete
    response = client.patch(
        f"/api/v1/actions/{action_id}/",
        {"status": "complete", "completed_on": "2025-09-01"},
        content_type="application/json",
    )
    assert response.json()["current_status"] == "complete"
    assert Deadline.objects.get(rule="action_due", subject_id=action_id).status == "met"
    assert (
        client.post(
            f"/api/v1/actions/{action_id}/updates/",
            {"note": "Done", "date": "2025-09-01"},
            content_type="application/json",
        ).status_code
        == 201
    )
    nested = client.get(f"/api/v1/recommendations/{rec_id}/").json()
    assert nested["actions"][0]["id"] == action_id

    response = client.post(
        "/api/v1/publications/",
        {
            "review": review_id,
            "file": pdf_upload(),
            "title": "Child D: review",
            "summary_of_improvements": "Improve",
            "received_on": "2025-06-01",
            "themes": ["neglect"],
        },
    )
    assert response.status_code == 201, response.json()
    pub = response.json()
    assert pub["reviewer_names"] == "Dr Ada Example"
    pub_id = pub["id"]
    client.post(
        f"/api/v1/publications/{pub_id}/plan/",
        {"planned_publication_date": "2025-07-21"},
        content_type="application/json",
    )
    response = client.post(
        f"/api/v1/publications/{pub_id}/record-copies/",
        {"copy_to_panel_on": "2025-07-08", "copy_to_secretary_of_state_on": "2025-07-09"},
        content_type="application/json",
    )
    assert response.json()["earliest_publication_date"] is None  # Ofsted's copy is missing
    response = client.post(
        f"/api/v1/publications/{pub_id}/record-copies/",
        {"copy_to_ofsted_on": "2025-07-09"},
        content_type="application/json",
    )
    assert response.json()["earliest_publication_date"] == "2025-07-18"

    # Too early: 409 with the reason; a business manager cannot override.
    response = client.post(
        f"/api/v1/publications/{pub_id}/publish/",
        {"published_on": "2025-07-15"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "too early" in response.json()["published_on"][0]
    response = client.post(
        f"/api/v1/publications/{pub_id}/publish/",
        {"published_on": "2025-07-15", "override_reason": "Court timetable"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "partner lead" in response.json()["backdating_reason"][0]
    # A publication date long before today needs a partner lead's reason.
    response = client.post(
        f"/api/v1/publications/{pub_id}/publish/",
        {"published_on": "2025-07-18"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "a partner lead must record why" in response.json()["backdating_reason"][0]
    assert client.get(f"/api/v1/publications/{pub_id}/").json()["status"] == "preparing"
    log_in(client, lead)
    response = client.post(
        f"/api/v1/publications/{pub_id}/publish/",
        {"published_on": "2025-07-18", "backdating_reason": "On our website since July 2025."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    today = timezone.localdate()
    # The 12 months count from the day the publication was recorded, not the backdated date.
    assert response.json()["public_until"] == (today + relativedelta(months=12)).isoformat()
    assert response.json()["published_recorded_on"] == today.isoformat()
    assert response.json()["minimum_window_ended"] is False
    event = AuditEvent.objects.filter(subject_label=f"Publication {pub_id}", action="transition").latest("id")
    assert event.detail["backdating_reason"] == "On our website since July 2025."

    assert client.get("/api/v1/publications/?status=published&theme=neglect").json()["count"] == 1
    assert client.get("/api/v1/reviews/?status=completed").json()["count"] == 1

    # The business manager cannot take it down the same day: the window is not dodged.
    log_in(client, manager)
    response = client.post(
        f"/api/v1/publications/{pub_id}/take-down/", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/v1/publications/{pub_id}/take-down/",
        {"reason": "Twelve months are over"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "only a partner lead can take it down" in str(response.json())
    log_in(client, lead)
    response = client.post(
        f"/api/v1/publications/{pub_id}/take-down/",
        {"reason": "Court order"},
        content_type="application/json",
    )
    assert response.json()["status"] == "taken_down"
    assert client.get("/published/").content.decode().count("Child D") == 0


def test_another_partnerships_user_gets_404_on_every_endpoint(client):
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    from tests.factories import commissioned_review

    review = commissioned_review(partnership, manager)
    outsider = member(PartnershipFactory(), Role.BUSINESS_MANAGER)
    log_in(client, outsider)
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    assert client.get("/api/v1/reviews/").json()["count"] == 0
    response = client.post(
        f"/api/v1/reviews/{review.pk}/progress/",
        {"step": "start", "on": "2026-01-21"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/reviews/",
        {"case": review.case.pk, "kind": "local_cspr", "decided_on": "2026-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 404  # the case is not one they can see


def test_the_api_schema_generates_without_warnings():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DEBUG": "true"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
