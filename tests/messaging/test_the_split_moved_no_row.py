"""Messages, the delivery log, e-mail preferences, calendar feeds and learning themes
moved to the apps that now own them without a row moving: a database holding them,
migrated back to before the move and forward again, still holds every row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cspr.models import LearningTheme
from deadlines.models import CalendarFeed
from deadlines.services import calendar_feed_for, sweep_deadlines
from messaging.models import DeliveryLog, EmailPreference, Message
from messaging.services import update_email_preferences
from publication.models import Publication
from tests.deadlines.conftest import DUE
from tests.factories import open_clock

BEFORE_THE_MOVE = [
    ("notifications", "0004_milestones_carry_the_due_date"),
    ("cspr", "0002_auditevent_append_only"),
    ("publication", "0002_seed_learning_themes"),
]


def _counts():
    return {
        "messages": Message.objects.count(),
        "deliveries": DeliveryLog.objects.count(),
        "preferences": EmailPreference.objects.count(),
        "feeds": CalendarFeed.objects.count(),
        "themes": LearningTheme.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_moved_models_keep_every_row_back_and_forward(team):
    open_clock(team["partnership"], due_date=DUE)
    sweep_deadlines(today=dt.date(2026, 11, 23))
    update_email_preferences(
        user=team["manager"],
        early_reminders=False,
        late_reminders=True,
        due_day_reminders=True,
        weekly_digest=False,
    )
    calendar_feed_for(user=team["manager"])
    LearningTheme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    before = _counts()
    assert before["messages"] and before["deliveries"] and before["themes"]
    assert before["preferences"] == before["feeds"] == 1

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    assert old.get_model("notifications", "Message").objects.count() == before["messages"]
    assert old.get_model("notifications", "DeliveryLog").objects.count() == before["deliveries"]
    assert old.get_model("notifications", "EmailPreference").objects.count() == 1
    assert old.get_model("notifications", "CalendarFeed").objects.count() == 1
    assert old.get_model("publication", "LearningTheme").objects.count() == before["themes"]

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _counts() == before
    preference = EmailPreference.objects.get(user=team["manager"])
    assert (preference.early_reminders, preference.weekly_digest) == (False, False)
    # The links from publications and briefings to themes still resolve.
    assert Publication.themes.field.related_model is LearningTheme
