"""A business manager corrects the dates of a notification recorded wrongly, and the
statutory clocks move with them: the 5 working days from awareness, the met ones
re-met on the corrected dates, and the rapid review's 15 working days."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cspr.models import AuditEvent, Deadline
from cspr.workdays import add_working_days
from notifications import services
from notifications.models import SeriousIncidentNotification as Notification
from notifications.signals import notification_corrected
from rapid_review.models import RapidReview
from rapid_review.services import open_rapid_review
from tests.factories import LOOKED_AFTER_CHILD_DIED, CaseFactory, log_in

pytestmark = pytest.mark.django_db
D = dt.date

#: "Today" is Friday 8 January 2027, after Christmas, Boxing Day (observed on Monday
#: 28 December) and New Year's Day.
TODAY = D(2027, 1, 8)
REASON = "The date of awareness was typed wrongly."


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def case(north):
    return CaseFactory(partnership=north, reference="NCC-2026-001", incident_date=D(2026, 12, 1))


def _aware(case, manager, aware_on):
    return services.record_notification(
        actor=manager, case=case, aware_on=aware_on, incident_local_authority="Northshire"
    )


def _notified(case, manager, *, aware_on, notified_panel_on, partners_told_on=None):
    notification = _aware(case, manager, aware_on)
    return services.record_panel_notification(
        actor=manager,
        notification=notification,
        notified_panel_on=notified_panel_on,
        panel_reference="SIN-1",
        partners_told_on=partners_told_on,
    )


def _clocks():
    return {d.rule: d for d in Deadline.objects.all()}


def _state():
    """Everything a correction may change, to show a refused one changed nothing."""
    return (
        list(Notification.objects.values()),
        list(Deadline.objects.values()),
        list(RapidReview.objects.values("anchor_date")),
        AuditEvent.objects.count(),
    )


def test_correcting_awareness_moves_its_clocks_across_the_christmas_bank_holidays(case, manager):
    notification = _aware(case, manager, D(2026, 12, 16))
    assert _clocks()["notify_panel"].due_date == D(2026, 12, 23)
    services.correct_notification(
        actor=manager, notification=notification, aware_on=D(2026, 12, 23), reason=REASON
    )
    expected = add_working_days(D(2026, 12, 23), 5)
    assert expected == D(2027, 1, 4)  # not 30 December: three bank holidays in between
    clocks = _clocks()
    assert clocks["notify_panel"].due_date == clocks["tell_partners"].due_date == expected
    assert clocks["notify_panel"].start_date == D(2026, 12, 23)
    notification.refresh_from_db()
    assert notification.aware_on == D(2026, 12, 23)


def test_a_missed_clock_is_open_again_when_the_corrected_due_date_is_still_ahead(case, manager):
    notification = _aware(case, manager, D(2026, 12, 2))
    Deadline.objects.update(status=Deadline.Status.MISSED)  # as the sweep would have
    correction = services.correct_notification(
        actor=manager, notification=notification, aware_on=D(2027, 1, 6), reason=REASON
    )
    for clock in _clocks().values():
        assert clock.status == "open"
        assert clock.due_date == add_working_days(D(2027, 1, 6), 5)
    assert {c.deadline.rule for c in correction.clocks} == {"notify_panel", "tell_partners"}
    assert all(c.old_status == "missed" for c in correction.clocks)


def test_met_clocks_stay_met_on_the_corrected_dates_and_are_measured_against_the_moved_due_date(
    case, manager
):
    notification = _notified(
        case,
        manager,
        aware_on=D(2026, 12, 16),
        notified_panel_on=D(2026, 12, 29),
        partners_told_on=D(2026, 12, 30),
    )
    services.correct_notification(
        actor=manager,
        notification=notification,
        aware_on=D(2026, 12, 23),
        notified_panel_on=D(2027, 1, 4),
        partners_told_on=D(2027, 1, 5),
        reason=REASON,
    )
    clocks = _clocks()
    assert (clocks["notify_panel"].status, clocks["notify_panel"].met_on) == ("met", D(2027, 1, 4))
    assert clocks["notify_panel"].due_date == add_working_days(D(2026, 12, 23), 5)
    assert clocks["notify_panel"].met_on <= clocks["notify_panel"].due_date  # on time now
    assert (clocks["tell_partners"].status, clocks["tell_partners"].met_on) == ("met", D(2027, 1, 5))


def test_the_partners_date_can_be_added_or_cleared_and_its_clock_follows(case, manager):
    notification = _notified(case, manager, aware_on=D(2027, 1, 4), notified_panel_on=D(2027, 1, 5))
    services.correct_notification(
        actor=manager, notification=notification, partners_told_on=D(2027, 1, 6), reason=REASON
    )
    assert _clocks()["tell_partners"].met_on == D(2027, 1, 6)
    services.correct_notification(
        actor=manager, notification=notification, partners_told_on=None, reason=REASON
    )
    assert (_clocks()["tell_partners"].status, _clocks()["tell_partners"].met_on) == ("open", None)


def test_the_rapid_review_anchored_on_the_panel_notification_moves_with_it(case, manager):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    review = open_rapid_review(case=case, actor=manager)
    assert _clocks()["rapid_review"].due_date == add_working_days(D(2026, 12, 18), 15)
    correction = services.correct_notification(
        actor=manager,
        notification=notification,
        notified_panel_on=D(2026, 12, 23),
        reason=REASON,
    )
    review.refresh_from_db()
    assert review.anchor_date == D(2026, 12, 23)
    rapid = _clocks()["rapid_review"]
    assert rapid.start_date == D(2026, 12, 23)
    assert rapid.due_date == add_working_days(D(2026, 12, 23), 15)
    moved = {c.deadline.rule: c for c in correction.clocks}
    assert moved["rapid_review"].old_due_date == add_working_days(D(2026, 12, 18), 15)
    assert AuditEvent.objects.filter(subject_id=review.pk, action="change", detail__reason=REASON).exists()


def test_the_rapid_review_anchored_on_awareness_moves_only_with_awareness(north, case, manager):
    north.rapid_review_anchor = "awareness"
    north.save()
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    open_rapid_review(case=case, actor=manager)
    services.correct_notification(
        actor=manager, notification=notification, notified_panel_on=D(2026, 12, 21), reason=REASON
    )
    assert _clocks()["rapid_review"].start_date == D(2026, 12, 16)
    services.correct_notification(
        actor=manager, notification=notification, aware_on=D(2026, 12, 17), reason=REASON
    )
    assert _clocks()["rapid_review"].due_date == add_working_days(D(2026, 12, 17), 15)


def test_a_rapid_review_already_sent_to_the_panel_keeps_its_dates(case, manager):
    from cspr.services import meet_deadline

    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    review = open_rapid_review(case=case, actor=manager)
    meet_deadline(rule="rapid_review", subject=review, met_on=D(2027, 1, 7))
    correction = services.correct_notification(
        actor=manager, notification=notification, notified_panel_on=D(2026, 12, 21), reason=REASON
    )
    kept = next(c for c in correction.clocks if c.deadline.rule == "rapid_review")
    assert not kept.due_date_moved and kept.deadline.met_on == D(2027, 1, 7)  # listed, unmoved
    review.refresh_from_db()
    assert review.anchor_date == D(2026, 12, 18)
    assert _clocks()["rapid_review"].due_date == add_working_days(D(2026, 12, 18), 15)


def test_the_correction_is_audited_once_with_the_old_and_new_values_and_the_reason(case, manager):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    services.correct_notification(
        actor=manager,
        notification=notification,
        aware_on=D(2026, 12, 15),
        panel_reference=" SIN-2 ",
        reason=REASON,
    )
    events = AuditEvent.objects.filter(
        subject_id=notification.pk, action="change", subject_type__model="seriousincidentnotification"
    )
    assert events.count() == 1
    assert events.get().actor == manager
    assert events.get().detail == {
        "corrected": {"aware_on": ["2026-12-16", "2026-12-15"], "panel_reference": ["SIN-1", "SIN-2"]},
        "reason": REASON,
    }


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"aware_on": TODAY + dt.timedelta(days=1)}, "aware_on", "must be today or in the past"),
        ({"aware_on": D(2026, 11, 30)}, "aware_on", "on or after the date of the incident"),
        ({"aware_on": None}, "aware_on", "Enter the date the local authority became aware"),
        (
            {"aware_on": D(2026, 12, 21)},
            "notified_panel_on",
            "on or after the date the local authority became aware",
        ),
        (
            {"notified_panel_on": D(2026, 12, 15)},
            "notified_panel_on",
            "on or after the date the local authority became aware",
        ),
        ({"panel_reference": " "}, "panel_reference", "Enter the notification reference"),
        ({"aware_on": D(2026, 12, 15), "reason": ""}, "reason", "Enter why the dates are corrected"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(case, manager, changes, field, message):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    open_rapid_review(case=case, actor=manager)
    before = _state()
    with pytest.raises(ValidationError) as exc:
        services.correct_notification(
            actor=manager, notification=notification, **{"reason": REASON, **changes}
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert _state() == before


def test_the_ofsted_date_stays_required_when_ofsted_must_be_notified(north, manager):
    case = CaseFactory(partnership=north, children=[LOOKED_AFTER_CHILD_DIED], incident_date=D(2026, 12, 1))
    notification = services.record_notification(
        actor=manager,
        case=case,
        aware_on=D(2026, 12, 16),
        incident_local_authority="N",
        ofsted_required=True,
    )
    services.record_panel_notification(
        actor=manager,
        notification=notification,
        notified_panel_on=D(2026, 12, 18),
        panel_reference="S",
        notified_ofsted_on=D(2026, 12, 18),
    )
    with pytest.raises(ValidationError) as exc:
        services.correct_notification(
            actor=manager, notification=notification, notified_ofsted_on=None, reason=REASON
        )
    assert "notified_ofsted_on" in exc.value.message_dict
    services.correct_notification(
        actor=manager,
        notification=notification,
        aware_on=D(2026, 12, 17),
        notified_ofsted_on=D(2026, 12, 22),
        reason=REASON,
    )
    ofsted = _clocks()["notify_ofsted_looked_after_death"]
    assert (ofsted.status, ofsted.met_on) == ("met", D(2026, 12, 22))
    assert ofsted.due_date == add_working_days(D(2026, 12, 17), 5)


def test_the_panel_dates_cannot_be_corrected_before_they_are_recorded(case, manager):
    notification = _aware(case, manager, D(2026, 12, 16))
    with pytest.raises(ValidationError) as exc:
        services.correct_notification(
            actor=manager, notification=notification, notified_panel_on=D(2026, 12, 18), reason=REASON
        )
    assert "not recorded yet" in exc.value.message_dict["notified_panel_on"][0]


def test_a_correction_that_changes_nothing_is_refused(case, manager):
    notification = _aware(case, manager, D(2026, 12, 16))
    with pytest.raises(ValidationError, match="Nothing to correct"):
        services.correct_notification(
            actor=manager, notification=notification, aware_on=D(2026, 12, 16), reason=REASON
        )


def test_a_withdrawn_notification_cannot_be_corrected(case, manager):
    notification = _aware(case, manager, D(2026, 12, 16))
    services.withdraw_notification(actor=manager, notification=notification, reason="No abuse.")
    with pytest.raises(ValidationError, match="withdrawn: its dates cannot be corrected"):
        services.correct_notification(
            actor=manager, notification=notification, aware_on=D(2026, 12, 17), reason=REASON
        )


def test_a_failure_in_a_later_stage_rolls_the_whole_correction_back(case, manager):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    open_rapid_review(case=case, actor=manager)
    before = _state()

    def broken(sender, **kwargs):
        raise RuntimeError("later stage failed")

    notification_corrected.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            services.correct_notification(
                actor=manager,
                notification=notification,
                aware_on=D(2026, 12, 15),
                notified_panel_on=D(2026, 12, 21),
                reason=REASON,
            )
    finally:
        notification_corrected.disconnect(dispatch_uid="test-broken")
    assert _state() == before


def test_the_rapid_review_listens_for_corrections_from_startup():
    """The receiver is connected by Django's start-up (rapid_review's ready()), not
    only once some test or view imports rapid_review.services."""
    code = (
        "import django; django.setup();"
        "from notifications.signals import notification_corrected as s;"
        "print(s.has_listeners())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cspr.settings"},
    )
    assert out.stdout.strip() == "True"


# -- who may correct -----------------------------------------------------------------


def test_a_practitioner_and_another_partnerships_business_manager_cannot_correct(
    case, manager, practitioner, outsider
):
    notification = _aware(case, manager, D(2026, 12, 16))
    for user in (practitioner, outsider):
        with pytest.raises(PermissionDenied):
            services.correct_notification(
                actor=user, notification=notification, aware_on=D(2026, 12, 17), reason=REASON
            )
    notification.refresh_from_db()
    assert notification.aware_on == D(2026, 12, 16)


def test_the_page_and_the_api_refuse_a_practitioner_and_another_partnerships_manager(
    case, manager, practitioner, outsider, client
):
    notification = _aware(case, manager, D(2026, 12, 16))
    page = reverse("notifications:notification-correct", args=[notification.pk])
    api = reverse("api:notification-correct", args=[notification.pk])
    body = {"aware_on": "2026-12-17", "reason": REASON}
    for user in (practitioner, outsider):
        log_in(client, user)
        assert client.get(page).status_code in (403, 404)
        assert client.post(page, body).status_code in (403, 404)
        assert client.post(api, body, content_type="application/json").status_code in (403, 404)
    log_in(client, outsider)
    assert client.get(page).status_code == 404
    notification.refresh_from_db()
    assert notification.aware_on == D(2026, 12, 16)
    assert (
        "Correct the notification dates"
        not in client.get(
            reverse("notifications:notification-detail", args=[notification.pk])
        ).content.decode()
    )


# -- the page ------------------------------------------------------------------------


def test_the_notification_page_links_to_the_correction_page(case, manager, client):
    notification = _aware(case, manager, D(2026, 12, 16))
    log_in(client, manager)
    html = client.get(reverse("notifications:notification-detail", args=[notification.pk])).content.decode()
    assert reverse("notifications:notification-correct", args=[notification.pk]) in html
    assert "Correct the notification dates" in html


def test_correcting_on_the_page_confirms_which_clocks_moved_with_their_old_and_new_due_dates(
    case, manager, client
):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    open_rapid_review(case=case, actor=manager)
    log_in(client, manager)
    url = reverse("notifications:notification-correct", args=[notification.pk])
    html = client.get(url).content.decode()
    assert 'name="aware_on-day" type="text" value="16"' in html and 'value="SIN-1"' in html
    assert (
        'name="aware_on-month" type="text" value="12"' in html
        and 'name="aware_on-year" type="text" value="2026"' in html
    )
    response = client.post(
        url,
        {
            "aware_on": "2026-12-23",
            "notified_panel_on": "2027-01-04",
            "panel_reference": "SIN-1",
            "partners_told_on": "",
            "reason": REASON,
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "notifications:notification-detail", args=[notification.pk]
    )
    assert "The notification dates are corrected." in html
    assert (
        "Notify the National Panel: was due 23 December 2026, now due 4 January 2027, "
        "met on 4 January 2027." in html
    )
    assert "Tell the safeguarding partners: was due 23 December 2026, now due 4 January 2027." in html
    new_rr_due = add_working_days(D(2027, 1, 4), 15)
    assert (
        f"Complete the rapid review and send it to the Panel: was due "
        f"{add_working_days(D(2026, 12, 18), 15):%-d %B %Y}, now due "
        f"{new_rr_due:%-d %B %Y}."
    ) in html


def test_bad_input_on_the_page_shows_the_error_summary_and_saves_nothing(case, manager, client):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    log_in(client, manager)
    before = _state()
    url = reverse("notifications:notification-correct", args=[notification.pk])
    html = client.post(
        url,
        {
            "aware_on": "2026-12-21",
            "notified_panel_on": "2026-12-18",
            "panel_reference": "SIN-1",
            "reason": "",
        },
    ).content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_notified_panel_on-day">' in html and '<a href="#id_reason">' in html
    assert "Enter why the dates are corrected" in html
    assert _state() == before


def test_the_page_of_a_notification_not_yet_sent_to_the_panel_asks_only_for_awareness(case, manager, client):
    notification = _aware(case, manager, D(2026, 12, 16))
    log_in(client, manager)
    html = client.get(reverse("notifications:notification-correct", args=[notification.pk])).content.decode()
    assert 'name="aware_on-day"' in html and 'name="notified_panel_on-day"' not in html


def test_the_page_of_a_withdrawn_notification_says_it_cannot_be_corrected(case, manager, client):
    notification = _aware(case, manager, D(2026, 12, 16))
    services.withdraw_notification(actor=manager, notification=notification, reason="No abuse.")
    log_in(client, manager)
    url = reverse("notifications:notification-correct", args=[notification.pk])
    assert "cannot be corrected" in client.get(url).content.decode()
    client.post(url, {"aware_on": "2026-12-17", "reason": REASON})
    notification.refresh_from_db()
    assert notification.aware_on == D(2026, 12, 16)


def test_the_correction_page_runs_a_bounded_number_of_queries(
    case, manager, client, django_assert_max_num_queries
):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    open_rapid_review(case=case, actor=manager)
    log_in(client, manager)
    url = reverse("notifications:notification-correct", args=[notification.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    # Correcting runs a fixed number of queries too: a few per clock, and at most
    # four clocks (three of the notification, one of the rapid review).
    with django_assert_max_num_queries(45):
        response = client.post(
            url,
            {
                "aware_on": "2026-12-15",
                "notified_panel_on": "2026-12-21",
                "panel_reference": "SIN-1",
                "reason": REASON,
            },
        )
    assert response.status_code == 302


# -- the API -------------------------------------------------------------------------


def test_the_api_corrects_the_dates_and_returns_the_moved_clocks(case, manager, client):
    notification = _aware(case, manager, D(2026, 12, 16))
    log_in(client, manager)
    response = client.post(
        reverse("api:notification-correct", args=[notification.pk]),
        {"aware_on": "2026-12-23", "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["aware_on"] == "2026-12-23"
    assert {d["due_date"] for d in body["deadlines"]} == {"2027-01-04"}


def test_the_api_answers_bad_input_with_400_and_the_field_errors(case, manager, client):
    notification = _notified(case, manager, aware_on=D(2026, 12, 16), notified_panel_on=D(2026, 12, 18))
    log_in(client, manager)
    url = reverse("api:notification-correct", args=[notification.pk])
    before = _state()
    response = client.post(url, {"aware_on": "2026-12-21", "reason": ""}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["notified_panel_on"] == [
        "The date the National Panel was notified (18 December 2026) must be on or after the "
        "date the local authority became aware (21 December 2026)"
    ]
    assert body["reason"] == ["Enter why the dates are corrected"]
    response = client.post(url, {"aware_on": "not a date", "reason": REASON}, content_type="application/json")
    assert response.status_code == 400 and "aware_on" in response.json()
    assert _state() == before
    services.withdraw_notification(actor=manager, notification=notification, reason="No abuse.")
    response = client.post(url, {"aware_on": "2026-12-17", "reason": REASON}, content_type="application/json")
    assert response.status_code == 409
    assert "withdrawn" in response.json()["non_field_errors"][0]
