"""The statutory rule table: every clock the product keeps, with its source.

Short source names as in docs/domain.md: WT2023 = *Working Together to Safeguard
Children* 2023; WT2018 = its 2018 edition; s16C = Children Act 2004 s16C (as
amended by the Children and Social Work Act 2017); Panel guidance = the Child
Safeguarding Practice Review Panel's guidance for safeguarding partners.

Due dates are computed here and only here, with the calendar in ``workdays``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable

from dateutil.relativedelta import relativedelta

from .workdays import WorkingCalendar, current_calendar


class Unit(enum.Enum):
    WORKING_DAYS = "working days"
    WORKING_DAYS_BEFORE = "working days before"
    CALENDAR_DAYS = "calendar days"
    CALENDAR_MONTHS = "calendar months"
    GIVEN = "date given"


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    title: str
    trigger: str
    duration: int
    unit: Unit
    binds: str
    source: str
    stage: str
    #: Name of a ``Partnership`` field that overrides ``duration``, where the figure is a setting.
    setting: str | None = None
    #: Reminder lead times in working days before the due date (0 = on the due day).
    reminders: tuple[int, ...] = (5, 2, 1, 0)
    #: A service figure, not a breach: the deadline is never "missed".
    breach: bool = True

    def duration_for(self, partnership=None) -> int:
        if self.setting and partnership is not None:
            return int(getattr(partnership, self.setting))
        return self.duration

    def describe(self, partnership=None) -> str:
        return f"{self.duration_for(partnership)} {self.unit.value} from {self.trigger}"


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in [
        Rule(
            code="notify_panel",
            title="Notify the National Panel",
            trigger="the local authority becoming aware of the incident",
            duration=5,
            unit=Unit.WORKING_DAYS,
            binds="Local authority",
            source="Children Act 2004 s16C(1); WT2023 ch5",
            stage="notification",
        ),
        Rule(
            code="tell_partners",
            title="Tell the safeguarding partners",
            trigger="the local authority becoming aware of the incident",
            duration=5,
            unit=Unit.WORKING_DAYS,
            binds="Local authority",
            source="WT2023 ch5",
            stage="notification",
        ),
        Rule(
            code="notify_ofsted_looked_after_death",
            title="Notify the Secretary of State and Ofsted of a looked-after child's death",
            trigger="the local authority becoming aware of the death",
            duration=5,
            unit=Unit.WORKING_DAYS,
            binds="Local authority",
            source="WT2023 ch5",
            stage="notification",
        ),
        Rule(
            code="notify_care_leaver_death",
            title="Notify the Secretary of State and Ofsted of a care leaver's death (aged 18 to 24)",
            trigger="the local authority becoming aware of the death",
            duration=5,
            unit=Unit.WORKING_DAYS,
            binds="Local authority",
            # Cited by chapter and section: the paragraph number could not be confirmed
            # against the text of WT2023, nor the 5 working days (local procedures quoting
            # WT2023 give them, as for a serious incident notification).
            source="WT2023 ch5, Learning from serious child safeguarding incidents, section on "
            "the death of a care leaver up to and including age 24 (notified through the DfE "
            "online notification service, as a serious incident is); paragraph not confirmed",
            stage="notification",
        ),
        Rule(
            code="rapid_review",
            title="Complete the rapid review and send it to the Panel",
            trigger="the notification to the Panel (or awareness, by partnership setting)",
            duration=15,
            unit=Unit.WORKING_DAYS,
            binds="The safeguarding partners of the area where the incident happened",
            source="Panel guidance; WT2023 ch5",
            stage="rapid_review",
        ),
        Rule(
            code="lcspr_final_report",
            title="Complete the local child safeguarding practice review",
            trigger="the partners' decision to hold one",
            duration=6,
            unit=Unit.CALENDAR_MONTHS,
            binds="The three safeguarding partners",
            source="WT2018 ch4; WT2023 ch5 (an aim, not a bar)",
            stage="review",
            setting="lcspr_months",
            reminders=(20, 10, 5, 0),
        ),
        Rule(
            code="commission_review",
            title="Commission the local child safeguarding practice review",
            trigger="the partners' decision to hold one",
            duration=20,
            unit=Unit.WORKING_DAYS,
            binds="The three safeguarding partners",
            source="A service target, not a statutory figure: the review's months run from "
            "the decision (WT2023 ch5), so it is commissioned promptly",
            stage="review",
        ),
        Rule(
            code="copies_before_publication",
            title="Send the final report to the Panel, the Secretary of State and Ofsted",
            trigger="the planned publication date",
            duration=7,
            unit=Unit.WORKING_DAYS_BEFORE,
            binds="The three safeguarding partners",
            source="WT2018 ch4; WT2023 ch5",
            stage="publication",
            setting="copies_before_publication_working_days",
        ),
        Rule(
            code="publication_window",
            title="Keep the published report public",
            trigger="publication",
            duration=12,
            unit=Unit.CALENDAR_MONTHS,
            binds="The three safeguarding partners",
            source="WT2023 ch5",
            stage="publication",
            reminders=(20, 0),
            breach=False,
        ),
        Rule(
            code="yearly_report",
            title="Publish the partnership's yearly report",
            trigger="the previous yearly report (the first: the partnership's first reporting period start)",
            duration=12,
            unit=Unit.CALENDAR_MONTHS,
            binds="The three safeguarding partners",
            source="Children Act 2004 s16G; WT2023 ch2 (multi-agency safeguarding "
            "arrangements: reporting at least once in every 12-month period)",
            stage="partnership",
            reminders=(20, 10, 5, 0),
        ),
        Rule(
            code="yearly_report_copies",
            title="Send the published yearly report to the Panel and the Department for Education",
            trigger="the yearly report's publication",
            duration=7,
            unit=Unit.CALENDAR_DAYS,
            binds="The three safeguarding partners",
            # WT2018 ch3 asked for a copy to the Panel and the What Works Centre within
            # seven days of publication. That WT2023 ch2 keeps a set time for sending the
            # report on, and to whom, could not be confirmed against its text: the clock is
            # kept as a service target (as commission_review is), not cited as a duty.
            source="A service target, not a confirmed statutory figure: WT2018 ch3 set 7 days "
            "to send the published report to the Panel and the What Works Centre; whether "
            "WT2023 ch2 keeps a set time, and to whom, is not confirmed (paragraph not confirmed)",
            stage="partnership",
            reminders=(2, 0),
        ),
        Rule(
            code="action_due",
            title="Complete the action-plan action",
            trigger="the target date set in the action plan",
            duration=0,
            unit=Unit.GIVEN,
            binds="The action's owner",
            source="The partnership's action plan for the review's recommendations",
            stage="action_plan",
        ),
    ]
}


def get_rule(code: str) -> Rule:
    try:
        return RULES[code]
    except KeyError:
        raise ValueError(f"Unknown deadline rule {code!r}") from None


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.code, rule.title) for rule in RULES.values()]


def compute_due_date(
    rule: Rule,
    start: dt.date,
    *,
    partnership=None,
    calendar: WorkingCalendar | None = None,
) -> dt.date:
    """The due date of ``rule`` for a clock started (or anchored) on ``start``."""
    amount = rule.duration_for(partnership)
    compute: dict[Unit, Callable[[WorkingCalendar], dt.date]] = {
        Unit.WORKING_DAYS: lambda cal: cal.add_working_days(start, amount),
        Unit.WORKING_DAYS_BEFORE: lambda cal: cal.add_working_days(start, -amount),
        Unit.CALENDAR_DAYS: lambda cal: start + dt.timedelta(days=amount),
        Unit.CALENDAR_MONTHS: lambda cal: start + relativedelta(months=amount),
        Unit.GIVEN: lambda cal: start,
    }
    if rule.unit in (Unit.CALENDAR_DAYS, Unit.CALENDAR_MONTHS, Unit.GIVEN):
        return compute[rule.unit](None)  # type: ignore[arg-type]
    return compute[rule.unit](calendar or current_calendar())


@dataclasses.dataclass(frozen=True)
class Lateness:
    """How late a met clock was: ``met_late`` when the event that met it happened after
    its due date, and then by how many working days (``working_days_late``; None for a
    clock not met, or met on time)."""

    met_late: bool
    working_days_late: int | None

    @property
    def label(self) -> str:
        """ "Met late: 3 working days", or "" for a clock not met late."""
        if not self.met_late:
            return ""
        days = self.working_days_late
        return f"Met late: {days} working day{'' if days == 1 else 's'}"


ON_TIME = Lateness(met_late=False, working_days_late=None)


def lateness(deadline, calendar: WorkingCalendar | None = None) -> Lateness:
    """Whether ``deadline`` (a ``Deadline``, or anything with ``status``, ``due_date``
    and ``met_on``) was met late, and by how many working days: those after the due
    date up to and including the day it was met. The one place lateness is worked
    out; pages, CSV, PDF and API all ask here."""
    met_on = getattr(deadline, "met_on", None)
    if getattr(deadline, "status", None) != "met" or met_on is None:
        return ON_TIME
    return lateness_of(deadline.due_date, met_on, calendar)


def lateness_of(
    due_date: dt.date, met_on: dt.date | None, calendar: WorkingCalendar | None = None
) -> Lateness:
    """Lateness of a clock due on ``due_date`` met on ``met_on`` (see ``lateness``)."""
    if met_on is None or met_on <= due_date:
        return ON_TIME
    days = (calendar or current_calendar()).working_days_between(due_date, met_on)
    return Lateness(met_late=True, working_days_late=days)
