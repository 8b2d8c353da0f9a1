"""Reads for the deadlines dashboard, its CSV export, the calendar feed and the API.

All start from the kernel's ``deadlines_visible_to(user)`` (the deadlines of the
partnerships where the user is a partner lead or business manager): one
definition of "accessible" for every page, file and endpoint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.http import Http404

from cspr import links
from cspr.deadlines import ON_TIME, RULES, Lateness, Rule, get_rule, lateness_of
from cspr.models import Deadline
from cspr.permissions import partnership_ids
from cspr.selectors import deadlines_visible_to
from cspr.workdays import WorkingCalendar

LIVE = [Deadline.Status.OPEN, Deadline.Status.MISSED]


#: What the dashboard, its CSV and the API list besides the clocks still running (the
#: default): clocks met, and clocks met after their due date.
MET, MET_LATE = "met", "met_late"
SHOW_CHOICES = [(MET, "Met clocks"), (MET_LATE, "Clocks met late")]


def with_status(queryset: QuerySet[Deadline], show: str = "") -> QuerySet[Deadline]:
    """The clocks to list: still running (open or missed) by default; ``"met"``: every
    met clock; ``"met_late"``: those met after their due date (``cspr.deadlines.lateness``
    counts how late)."""
    if show == MET:
        return queryset.filter(status=Deadline.Status.MET)
    if show == MET_LATE:
        return queryset.filter(status=Deadline.Status.MET, met_on__gt=F("due_date"))
    return queryset.filter(status__in=LIVE)


def dashboard_clocks(user) -> QuerySet[Deadline]:
    """Every clock, whatever its status, the user may see on the dashboard (the filters
    then choose which: ``with_status``)."""
    return deadlines_visible_to(user).select_related("partnership", "agency", "owner")


def dashboard_deadlines(user) -> QuerySet[Deadline]:
    """Every open clock (open or missed) the user may see on the dashboard."""
    return with_status(dashboard_clocks(user))


def overdue_first(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Overdue clocks first, then by due date. Ordering by due date alone does it: a
    clock is overdue exactly when its due date has passed (a missed clock's has; a
    clock whose corrected due date is ahead is open again), so no rank is needed."""
    return queryset.order_by("due_date", "reference", "id")


def dashboard_order(queryset: QuerySet[Deadline], show: str = "") -> QuerySet[Deadline]:
    """Clocks still running overdue first; met clocks the most recently met first."""
    if show in (MET, MET_LATE):
        return queryset.order_by("-met_on", "reference", "id")
    return overdue_first(queryset)


def access_deadline(user, pk) -> Deadline:
    """One deadline of the user's partnerships, whatever its status; 404 otherwise."""
    try:
        return deadlines_visible_to(user).select_related("partnership", "agency", "owner").get(pk=pk)
    except (Deadline.DoesNotExist, ValueError, TypeError):
        raise Http404("No such deadline.") from None


# The columns a dashboard row shows: fetched as plain values, not model instances, so
# that turning the query's rows into the page's rows costs little beside the SQL
# (docs/benchmarks.md).
ROW_FIELDS = (
    "id",
    "reference",
    "partnership_id",
    "partnership__code",
    "partnership__name",
    "stage",
    "rule",
    "status",
    "start_date",
    "due_date",
    "met_on",
    "agency__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    # Which kind of object the clock is about, by name (the content type's natural key,
    # joined in the same query): cspr.links gives its page without reading its table.
    "subject_id",
    "subject_type__app_label",
    "subject_type__model",
)
STAGE_LABELS = dict(Deadline.Stage.choices)
STATUS_LABELS = dict(Deadline.Status.choices)
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Date passed", "": ""}


@dataclasses.dataclass(slots=True, kw_only=True)
class Row:
    """A clock as the dashboard, its CSV export and its tests see it."""

    pk: int
    reference: str
    partnership_id: int
    partnership_code: str
    partnership_name: str
    stage: str
    rule: Rule
    status: str
    start_date: dt.date
    due_date: dt.date
    agency_name: str
    owner_name: str
    #: Working days from today to the due date, for a clock still running (None once
    #: met or waived).
    working_days_left: int | None
    rag: str  # red, amber, green, grey; "" once met or waived
    met_on: dt.date | None = None
    lateness: Lateness = ON_TIME
    url: str | None = None  # the page of the clock's subject (cspr.links), if its app gave one

    @property
    def running(self) -> bool:
        return self.status in LIVE

    @property
    def overdue(self) -> bool:
        return self.running and (self.working_days_left < 0 or self.status == Deadline.Status.MISSED)

    @property
    def missed(self) -> bool:
        return self.status == Deadline.Status.MISSED

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def met_late(self) -> bool:
        return self.lateness.met_late

    @property
    def working_days_late(self) -> int | None:
        return self.lateness.working_days_late


def rag_status(rule: Rule, due: dt.date, today: dt.date, working_days_left: int) -> str:
    """Red: overdue or due today. Amber: within the rule's first reminder lead time.
    Green: otherwise. Grey: a date that is not a breach (a service figure) has passed."""
    if due < today and not rule.breach:
        return "grey"
    if due <= today:
        return "red"
    if working_days_left <= max(rule.reminders, default=0):
        return "amber"
    return "green"


def row_values(queryset: QuerySet[Deadline]) -> QuerySet:
    """The deadlines as the plain values :func:`rows_for` turns into rows."""
    return queryset.values(*ROW_FIELDS)


