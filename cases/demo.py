"""Demo referrals and cases for Northshire (invented people only). Safe to run twice:
each demo referral is found again by its referrer contact address."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cspr.models import Agency

from . import services
from .models import Referral
from .selectors import case_access_grants

#: key -> (final state, the children: (invented name, gender, ethnicity, age in
#: months, nature) each, days ago)
DEMO_REFERRALS = {
    "draft": ("draft", [("Riley Ashdown", "female", "white", 4 * 12, "seriously_harmed")], 5),
    "submitted": (
        "submitted",
        [
            ("Casey Brookfield", "male", "mixed", 8, "seriously_harmed"),
            ("Jo Brookfield", "female", "mixed", 3 * 12 + 2, "seriously_harmed"),
        ],
        12,
    ),
    "question": ("question", [("Jamie Corran", "male", "white", 15 * 12, "seriously_harmed")], 25),
    "declined": ("declined", [("Alex Dunmore", "female", "asian", 9 * 12, "seriously_harmed")], 40),
    "case-notified": ("accepted", [("Frankie Ellison", "female", "black", 5, "died")], 30),
    "case-open": (
        "accepted",
        [
            ("Sam Fairweather", "male", "not_known", 13 * 12, "seriously_harmed"),
            ("Toni Fairweather", "female", "not_known", 11 * 12 + 6, "seriously_harmed"),
        ],
        9,
    ),
}


def _incident(days_ago) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _children(children, days_ago) -> list[dict]:
    incident = _incident(days_ago)
    return [
        {
            "name": name,
            "date_of_birth": incident - relativedelta(months=months, days=10),
            "gender": gender,
            "ethnicity": ethnicity,
            "address": "12 Example Road, Northtown (invented)",
            "nature": nature,
        }
        for name, gender, ethnicity, months, nature in children
    ]


def _values(context, days_ago) -> dict:
    incident = _incident(days_ago)
    agencies = context["agencies"]
    return {
        "referrer_name": "Pat Practitioner",
        "referrer_agency": agencies[Agency.Kind.HEALTH_PROVIDER],
        "referrer_role": "Health visitor",
        "incident_date": incident,
        "incident_description": "Brought to the emergency department with injuries that the "
        "carers could not explain. (Demo data.)",
        "abuse_or_neglect": "suspected",
        "why_criteria_met": "Physical abuse is suspected and the harm is serious.",
        "concerns_about_agencies": "Health and children's social care did not share the missed appointments.",
        "childrens_social_care_aware": "yes",
        "other_processes": ["police_investigation"],
    }


def seed(context: dict) -> None:
    partnership = context["partnership"]
    users = context["users"]
    author, manager = users["practitioner"], users["manager"]
    agencies = context["agencies"]
    involved = [
        agencies[Agency.Kind.HEALTH_PROVIDER],
        agencies[Agency.Kind.CHILDRENS_SOCIAL_CARE],
        agencies[Agency.Kind.POLICE],
    ]
    referrals, cases = {}, {}
    for key, (state, children, days_ago) in DEMO_REFERRALS.items():
        contact = f"pat.practitioner+{key}@example.org"
        referral = Referral.objects.filter(partnership=partnership, referrer_contact=contact).first()
        if referral is None:
            values = _values(context, days_ago)
            values["referrer_contact"] = contact
            referral = services.save_referral_draft(
                actor=author,
                partnership=partnership,
                values=values,
                agencies=involved,
                children=_children(children, days_ago),
            )
            if state != "draft":
                services.submit_referral(actor=author, referral=referral)
            if state == "question":
                services.request_more_information(
                    actor=manager,
                    referral=referral,
                    question="Was the child known to the school nursing team?",
                )
            elif state == "declined":
                services.decline_referral(
                    actor=manager,
                    referral=referral,
                    reason="The injury was accidental; no abuse or neglect is suspected.",
                    recommend_other_learning_review=True,
                )
            elif state == "accepted":
                services.accept_referral(actor=manager, referral=referral)
            referral.refresh_from_db()
        referrals[key] = referral
        if referral.status == Referral.Status.ACCEPTED:
            cases[key] = referral.case
    context["referrals"] = referrals
    # The panel liaison is added to the notified case, to send its rapid review.
    notified = cases.get("case-notified")
    liaison = users.get("liaison")
    if (
        notified is not None
        and liaison is not None
        and not case_access_grants(notified).filter(user=liaison).exists()
    ):
        services.grant_case_access(actor=manager, case=notified, user=liaison)
    context["cases"] = cases
