"""Publishing the final report moves the case to the publication stage, and the
case page shows the report, published, with its link."""

import datetime as dt

from django.urls import reverse

from cases.models import Case
from publication import services


def test_publishing_moves_the_case_to_publication_and_the_case_page_says_so(ready, client):
    case = ready.review.case
    assert Case.objects.get(pk=case.pk).stage == Case.Stage.REVIEW
    client.force_login(ready.manager)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "not published yet" in page
    services.record_copies(publication=ready.publication, actor=ready.manager,
                           copy_to_panel_on=dt.date(2025, 7, 8),
                           copy_to_secretary_of_state_on=dt.date(2025, 7, 9))
    services.publish(publication=ready.publication, actor=ready.manager,
                     published_on=dt.date(2025, 7, 21))
    assert Case.objects.get(pk=case.pk).stage == Case.Stage.PUBLICATION
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "published on 21 July 2025" in page
    assert reverse("publication:publication-detail", args=[ready.publication.pk]) in page
