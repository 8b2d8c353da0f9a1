"""A local CSPR from the decision to the end of its publication window, through the pages."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cspr.models import AuditEvent, Deadline
from cspr.roles import Role
from publication.models import Briefing, LearningTheme, Publication
from publication.selectors import windows_ending
from reviews.models import Action, Review
from tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    as_if_recorded_on,
    log_in,
    member,
    pdf_upload,
    review_case,
)

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_local_cspr_walks_from_commissioning_to_the_end_of_its_publication_window(client):
    partnership = PartnershipFactory(code="NWK")
    police = AgencyFactory(partnership=partnership, name="Northshire Police")
    health = AgencyFactory(partnership=partnership, name="Northshire Hospitals")
    manager = member(partnership, Role.BUSINESS_MANAGER)
    reviewer = member(partnership, Role.LEAD_REVIEWER)
    officer = member(partnership, Role.REVIEW_TEAM_MEMBER, agency=police)
    case = review_case(partnership)
    log_in(client, manager)

    # Commission a local CSPR.
    ok(
        client.post(
            reverse("reviews:review-commission"),
            {
                "case": case.pk,
                "kind": "local_cspr",
                "decided_on": "2025-01-10",
                "commissioned_on": "2025-01-13",
            },
        )
    )
    review = Review.objects.get(case=case)
    clock = Deadline.objects.get(rule="lcspr_final_report", subject_id=review.pk)
    assert clock.due_date == dt.date(2025, 7, 10)  # 6 calendar months from the decision

    detail = reverse("reviews:review-detail", args=[review.pk])
    ok(client.post(reverse("reviews:review-status", args=[review.pk]), {"step": "start", "on": "2025-01-20"}))
    ok(
        client.post(
            reverse("reviews:review-terms", args=[review.pk]),
            {
                "scope": "Agency contact in the year before the incident",
                "period_from": "2024-01-01",
                "period_to": "2024-12-31",
                "key_lines_of_enquiry": "Information sharing",
                "methodology": "Systems",
            },
        )
    )
    ok(
        client.post(
            reverse("reviews:lead-reviewer-add", args=[review.pk]),
            {"user": reviewer.pk, "name": "", "organisation": "Independent"},
        )
    )
    ok(
        client.post(
            reverse("reviews:team-member-add", args=[review.pk]),
            {"user": officer.pk, "agency": police.pk, "role_on_team": "Police lead"},
        )
    )
    ok(
        client.post(
            reverse("reviews:event-add", args=[review.pk]),
            {
                "date": "2025-02-14",
                "agencies": [police.pk, health.pk],
                "attendee_count": "9",
                "attendee_names": "",
                "notes": "Practitioners' event",
            },
        )
    )
    ok(
        client.post(
            reverse("reviews:family-add", args=[review.pk]),
            {"family_role": "mother", "invited_on": "2025-02-01", "met_on": "2025-02-20"},
        )
    )
    ok(
        client.post(
            reverse("reviews:request-add", args=[review.pk]),
            {"requested_on": "2025-03-01", "what": "draft", "detail": "First draft"},
        )
    )
    ok(
        client.post(
            reverse("reviews:recommendation-add", args=[review.pk]),
            {
                "text": "Agencies share concerns about bruising in non-mobile babies",
                "agencies": [police.pk, health.pk],
                "target_date": "2025-12-31",
            },
        )
    )
    recommendation = review.recommendations.get()
    ok(
        client.post(
            reverse("reviews:action-add", args=[recommendation.pk]),
            {
                "description": "Train all health visitors",
                "owner_agency": health.pk,
                "owner_role": "Named nurse",
                "due_date": "2099-06-30",
                "evidence_of_impact": "Audit of referrals",
            },
        )
    )
    action = Action.objects.get(recommendation=recommendation)
    assert Deadline.objects.get(rule="action_due", subject_id=action.pk).due_date == dt.date(2099, 6, 30)

    page = client.get(detail).content.decode()
    for text in (
        "Information sharing",
        "Independent",
        "Police lead",
        "14 February 2025",
        "Mother",
        "Recommendation 1",
        "Complete the local child safeguarding practice review",
    ):
        assert text in page, text

    # The final report arrives: the review's clock is met.
    theme = LearningTheme.objects.get(slug="information-sharing")
    ok(
        client.post(
            reverse("publication:final-report-add", args=[review.pk]),
            {
                "file": pdf_upload(),
                "title": "Child C: local child safeguarding practice review",
                "reviewer_names": "",
                "child_pseudonym": "Child C",
                "summary_of_improvements": "Better information sharing",
                "systemic_analysis": "Systems",
                "scope": "full",
                "scope_reason": "",
                "received_on": "2025-06-30",
                "themes": [theme.pk],
            },
        )
    )
    publication = Publication.objects.get(review=review)
    review.refresh_from_db()
    assert review.status == Review.Status.FINAL_REPORT_RECEIVED
    clock.refresh_from_db()
    assert (clock.status, clock.met_on) == ("met", dt.date(2025, 6, 30))
    assert publication.reviewer_names == reviewer.get_full_name()

    ok(
        client.post(
            reverse("publication:briefing-add", args=[review.pk]),
            {
                "title": "Child C: 7-minute briefing",
                "background": "b",
                "what_happened": "w",
                "key_learning": "k",
                "what_should_change": "c",
                "question_1": "q1",
                "question_2": "q2",
                "question_3": "q3",
                "publish_with_report": "on",
            },
        )
    )

    # Plan, copies to the Panel and the Secretary of State, publish.
    ok(
        client.post(
            reverse("publication:publication-plan", args=[publication.pk]),
            {"planned_publication_date": "2025-07-21"},
        )
    )
    copies = Deadline.objects.get(rule="copies_before_publication", subject_id=publication.pk)
    assert copies.due_date == dt.date(2025, 7, 10)  # 7 working days before
    ok(
        client.post(
            reverse("publication:publication-copies", args=[publication.pk]),
            {
                "copy_to_panel_on": "2025-07-08",
                "copy_to_secretary_of_state_on": "2025-07-09",
                "copy_to_ofsted_on": "2025-07-09",
            },
        )
    )
    copies.refresh_from_db()
    assert (copies.status, copies.met_on) == ("met", dt.date(2025, 7, 9))
    # Published long before today: the business manager is refused on the field; a
    # partner lead records why.
    page = client.post(
        reverse("publication:publication-publish", args=[publication.pk]),
        {"published_on": "2025-07-21", "override_reason": ""},
    ).content.decode()
    assert "a partner lead must record why" in page
    log_in(client, member(partnership, Role.PARTNER_LEAD))
    ok(
        client.post(
            reverse("publication:publication-publish", args=[publication.pk]),
            {
                "published_on": "2025-07-21",
                "override_reason": "",
                "backdating_reason": "On our website since July 2025.",
            },
        )
    )
    publication.refresh_from_db()
    assert publication.status == "published"
    assert publication.public_until == timezone.localdate() + relativedelta(months=12)
    # As if it had been recorded on the day it was published, to see the window end.
    as_if_recorded_on(publication, dt.date(2025, 7, 21))
    publication.refresh_from_db()
    assert publication.public_until == dt.date(2026, 7, 21)
    window = Deadline.objects.get(
        rule="publication_window",
        subject_id=publication.pk,
        subject_type=ContentType.objects.get_for_model(Publication),
    )
    assert window.due_date == dt.date(2026, 7, 21)
    assert Briefing.objects.get(review=review).status == "published"
    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETED

    # The public sees it without signing in.
    client.logout()
    listing = client.get("/published/").content.decode()
    assert "Child C: local child safeguarding practice review" in listing
    assert "Information sharing" in listing
    assert client.get(f"/published/{partnership.code}/").status_code == 200
    assert client.get(reverse("publication:published-file", args=[publication.pk])).status_code == 200

    # The end of the window: the report stays up, and its page says the 12 months are over.
    assert list(windows_ending(dt.date(2026, 7, 20))) == []
    assert list(windows_ending(dt.date(2026, 7, 21))) == [publication]
    log_in(client, manager)
    page = client.get(reverse("publication:publication-detail", args=[publication.pk])).content.decode()
    assert "minimum 12 months of publication ended" in page  # today is after 21 July 2026
    listing = client.get(reverse("publication:publication-list")).content.decode()
    assert "12 months ended" in listing  # the list asks the same predicate
    assert AuditEvent.objects.filter(
        action="transition", subject_label=f"Publication {publication.pk}"
    ).exists()
