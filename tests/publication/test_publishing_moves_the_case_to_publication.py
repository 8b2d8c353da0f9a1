"""Publishing the final report moves the case to the publication stage, and the
case page shows the report, published, with its link."""

import datetime as dt

from django.urls import reverse

from cases.models import Case
from tests.factories import log_in, publish_long_ago


def test_publishing_moves_the_case_to_publication_and_the_case_page_says_so(ready, client):
    case = ready.review.case
    assert Case.objects.get(pk=case.pk).stage == Case.Stage.REVIEW
    log_in(client, ready.manager)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "not published yet" in page
    publish_long_ago(
        ready.publication, copies_on=dt.date(2025, 7, 9), published_on=dt.date(2025, 7, 21), actor=ready.lead
    )
    assert Case.objects.get(pk=case.pk).stage == Case.Stage.PUBLICATION
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "published on 21 July 2025" in page
    assert reverse("publication:publication-detail", args=[ready.publication.pk]) in page
