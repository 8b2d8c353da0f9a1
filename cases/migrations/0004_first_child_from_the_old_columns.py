"""Each existing case's child becomes its first child (``CaseChild`` 1), and each
referral's child its first child (``ReferralChild`` 1), with the old values coded
as ``cases.codes`` codes them:

- sex becomes gender ("unknown" becomes "not_known");
- the free-text ethnicity is read into the five major groups (or "Refused", or
  "Not known" when it names none) and kept word for word as "ethnicity as
  recorded" on the case's child;
- a disability written down becomes "Yes" with that text as its kind ("none" or
  "no" become "No"; nothing written becomes "Not known");
- the outcome becomes the nature (died: "Child death"; seriously harmed:
  "Serious harm");
- the looked-after, protection plan and child in need boxes become "Yes" or "No"
  (a looked-after child's placement type "Not known");
- the age in years becomes the age in months (years × 12);
- the agencies involved with the case become the agencies that knew the child
  ("Known to any agency": "Yes" if there were any, else "Not known").

The referral's "Not known" for children's social care is coded "not_known" too.
Backwards, the first child's values go back to the old columns.
"""

from django.db import migrations

ETHNIC_GROUP_WORDS = [
    ("refused", ("refus", "declined")),
    ("mixed", ("mixed", "multiple", "dual heritage")),
    ("asian", ("asian", "indian", "pakistani", "bangladeshi", "chinese")),
    ("black", ("black", "african", "caribbean")),
    ("white", ("white", "british", "irish", "gypsy", "roma", "traveller")),
    ("other", ("arab", "other")),
]
NO_DISABILITY = {"none", "no", "none known", "n/a", "not disabled"}


def ethnic_group(text: str) -> str:
    words = (text or "").strip().lower()
    if not words or words in {"not recorded", "not known", "unknown"}:
        return "not_known"
    for group, markers in ETHNIC_GROUP_WORDS:
        if any(marker in words for marker in markers):
            return group
    return "not_known"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseChild = apps.get_model("cases", "CaseChild")
    Referral = apps.get_model("cases", "Referral")
    ReferralChild = apps.get_model("cases", "ReferralChild")
    Referral.objects.filter(childrens_social_care_aware="unknown").update(
        childrens_social_care_aware="not_known"
    )
    for case in Case.objects.prefetch_related("agencies").iterator(chunk_size=500):
        agencies = list(case.agencies.all())
        disability = (case.child_disability or "").strip()
        child = CaseChild.objects.create(
            case=case,
            ordinal=1,
            initials=case.child_initials,
            unborn=case.child_unborn,
            age_months=None
            if case.child_unborn or case.child_age_years is None
            else case.child_age_years * 12,
            gender="not_known" if case.child_sex in ("", "unknown") else case.child_sex,
            ethnicity=ethnic_group(case.child_ethnicity),
            ethnicity_detail=(case.child_ethnicity or "")[:100],
            disability="not_known"
            if not disability
            else "no"
            if disability.lower() in NO_DISABILITY
            else "yes",
            disability_kind=disability if disability and disability.lower() not in NO_DISABILITY else "",
            nature=case.outcome or "seriously_harmed",
            looked_after=yes_no(case.looked_after),
            placement_type="not_known" if case.looked_after else "",
            child_protection_plan=yes_no(case.child_protection_plan),
            child_in_need=yes_no(case.child_in_need),
            known_to_agencies="yes" if agencies else "not_known",
            caused_serious_harm_to_another=case.caused_serious_harm_to_another,
        )
        child.agencies.set(agencies)
    for referral in Referral.objects.iterator(chunk_size=500):
        given = (
            referral.child_name,
            referral.child_date_of_birth,
            referral.child_unborn,
            referral.child_address,
            referral.child_sex,
            referral.child_ethnicity,
            referral.outcome,
        )
        if not any(given):
            continue
        ReferralChild.objects.create(
            referral=referral,
            ordinal=1,
            name=referral.child_name,
            date_of_birth=referral.child_date_of_birth,
            unborn=referral.child_unborn,
            address=referral.child_address,
            gender="not_known" if referral.child_sex == "unknown" else referral.child_sex,
            ethnicity=ethnic_group(referral.child_ethnicity) if referral.child_ethnicity else "",
            nature=referral.outcome,
        )


def backwards(apps, schema_editor):
    CaseChild = apps.get_model("cases", "CaseChild")
    ReferralChild = apps.get_model("cases", "ReferralChild")
    Referral = apps.get_model("cases", "Referral")
    for child in CaseChild.objects.filter(ordinal=1).select_related("case"):
        case = child.case
        case.child_initials = child.initials
        case.child_unborn = child.unborn
        case.child_age_years = None if child.age_months is None else child.age_months // 12
        case.child_sex = "unknown" if child.gender in ("not_known", "transgender") else child.gender
        case.child_ethnicity = child.ethnicity_detail or child.get_ethnicity_display()
        case.child_disability = child.disability_kind
        case.outcome = "died" if child.nature == "died" else "seriously_harmed"
        case.looked_after = child.looked_after == "yes"
        case.child_protection_plan = child.child_protection_plan == "yes"
        case.child_in_need = child.child_in_need == "yes"
        case.caused_serious_harm_to_another = child.caused_serious_harm_to_another
        case.save()
    for child in ReferralChild.objects.filter(ordinal=1).select_related("referral"):
        referral = child.referral
        referral.child_name = child.name
        referral.child_date_of_birth = child.date_of_birth
        referral.child_unborn = child.unborn
        referral.child_address = child.address
        referral.child_sex = "unknown" if child.gender in ("not_known", "transgender") else child.gender
        referral.child_ethnicity = child.get_ethnicity_display() if child.ethnicity else ""
        referral.outcome = "died" if child.nature == "died" else child.nature and "seriously_harmed"
        referral.save()
    Referral.objects.filter(childrens_social_care_aware="not_known").update(
        childrens_social_care_aware="unknown"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_and_referral_children"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