def page_values(page_queryset: QuerySet[Deadline]) -> QuerySet:
    """The values of one page of clocks (a sliced, ordered queryset): the page's ids are
    chosen on the deadline table alone (its indexes), and only those rows are joined
    to their partnership, agency and owner, so the plan never reads the whole user or
    agency table for a page of rows. One query: the ids are a subquery."""
    ordering = page_queryset.query.order_by or ("due_date", "reference", "id")
    ids = page_queryset.values("pk")
    return row_values(Deadline.objects.filter(pk__in=ids).order_by(*ordering))


def rows_for(values, *, today: dt.date, calendar: WorkingCalendar) -> list[Row]:
    """Rows from :func:`row_values`: a clock still running with its working days left
    and red/amber/green; a met one with how late it was (``cspr.deadlines.lateness_of``,
    the one place lateness is counted, with the request's one calendar)."""
    rows = []
    days_left = calendar.working_days_between
    for v in values:
        rule = get_rule(v["rule"])
        due = v["due_date"]
        running = v["status"] in LIVE
        left = days_left(today, due) if running else None
        owner = (
            f"{v['owner__first_name']} {v['owner__last_name']}".strip() or v["owner__username"]
            if v["owner__username"]
            else ""
        )
        met = v["status"] == Deadline.Status.MET
        rows.append(
            Row(
                pk=v["id"],
                reference=v["reference"],
                partnership_id=v["partnership_id"],
                partnership_code=v["partnership__code"],
                partnership_name=v["partnership__name"],
                stage=v["stage"],
                rule=rule,
                status=v["status"],
                start_date=v["start_date"],
                due_date=due,
                agency_name=v["agency__name"] or "",
                owner_name=owner,
                working_days_left=left,
                rag=rag_status(rule, due, today, left) if running else "",
                met_on=v["met_on"],
                lateness=lateness_of(due, v["met_on"], calendar) if met else ON_TIME,
                url=links.url_for(v["subject_type__app_label"], v["subject_type__model"], v["subject_id"]),
            )
        )
    return rows


def counts_per_stage(queryset: QuerySet[Deadline], today: dt.date) -> list[dict]:
    """Clocks per stage: how many, how many overdue (of those still running) and how
    many met late (of those met). One aggregate query."""
    counts = {
        row["stage"]: row
        for row in queryset.order_by()
        .values("stage")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=Q(status__in=LIVE, due_date__lt=today)),
            late=Count("id", filter=Q(status=Deadline.Status.MET, met_on__gt=F("due_date"))),
        )
    }
    return [
        {
            "stage": value,
            "label": label,
            "total": counts.get(value, {}).get("total", 0),
            "overdue": counts.get(value, {}).get("overdue", 0),
            "late": counts.get(value, {}).get("late", 0),
        }
        for value, label in Deadline.Stage.choices
    ]


def quarters_back(today: dt.date, count: int = 8) -> list[dt.date]:
    """The first days of the last ``count`` quarters, oldest first, this one included."""
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for _ in range(count):
        quarters.append(first)
        month = first.month - 3
        first = dt.date(first.year - (month < 1), (month - 1) % 12 + 1, 1)
    return quarters[::-1]


def on_time_performance(user, today: dt.date) -> list[dict]:
    """For each rule, per quarter of the last two years: deadlines due (and passed, not
    waived) and the share met on time. One aggregate query."""
    quarters = quarters_back(today)
    breach_rules = [code for code, rule in RULES.items() if rule.breach]
    data = (
        deadlines_visible_to(user)
        .filter(due_date__gte=quarters[0], due_date__lt=today, rule__in=breach_rules)
        .exclude(status=Deadline.Status.WAIVED)
        .annotate(quarter=TruncQuarter("due_date"))
        .order_by()
        .values("rule", "quarter")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(status=Deadline.Status.MET, met_on__lte=F("due_date"))),
        )
    )
    by_rule: dict[str, dict] = OrderedDict()
    for row in data:
        quarter = row["quarter"]
        quarter = quarter.date() if isinstance(quarter, dt.datetime) else quarter
        by_rule.setdefault(row["rule"], {})[quarter] = (row["on_time"], row["total"])
    result = []
    for code, rule in RULES.items():
        if code not in by_rule:
            continue
        points = []
        for quarter in quarters:
            on_time, total = by_rule[code].get(quarter, (0, 0))
            points.append(
                {
                    "quarter": quarter,
                    "label": f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}",
                    "on_time": on_time,
                    "total": total,
                    "percent": round(100 * on_time / total) if total else None,
                }
            )
        result.append({"rule": rule, "points": points})
    return result


CALENDAR_DAYS_BACK = 90


def calendar_deadlines(user, today: dt.date | None = None) -> QuerySet[Deadline]:
    """The deadlines in a user's calendar feed: every open clock they see on the
    dashboard, and the ones they own, in partnerships they still belong to. A missed
    clock stays in the feed for 90 days after its due date, so that the feed's size
    follows the work in hand, not the years behind it."""
    today = today or dt.date.today()
    recent = Q(status=Deadline.Status.OPEN) | Q(due_date__gte=today - dt.timedelta(days=CALENDAR_DAYS_BACK))
    return (
        Deadline.objects.filter(status__in=LIVE, partnership_id__in=partnership_ids(user))
        .filter(recent)
        .filter(Q(pk__in=deadlines_visible_to(user).values("pk")) | Q(owner=user))
        .select_related("partnership")
        .order_by("due_date", "id")
    )
