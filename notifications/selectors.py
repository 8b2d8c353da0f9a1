"""Reads of serious incident notifications (visible exactly when their case is) and of
reports of a care leaver's death (visible to the business team of their partnership)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.codes import YesNoNotKnown
from cases.selectors import access_case, cases_visible_to
from cspr import audit
from cspr.formats import long_date
from cspr.permissions import partnership_ids_for, require
from cspr.selectors import clock_of

from .models import CareLeaverDeathReport, SeriousIncidentNotification

#: The clock of a care leaver's death (cspr/deadlines.py).
CARE_LEAVER_DEATH_RULE = "notify_care_leaver_death"


def notifications_visible_to(user) -> QuerySet[SeriousIncidentNotification]:
    return SeriousIncidentNotification.objects.filter(
        case__in=cases_visible_to(user).values("pk")
    ).select_related("case", "case__partnership")


def access_notification(user, pk) -> SeriousIncidentNotification:
    try:
        return notifications_visible_to(user).get(pk=pk)
    except (SeriousIncidentNotification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification.") from None


def care_leaver_deaths_visible_to(user) -> QuerySet[CareLeaverDeathReport]:
    """Reports of a care leaver's death of the partnerships where the user may record
    them (partner leads and business managers), with the clock's due date and status
    for a list in one query."""
    return (
        CareLeaverDeathReport.objects.filter(
            partnership_id__in=partnership_ids_for(user, "report_care_leaver_death")
        )
        .select_related("partnership")
        .annotate(
            due_date=clock_of(CareLeaverDeathReport, rule=CARE_LEAVER_DEATH_RULE, field="due_date"),
            clock_status=clock_of(CareLeaverDeathReport, rule=CARE_LEAVER_DEATH_RULE, field="status"),
        )
    )


def access_care_leaver_death(user, pk) -> CareLeaverDeathReport:
    """One report of the user's partnerships (where they may record one), or 404."""
    try:
        return care_leaver_deaths_visible_to(user).get(pk=pk)
    except (CareLeaverDeathReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None


# ---------------------------------------------------------------------------
# The copy-ready summary for the DfE online notification form
# ---------------------------------------------------------------------------


def access_dfe_summary(user, case_pk):
    """The case for its DfE form summary: the business team only (404 for a case
    the user cannot see, 403 for one they see without the capability). The page
    shows each child's name and date of birth, so every view is audited, here."""
    case = access_case(user, case_pk, detail=True)
    require(user, "view_dfe_summary", case.partnership_id)
    audit.record(
        actor=user,
        action=audit.Action.VIEW,
        subject=case,
        detail={"dfe_summary": True, "child_identity": True},
    )
    return case


def _yes_no_not_known(value: str) -> str:
    return YesNoNotKnown(value).label if value in YesNoNotKnown.values else "Not known"


def dfe_form_summary(case) -> list[dict]:
    """The answers the DfE's child safeguarding incident notification form asks for,
    in its order (the incident, then each child, up to four, then what happened),
    each row ``{"id", "label", "value"}`` with the value as plain text to copy.

    The order follows the service's "Before you start" list (GOV.UK, "Report a
    serious child safeguarding incident"; the live form needs a DfE Sign-in)."""
    try:
        notification = case.notification
    except SeriousIncidentNotification.DoesNotExist:
        notification = None
    referral = case.referral
    identities = {child.ordinal: child for child in referral.children.all()} if referral else {}

    def row(key, label, value):
        return {"id": key, "label": label, "value": value if value not in (None, "") else "Not recorded"}

    sections = [
        {
            "title": "The notification",
            "rows": [
                row(
                    "la-incident",
                    "Local authority where the incident happened",
                    notification.incident_local_authority if notification else "",
                ),
                row(
                    "la-residence",
                    "Local authority where the child normally lived",
                    notification.residence_local_authority if notification else "",
                ),
                row("incident-date", "Date of the incident", long_date(case.incident_date)),
                row(
                    "aware-date",
                    "Date the local authority became aware",
                    long_date(notification.aware_on) if notification else "",
                ),
                row("children-count", "Number of children", str(len(case.children.all()))),
                row("case-reference", "The partnership's case reference", case.reference),
            ],
        }
    ]
    for child in case.children.all():
        n = child.ordinal
        identity = identities.get(n)
        agencies = ", ".join(child.agency_names())
        looked_after = child.get_looked_after_display()
        if child.placement_type:
            looked_after += f" ({child.get_placement_type_display()})"
        disability = child.get_disability_display()
        if child.disability_kind:
            disability += f": {child.disability_kind}"
        sections.append(
            {
                "title": f"Child {n}",
                "rows": [
                    row(f"child-{n}-name", "Full name", identity.name if identity else ""),
                    row(
                        f"child-{n}-date-of-birth",
                        "Date of birth",
                        "Unborn" if child.unborn else long_date(identity.date_of_birth) if identity else "",
                    ),
                    row(f"child-{n}-age", "Age at the incident", child.age_label),
                    row(f"child-{n}-gender", "Gender", child.get_gender_display()),
                    row(f"child-{n}-ethnicity", "Ethnicity", child.get_ethnicity_display()),
                    row(f"child-{n}-disability", "Disability", disability),
                    row(f"child-{n}-nature", "Nature of the incident", child.get_nature_display()),
                    row(f"child-{n}-looked-after", "Looked-after child", looked_after),
                    row(
                        f"child-{n}-cpp",
                        "Child protection plan",
                        _yes_no_not_known(child.child_protection_plan),
                    ),
                    row(f"child-{n}-cin", "Child in need", _yes_no_not_known(child.child_in_need)),
                    row(
                        f"child-{n}-known", "Known to any agency", _yes_no_not_known(child.known_to_agencies)
                    ),
                    row(f"child-{n}-agencies", "Agencies that knew the child", agencies),
                ],
            }
        )
    sections.append(
        {
            "title": "The incident",
            "rows": [
                row(
                    "abuse-or-neglect",
                    "Abuse or neglect",
                    referral.get_abuse_or_neglect_display() if referral else "",
                ),
                row("what-happened", "What happened", referral.incident_description if referral else ""),
                row(
                    "other-processes",
                    "Other processes under way",
                    ", ".join(referral.other_process_labels()) if referral else "",
                ),
            ],
        }
    )
    return sections
