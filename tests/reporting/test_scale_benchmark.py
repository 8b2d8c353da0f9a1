"""`make bench` keeps working: the scale data set builds (here with 2 partnerships
instead of 150) and the benchmark reports every measure against its target. The
times themselves are judged in docs/benchmarks.md, not here; the query count is
not a matter of speed and must stay within its bound."""

import io

import pytest
from django.core.management import call_command

from cspr.models import Deadline, Partnership
from messaging.models import DeliveryLog

pytestmark = pytest.mark.django_db


def test_the_scale_data_set_builds_once_and_the_benchmark_reports_every_measure():
    call_command("seed_scale", "--partnerships", "2", stdout=io.StringIO())
    assert Partnership.objects.filter(code__startswith="Z").count() == 2
    clocks = Deadline.objects.count()
    again = io.StringIO()
    call_command("seed_scale", "--partnerships", "2", stdout=again)
    assert "already there" in again.getvalue() and Deadline.objects.count() == clocks
    # The e-mails it records were delivered long ago: none waits in the outbox.
    assert not DeliveryLog.objects.filter(channel="email").exclude(status="sent").exists()

    out = io.StringIO()
    call_command(
        "bench", "--requests", "3", "--samples", "5", "--page-requests", "2", "--log-growth", "50", stdout=out
    )
    report = out.getvalue()
    for measure in (
        "dashboard 95th percentile",
        "dashboard queries",
        "bare SQL of the same rows",
        "dashboard's rows / bare query",
        "whole dashboard page / bare query",
        "light signed-in page",
        "sweep with nothing to send",
        "Monday sweep of",
        "| planning (the sweep, e-mails queued not sent;",
        "| planning statements |",
        "| sending: statements per e-mail |",
        "EXPLAIN ANALYZE of the escalation check",
        "| escalation check after the sweep, log grown by 50 past escalations",
        "EXPLAIN",
        "| case list |",
        "| case page |",
        "| referral list |",
        "| rapid review list |",
        "| rapid review page |",
        "| review list |",
        "| learning library search",
        "| /published/",
        "| Atom feed",
        "| audit trail |",
        "| audit trail CSV |",
        "| dashboard CSV |",
        "| iCalendar feed |",
        "| API: cases |",
        "| API: rapid reviews |",
        "| API: reviews |",
        "| API: deadlines |",
    ):
        assert measure in report, measure
    queries = next(line for line in report.splitlines() if line.startswith("| dashboard queries"))
    assert queries.endswith("<= 16: met |"), queries
    # Sending the Monday sweep's e-mails costs at most 3 statements each (if it queued any).
    lines = report.splitlines()
    queued = next(line for line in lines if line.startswith("| sending: e-mails sent"))
    per_email = next(line for line in lines if line.startswith("| sending: statements per e-mail"))
    if not queued.startswith("| sending: e-mails sent (locmem backend) | 0 of 0"):
        assert per_email.endswith("<= 3: met |"), per_email
    every_page = report.split("Every page")[1].splitlines()
    for line in every_page:
        if line.startswith("| ") and "ms |" in line:
            assert int(line.split(" | ")[3]) <= 20, line  # queries, whatever the times


def test_the_scale_data_set_has_the_shape_of_the_work():
    from publication.models import Briefing, Publication
    from rapid_review.models import AgencyReturn, RapidReview
    from reviews.models import Action, Review

    call_command("seed_scale", "--partnerships", "2", "--cases-per-partnership", "40", stdout=io.StringIO())
    for model in (RapidReview, AgencyReturn, Review, Action, Publication, Briefing):
        assert model.objects.exists(), model


def test_the_scale_data_set_takes_the_number_of_cases_per_partnership():
    from cases.models import Case

    call_command("seed_scale", "--partnerships", "1", "--cases-per-partnership", "5", stdout=io.StringIO())
    assert Case.objects.filter(partnership__code__startswith="Z").count() == 5
