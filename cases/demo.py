"""Demo referrals and cases for Northshire (invented people only). Safe to run twice:
each demo referral is found again by its referrer contact address."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cspr.models import Agency

from . import services
from .models import Referral
from .selectors import case_access_grants

#: key -> (final state, child's invented name, sex, age in years, outcome, days ago)
DEMO_REFERRALS = {
    "draft": ("draft", "Riley Ashdown", "female", 4, "seriously_harmed", 5),
    "submitted": ("submitted", "Casey Brookfield", "male", 1, "seriously_harmed", 12),
    "question": ("question", "Jamie Corran", "male", 15, "seriously_harmed", 25),
    "declined": ("declined", "Alex Dunmore", "female", 9, "seriously_harmed", 40),
    "case-notified": ("accepted", "Frankie Ellison", "female", 0, "died", 30),
    "case-open": ("accepted", "Sam Fairweather", "male", 13, "seriously_harmed", 9),
}


def _values(context, name, sex, age, outcome, days_ago) -> dict:
    today = timezone.localdate()
    incident = today - dt.timedelta(days=days_ago)
    agencies = context["agencies"]
    return {
        "referrer_name": "Pat Practitioner",
        "referrer_agency": agencies[Agency.Kind.HEALTH_PROVIDER],
        "referrer_role": "Health visitor",
        "child_name": name,
        "child_date_of_birth": incident - dt.timedelta(days=365 * age + 40),
        "child_sex": sex,
        "child_ethnicity": "Not recorded",
        "child_address": "12 Example Road, Northtown (invented)",
        "incident_date": incident,
        "incident_description": "Brought to the emergency department with injuries that the "
        "carers could not explain. (Demo data.)",
        "abuse_or_neglect": "suspected",
        "outcome": outcome,
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
    for key, (state, name, sex, age, outcome, days_ago) in DEMO_REFERRALS.items():
        contact = f"pat.practitioner+{key}@example.org"
        referral = Referral.objects.filter(partnership=partnership, referrer_contact=contact).first()
        if referral is None:
            values = _values(context, name, sex, age, outcome, days_ago)
            values["referrer_contact"] = contact
            referral = services.save_referral_draft(
                actor=author, partnership=partnership, values=values, agencies=involved
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
