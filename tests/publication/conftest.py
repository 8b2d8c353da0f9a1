import datetime as dt

import pytest

from cspr.roles import Role
from publication import services
from tests.factories import PartnershipFactory, commissioned_review, member, pdf_upload


@pytest.fixture
def ready(db):
    """A final report with copies sent; returns a namespace of the actors."""
    partnership = PartnershipFactory()
    manager = member(partnership, Role.BUSINESS_MANAGER)
    lead = member(partnership, Role.PARTNER_LEAD)
    review = commissioned_review(partnership, manager, decided_on=dt.date(2025, 1, 10))
    publication = services.create_final_report(
        review=review,
        actor=manager,
        file=pdf_upload(),
        title="Child E: review",
        summary_of_improvements="Improve",
        reviewer_names="Dr Example",
        received_on=dt.date(2025, 6, 1),
    )

    class Ready:
        pass

    ready = Ready()
    ready.partnership, ready.manager, ready.lead = partnership, manager, lead
    ready.review, ready.publication = review, publication
    return ready
