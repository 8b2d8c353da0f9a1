import pytest

from cspr import demo as kernel_demo
from publication import demo as publication_demo
from publication.models import Publication
from reviews import demo as reviews_demo
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_demo_data_seeds_a_review_in_progress_and_a_published_report_and_can_run_twice(client):
    for _ in range(2):
        context = kernel_demo.seed()
        reviews_demo.seed(context)
        publication_demo.seed(context)
    review = Review.objects.get(case__reference=reviews_demo.DEMO_REFERENCE)
    assert review.status == "in_progress"
    assert review.recommendations.count() == 2
    assert Publication.objects.filter(status="published").count() == 1
    assert "Child F" in client.get("/published/").content.decode()
