"""Demo yearly reports: the demo partnership published its last yearly report 11 months
ago (its next is due within the month) and sent it on; the other partnership's first
reporting period started 10 months ago. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from . import services
from .models import YearlyReport


def seed(context: dict) -> None:
    today = timezone.localdate()
    manager = context["users"]["manager"]
    partnership = context["partnership"]
    if not YearlyReport.objects.filter(partnership=partnership).exists():
        start = today - relativedelta(months=23)
        partnership.yearly_report_period_start = start
        partnership.save(update_fields=["yearly_report_period_start"])
        services.ensure_yearly_report_clock(partnership=partnership, actor=manager)
        published = today - relativedelta(months=11)
        report = services.record_yearly_report(
            actor=manager,
            partnership=partnership,
            period_start=start,
            period_end=start + relativedelta(months=12) - dt.timedelta(days=1),
            published_on=published,
            url="https://example.org/yearly-report",
        )
        services.record_yearly_report_copies_sent(
            actor=manager, report=report, copies_sent_on=published + dt.timedelta(days=9)
        )
    other = context.get("other")
    if other is not None and other.yearly_report_period_start is None:
        other.yearly_report_period_start = today - relativedelta(months=10)
        other.save(update_fields=["yearly_report_period_start"])
    if other is not None:
        services.ensure_yearly_report_clock(partnership=other)
