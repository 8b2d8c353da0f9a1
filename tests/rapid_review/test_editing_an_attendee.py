"""An attendee recorded with a wrong name, role or agency is corrected on its own
page or by the API, audited, until the rapid review is sent to the Panel."""

import pytest
from django.urls import reverse

from cspr.models import AuditEvent
from tests.factories import AgencyFactory, log_in

from .conftest import advance
from .test_removals import open_review_with_records, text

pytestmark = pytest.mark.django_db


def edit_url(review, attendee):
    return reverse("rapid_review:attendee-edit", args=[review.pk, attendee.pk])


def test_an_attendee_is_corrected_from_the_rapid_review_page_and_audited(world, client):
    review = open_review_with_records(world)
    attendee = review.meetings.get(date__day=10).attendees.get(name="Sam Reyes")
    log_in(client, world.manager)
    detail = client.get(reverse("rapid_review:detail", args=[review.pk])).content.decode()
    assert edit_url(review, attendee) in detail

    page = client.get(edit_url(review, attendee)).content.decode()
    assert 'value="Sam Reyes"' in page and 'value="Named nurse"' in page
    response = client.post(
        edit_url(review, attendee),
        {
            "attendee-name": "Sam Reyes",
            "attendee-role": "Designated nurse for safeguarding",
            "attendee-agency": world.health.pk,
        },
    )
    assert response.status_code == 302
    attendee.refresh_from_db()
    assert attendee.role == "Designated nurse for safeguarding"
    assert AuditEvent.objects.filter(detail__attendee_changed=attendee.pk).exists()


def test_an_empty_name_is_refused_on_its_field_and_nothing_changes(world, client):
    review = open_review_with_records(world)
    attendee = review.meetings.get(date__day=10).attendees.get(name="Dana Okafor")
    log_in(client, world.manager)
    response = client.post(edit_url(review, attendee), {"attendee-name": " ", "attendee-role": "DI"})
    assert response.status_code == 200
    assert "Enter the attendee's name." in text(response)
    attendee.refresh_from_db()
    assert (attendee.name, attendee.role) == ("Dana Okafor", "Detective Inspector")


def test_the_api_corrects_an_attendee_and_refuses_once_sent_to_the_panel(world, client):
    review = open_review_with_records(world)
    attendee = review.meetings.get(date__day=14).attendees.get(name="Lee Adams")
    url = reverse("api:rapid-review-attendee", args=[review.pk, attendee.pk])
    log_in(client, world.manager)
    response = client.patch(
        url, {"role": "Team manager, children's social care"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "Team manager, children's social care"
    elsewhere = AgencyFactory(partnership=world.other)
    refused = client.patch(url, {"agency": elsewhere.pk}, content_type="application/json")
    assert refused.status_code == 400 and "agency" in refused.json()

    advance(world, "submitted", review=review)
    refused = client.patch(url, {"role": "Changed after sending"}, content_type="application/json")
    assert refused.status_code == 409 and "non_field_errors" in refused.json()
    assert (
        client.post(
            edit_url(review, attendee),
            {
                "attendee-name": "Lee Adams",
                "attendee-role": "Changed after sending",
            },
        ).status_code
        == 200
    )
    attendee.refresh_from_db()
    assert attendee.role == "Team manager, children's social care"


@pytest.mark.parametrize("who", ["practitioner", "outsider"])
def test_a_practitioner_or_another_partnerships_user_gets_not_found(world, client, who):
    review = open_review_with_records(world)
    attendee = review.meetings.first().attendees.first()
    log_in(client, getattr(world, who))
    assert client.get(edit_url(review, attendee)).status_code == 404
    response = client.patch(
        reverse("api:rapid-review-attendee", args=[review.pk, attendee.pk]),
        {"role": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_edit_page_runs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    review = open_review_with_records(world)
    attendee = review.meetings.first().attendees.first()
    log_in(client, world.manager)
    with django_assert_max_num_queries(15):
        assert client.get(edit_url(review, attendee)).status_code == 200
