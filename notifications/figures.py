"""A partnership's serious incident notifications for a financial year, broken down as
the DfE's official statistics "Serious incident notifications" break them down, so the
partnership's figures read against the national ones (456 notifications in England in
2022-23).

How the statistics count (their methodology): by financial year (1 April to 31 March),
by the date a notification was made, not the date of the incident; one notification
per incident; where a notification names more than one child, the characteristics are
those of one child only (the first named, or the child the harm relates to). The
default unit here is the same: each notification counted once, with its first child's
characteristics. ``unit="children"`` counts every child named instead (a local view
the national figures do not give).

Counted here: notifications with the date the Panel was notified in the year, not
withdrawn. Every figure is one SQL query (conditional counts), whatever the numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Q, Value, When
from django.db.models.functions import Coalesce, NullIf

from cases import codes
from cases.models import CaseChild

from .models import SeriousIncidentNotification

#: The first financial year of notifications to the Panel (the duty began on 29 June
#: 2018: Children Act 2004 s16C, as inserted by the Children and Social Work Act 2017).
FIRST_YEAR = 2018

UNITS = {
    "notifications": "Notifications (each counted once, with its first child's characteristics, "
    "as the national statistics count)",
    "children": "Children (every child a notification names)",
}


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    expression: str  # the annotation or field counted
    choices: type
    only: Q | None = None  # the children the breakdown counts (placement: looked after)


BREAKDOWNS = [
    Breakdown("nature", "Nature of notification", "nature", codes.Nature),
    Breakdown("age_group", "Age group", "fig_age_group", codes.AgeGroup),
    Breakdown("gender", "Gender", "gender", codes.Gender),
    Breakdown("ethnicity", "Ethnicity", "ethnicity", codes.Ethnicity),
    Breakdown("disability", "Disability", "disability", codes.YesNoNotKnown),
    Breakdown("looked_after", "Looked-after status", "looked_after", codes.YesNoNotKnown),
    Breakdown(
        "placement_type",
        "Placement type (looked-after children)",
        "fig_placement",
        codes.PlacementType,
        only=Q(looked_after=codes.YesNoNotKnown.YES),
    ),
    Breakdown("child_protection_plan", "Child protection plan", "child_protection_plan", codes.YesNoNotKnown),
    Breakdown("child_in_need", "Child in need", "child_in_need", codes.YesNoNotKnown),
    Breakdown("known_to_agencies", "Known to any agency", "known_to_agencies", codes.YesNoNotKnown),
]


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    """The financial year starting in April of ``year``: (1 April, 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def year_label(year: int) -> str:
    """'2022-23'."""
    return f"{year}-{(year + 1) % 100:02d}"


def current_financial_year(today: dt.date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def _age_group():
    whens = [When(unborn=True, then=Value(codes.AgeGroup.UNBORN.value))]
    whens.append(When(age_months__isnull=True, then=Value(codes.AgeGroup.NOT_KNOWN.value)))
    whens += [
        When(age_months__gte=low, age_months__lte=high, then=Value(group.value))
        for group, low, high in codes.AGE_GROUP_BOUNDS
    ]
    return SqlCase(*whens, default=Value(codes.AgeGroup.NOT_KNOWN.value), output_field=CharField())


def children_counted(partnership_id: int, year: int, unit: str = "notifications"):
    start, end = financial_year(year)
    children = CaseChild.objects.filter(
        case__partnership_id=partnership_id,
        case__notification__notified_panel_on__range=(start, end),
    ).exclude(case__notification__status=SeriousIncidentNotification.Status.WITHDRAWN)
    if unit != "children":
        children = children.filter(ordinal=1)
    return children.annotate(
        fig_age_group=_age_group(),
        fig_placement=Coalesce(
            NullIf("placement_type", Value("")), Value(codes.PlacementType.NOT_KNOWN.value)
        ),
    )


def figures(partnership_id: int, year: int, unit: str = "notifications") -> dict:
    """``{"total": n, "breakdowns": [{"key", "title", "total", "rows": [{"category",
    "number", "percentage"}]}]}``, every category listed (zeros included), in the
    statistics' order, from one query."""
    counts = {"total": Count("pk")}
    for breakdown in BREAKDOWNS:
        counts[f"{breakdown.key}__total"] = (
            Count("pk", filter=breakdown.only) if breakdown.only else Count("pk")
        )
        for code in breakdown.choices.values:
            condition = Q(**{breakdown.expression: code})
            if breakdown.only is not None:
                condition &= breakdown.only
            counts[f"{breakdown.key}__{code}"] = Count("pk", filter=condition)
    result = children_counted(partnership_id, year, unit).aggregate(**counts)
    breakdowns = []
    for breakdown in BREAKDOWNS:
        total = result[f"{breakdown.key}__total"]
        rows = [
            {
                "category": label,
                "number": result[f"{breakdown.key}__{code}"],
                "percentage": round(100 * result[f"{breakdown.key}__{code}"] / total, 1) if total else None,
            }
            for code, label in breakdown.choices.choices
        ]
        breakdowns.append({"key": breakdown.key, "title": breakdown.title, "total": total, "rows": rows})
    return {"total": result["total"], "breakdowns": breakdowns}
