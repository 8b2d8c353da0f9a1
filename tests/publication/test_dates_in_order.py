"""The final report's dates in the order the events happened: decision, final
report received, the three copies (Panel, Secretary of State, Ofsted), publication,
taking down. Each through the page and the API; nothing saved when refused. The
``ready`` report: decided 10 January 2025, received 1 June 2025."""

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cspr.models import Deadline
from publication import services
from publication.models import Publication
from reviews import services as review_services
from tests.factories import commissioned_review, log_in

pytestmark = pytest.mark.django_db

COPY_BEFORE_REPORT = (
    "The date the copy was sent to Ofsted (31 May 2025) must be on or after the date the "
    "final report was received (1 June 2025)"
)


def test_a_copy_dated_before_the_final_report_arrived_is_refused_on_the_page(client, ready):
    log_in(client, ready.manager)
    response = client.post(
        reverse("publication:publication-copies", args=[ready.publication.pk]),
        {
            "copy_to_panel_on": "2025-06-02",
            "copy_to_secretary_of_state_on": "2025-06-02",
            "copy_to_ofsted_on": "2025-05-31",
        },
    )
    assert COPY_BEFORE_REPORT in html.unescape(response.content.decode())
    ready.publication.refresh_from_db()
    assert ready.publication.copy_to_panel_on is None  # nothing half-saved


def test_a_copy_dated_before_the_final_report_arrived_is_a_400_through_the_api(client, ready):
    log_in(client, ready.manager)
    response = client.post(
        f"/api/v1/publications/{ready.publication.pk}/record-copies/",
        {"copy_to_panel_on": "2025-06-02", "copy_to_ofsted_on": "2025-05-31"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["copy_to_ofsted_on"] == [COPY_BEFORE_REPORT]
    ready.publication.refresh_from_db()
    assert ready.publication.copy_to_panel_on is None


def test_the_ofsted_copy_is_part_of_the_clock_and_of_the_check_before_publishing(ready):
    services.plan_publication(
        publication=ready.publication, actor=ready.manager, planned_publication_date=dt.date(2025, 7, 21)
    )
    publication = services.record_copies(
        publication=ready.publication,
        actor=ready.manager,
        copy_to_panel_on=dt.date(2025, 7, 8),
        copy_to_secretary_of_state_on=dt.date(2025, 7, 9),
    )
    copies = Deadline.objects.get(
        rule="copies_before_publication",
        subject_id=publication.pk,
        subject_type=ContentType.objects.get_for_model(Publication),
    )
    assert copies.status == "open" and services.earliest_publication_date(publication) is None
    assert "Ofsted" in copies.rule_definition.title
    with pytest.raises(Exception, match="not yet recorded: Ofsted"):
        services.publish(
            publication=publication,
            actor=ready.lead,
            published_on=dt.date(2025, 7, 21),
            backdating_reason="Recorded late.",
        )
    publication = services.record_copies(
        publication=publication, actor=ready.manager, copy_to_ofsted_on=dt.date(2025, 7, 10)
    )
    copies.refresh_from_db()
    assert (copies.status, copies.met_on) == ("met", dt.date(2025, 7, 10))


def test_publication_before_the_last_copy_is_refused_even_with_a_partner_leads_reason(client, ready):
    services.record_copies(
        publication=ready.publication,
        actor=ready.manager,
        copy_to_panel_on=dt.date(2025, 7, 8),
        copy_to_secretary_of_state_on=dt.date(2025, 7, 9),
        copy_to_ofsted_on=dt.date(2025, 7, 10),
    )
    log_in(client, ready.lead)
    response = client.post(
        f"/api/v1/publications/{ready.publication.pk}/publish/",
        {"published_on": "2025-07-09", "override_reason": "Court", "backdating_reason": "Late"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["published_on"] == [
        "The publication date (9 July 2025) must be on or after the date the copy was sent to "
        "Ofsted (10 July 2025)"
    ]
    assert Publication.objects.get().status == "preparing"


def test_a_planned_date_more_than_two_years_ahead_is_refused(client, ready):
    log_in(client, ready.manager)
    far = dt.date.today() + dt.timedelta(days=3 * 366)
    response = client.post(
        f"/api/v1/publications/{ready.publication.pk}/plan/",
        {"planned_publication_date": far.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "2 years from today" in response.json()["planned_publication_date"][0]
    assert Publication.objects.get().planned_publication_date is None


def test_a_final_report_before_the_decision_is_refused_page_and_api(client, ready):
    review = commissioned_review(ready.partnership, ready.manager, decided_on=dt.date(2025, 3, 3))
    message = (
        "The date the final report was received (2 March 2025) must be on or after the "
        "date of the decision (3 March 2025)"
    )
    log_in(client, ready.manager)
    response = client.post(
        reverse("reviews:review-status", args=[review.pk]),
        {"step": "final_report_received", "on": "2025-03-02"},
    )
    assert message in html.unescape(response.content.decode())
    response = client.post(
        f"/api/v1/reviews/{review.pk}/progress/",
        {"step": "final_report_received", "on": "2025-03-02"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["on"] == [message]
    review.refresh_from_db()
    assert (review.status, review.final_report_received_on) == ("commissioned", None)
    review_services.record_final_report_received(
        review=review, actor=ready.manager, received_on=dt.date(2025, 3, 3)
    )


def test_taking_down_before_publication_is_refused(ready):
    from tests.factories import publish_long_ago

    publication = publish_long_ago(
        ready.publication, copies_on=dt.date(2025, 7, 1), published_on=dt.date(2025, 7, 15), actor=ready.lead
    )
    with pytest.raises(Exception, match=r"The date taken down \(14 July 2025\) must be on or after"):
        services.take_down(
            publication=publication,
            actor=ready.lead,
            reason="Court order",
            taken_down_on=dt.date(2025, 7, 14),
        )
    assert Publication.objects.get().status == "published"


def test_a_backdated_publication_by_a_business_manager_is_refused_on_the_page(client, ready):
    services.record_copies(
        publication=ready.publication,
        actor=ready.manager,
        copy_to_panel_on=dt.date(2025, 7, 1),
        copy_to_secretary_of_state_on=dt.date(2025, 7, 1),
        copy_to_ofsted_on=dt.date(2025, 7, 1),
    )
    log_in(client, ready.manager)
    url = reverse("publication:publication-publish", args=[ready.publication.pk])
    text = html.unescape(
        client.post(url, {"published_on": "2025-07-15", "backdating_reason": "Late"}).content.decode()
    )
    assert "Only a partner lead can record a publication date more than 5 working days" in text
    assert Publication.objects.get().status == "preparing"
