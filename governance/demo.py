"""Demo information governance: an inquest hold on Northshire's first case, its privacy
notice's own words, and an empty retention schedule (nothing disposed of). Safe to run
twice."""

from __future__ import annotations

from cases.codes import Nature
from cases.models import Case

from . import services
from .models import LegalHold, PrivacyNotice, RetentionSchedule


def seed(context: dict) -> None:
    partnership = context["partnership"]
    lead = context["users"]["lead"]
    RetentionSchedule.objects.get_or_create(partnership=partnership)
    PrivacyNotice.objects.get_or_create(
        partnership=partnership,
        defaults={
            "lawful_basis": "UK GDPR Article 6(1)(e) (public task: Children Act 2004 sections "
            "16C to 16K) and Article 9(2)(g) (substantial public interest), with Data Protection "
            "Act 2018 Schedule 1 paragraph 18 (safeguarding of children and individuals at risk).",
            "dpo_contact": "The data protection officer, Northshire County Council (dpo@northshire.example).",
        },
    )
    case = Case.objects.filter(partnership=partnership, children__nature=Nature.DIED).order_by("pk").first()
    if case is not None and not LegalHold.objects.filter(case=case).exists():
        services.place_legal_hold(
            actor=lead,
            case=case,
            reason=LegalHold.Reason.INQUEST,
            detail="The coroner has opened an inquest; keep every record until it ends. (Demo data.)",
        )
