"""The partnership's yearly report: its running clock, recording a published report
(which meets that clock and starts the next), and sending it on.

The first clock of a partnership counts from the date set in its settings
(``Partnership.yearly_report_period_start``): ``ensure_yearly_report_clock`` opens it,
called when that date is saved in the admin, by the ``open_yearly_report_clocks``
command and by the demo data. (The deadlines sweep cannot: the deadlines app imports
no stage and no top-layer app.)
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cspr import audit
from cspr.formats import long_date
from cspr.models import Deadline, Partnership
from cspr.permissions import require
from cspr.services import meet_deadline, open_deadline
from cspr.uploads import prepare_for_storage

from .models import YearlyReport

#: The clocks (cspr/deadlines.py).
YEARLY_RULE = "yearly_report"
COPIES_RULE = "yearly_report_copies"
LIVE = (Deadline.Status.OPEN, Deadline.Status.MISSED)


def _today() -> dt.date:
    return timezone.localdate()


def running_clock(partnership: Partnership) -> Deadline | None:
    """The partnership's yearly report clock not yet met (open or missed), if any."""
    return (
        Deadline.objects.filter(partnership=partnership, rule=YEARLY_RULE, status__in=LIVE)
        .order_by("due_date")
        .first()
    )


@transaction.atomic
def ensure_yearly_report_clock(*, partnership: Partnership, actor=None) -> Deadline | None:
    """Open the partnership's first yearly report clock (12 months from the start of its
    first reporting period), or move it when that date changes. Idempotent. Once a yearly
    report is recorded the clock follows the reports and the setting no longer counts;
    with no date set nothing opens."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if YearlyReport.objects.filter(partnership=partnership).exists():
        return running_clock(partnership)
    start = partnership.yearly_report_period_start
    if start is None:
        return None
    return open_deadline(
        rule=YEARLY_RULE,
        subject=partnership,
        partnership=partnership,
        start_date=start,
        reference=f"{partnership.code} yearly report",
        actor=actor,
    )


def _not_future(errors: dict, field: str, value: dt.date | None, label: str) -> None:
    if value is not None and field not in errors and value > _today():
        errors[field] = f"The {label} must be today or in the past"


def _not_before(
    errors: dict, field: str, value: dt.date | None, label: str, earlier: dt.date | None, earlier_label: str
) -> None:
    if value is None or earlier is None or field in errors:
        return
    if value < earlier:
        errors[field] = (
            f"The {label} ({long_date(value)}) must be on or after {earlier_label} ({long_date(earlier)})"
        )


@transaction.atomic
def record_yearly_report(
    *,
    actor,
    partnership: Partnership,
    period_start: dt.date | None,
    period_end: dt.date | None,
    published_on: dt.date | None,
    url: str = "",
    file=None,
) -> YearlyReport:
    """Record a published yearly report (a link, an uploaded file, or both): meets the
    running yearly report clock on the publication date (late if after its due date),
    starts the next one (12 months from publication) and the 7 days to send the report
    to the Panel and the Department for Education."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    require(actor, "record_yearly_report", partnership.pk)
    url = (url or "").strip()
    errors: dict[str, str] = {}
    for field, value, label in (
        ("period_start", period_start, "first day of the period"),
        ("period_end", period_end, "last day of the period"),
        ("published_on", published_on, "date the report was published"),
    ):
        if value is None:
            errors[field] = f"Enter the {label}"
    if not url and not file:
        errors["url"] = "Give a link to the published report, or upload it"
    if period_start and period_end and period_end <= period_start:
        errors["period_end"] = (
            f"The last day of the period ({long_date(period_end)}) must be after the first "
            f"day ({long_date(period_start)})"
        )
    _not_future(errors, "published_on", published_on, "date the report was published")
    _not_before(
        errors,
        "published_on",
        published_on,
        "date the report was published",
        period_start,
        "the first day of the period it covers",
    )
    last = YearlyReport.objects.filter(partnership=partnership).order_by("-published_on").first()
    if last is not None:
        _not_before(
            errors,
            "published_on",
            published_on,
            "date the report was published",
            last.published_on,
            "the publication of the previous yearly report",
        )
    if errors:
        raise ValidationError(errors)
    if file:
        prepare_for_storage(file)
    report = YearlyReport.objects.create(
        partnership=partnership,
        period_start=period_start,
        period_end=period_end,
        published_on=published_on,
        url=url,
        file=file or "",
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        subject=report,
        partnership=partnership,
        detail={
            "published_on": published_on.isoformat(),
            "period": [period_start.isoformat(), period_end.isoformat()],
        },
    )
    clock = running_clock(partnership)
    if clock is not None:
        meet_deadline(rule=YEARLY_RULE, subject=clock.subject, met_on=published_on, actor=actor)
    for rule in (YEARLY_RULE, COPIES_RULE):
        open_deadline(
            rule=rule,
            subject=report,
            partnership=partnership,
            start_date=published_on,
            reference=report.reference,
            actor=actor,
        )
    return report


@transaction.atomic
def record_yearly_report_copies_sent(
    *, actor, report: YearlyReport, copies_sent_on: dt.date | None
) -> YearlyReport:
    """Record the day the published report was sent to the Panel and the Department for
    Education: meets the 7-day clock (late if after it)."""
    report = YearlyReport.objects.select_for_update().select_related("partnership").get(pk=report.pk)
    require(actor, "record_yearly_report", report.partnership_id)
    if report.copies_sent_on is not None:
        raise ValidationError("The date the report was sent on is already recorded.")
    errors: dict[str, str] = {}
    label = "date the report was sent on"
    if copies_sent_on is None:
        errors["copies_sent_on"] = f"Enter the {label}"
    _not_future(errors, "copies_sent_on", copies_sent_on, label)
    _not_before(
        errors, "copies_sent_on", copies_sent_on, label, report.published_on, "the date it was published"
    )
    if errors:
        raise ValidationError(errors)
    report.copies_sent_on = copies_sent_on
    report.save(update_fields=["copies_sent_on", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=report,
        partnership=report.partnership,
        detail={"copies_sent_on": copies_sent_on.isoformat()},
    )
    meet_deadline(rule=COPIES_RULE, subject=report, met_on=copies_sent_on, actor=actor)
    return report
