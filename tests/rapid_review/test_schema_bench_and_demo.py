"""The OpenAPI schema still generates cleanly; the PDF benchmark runs and leaves
nothing behind; the demo data opens a rapid review and is safe to run twice."""

import io

import pytest
from django.core.management import call_command

from cspr.models import Deadline, Partnership
from rapid_review.models import RapidReview
from tests.factories import log_in

pytestmark = pytest.mark.django_db


def test_the_api_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


def test_the_schema_documents_the_rapid_review_endpoints(client, world):
    log_in(client, world.manager)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in [
        "/api/v1/rapid-reviews/",
        "/api/v1/rapid-reviews/{id}/decide/",
        "/api/v1/rapid-reviews/{id}/submit/",
        "/api/v1/rapid-reviews/{id}/pdf/",
        "/api/v1/rapid-reviews/{id}/record-meeting/",
        "/api/v1/rapid-reviews/{id}/record-panel-response/",
    ]:
        assert path in paths, path


def test_every_operation_documents_its_error_responses(client, world):
    """An API user reads the shape of a refusal in the schema before meeting one:
    400 with the messages by field for a body or query, 401, 403, 404, and 409 (a
    rule refused it) on what changes something."""
    log_in(client, world.manager)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    decide = paths["/api/v1/rapid-reviews/{id}/decide/"]["post"]["responses"]
    assert decide["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrors"
    }
    assert decide["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrors"
    }
    assert {"401", "403", "404", "415"} <= decide.keys()
    listing = paths["/api/v1/rapid-reviews/"]["get"]["responses"]
    # A list: a filter that is not valid (400), a page past the end (404); no 409.
    assert {"400", "401", "403", "404"} <= listing.keys() and "409" not in listing


def test_the_pdf_benchmark_reports_a_median_and_rolls_back(world):
    out = io.StringIO()
    call_command("bench_pdf", "--renders", "1", "--returns", "3", stdout=out)
    assert "median" in out.getvalue()
    assert not Partnership.objects.filter(code="BENCH").exists()


def test_the_demo_data_opens_a_rapid_review_with_its_clock_and_is_safe_twice(demo):
    from rapid_review import demo as rapid_demo

    rapid_demo.seed(demo)
    rapid_demo.seed(demo)
    review = RapidReview.objects.get()
    assert review.status == "meeting_held"
    assert Deadline.objects.filter(rule="rapid_review").count() == 1
