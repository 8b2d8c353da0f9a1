"""The coded characteristics of a child in a serious incident notification: the one
place the code lists are defined.

Each list's labels are the categories as the Department for Education's official
statistics "Serious incident notifications" (Explore education statistics, published
yearly, counted by financial year, April to March) name them, plus "Not known", so a
partnership's figures (``cases.figures``) can be read against the national ones and
the DfE online notification form can be filled from a case.

Sources: the release's data sets "National, including characteristics" (2022-23:
nature of notification Child death / Serious harm / Other; gender Male / Female /
Transgender / Not known) and its methodology page. The labels of the age groups,
ethnic groups and placement types follow the release's headings (see docs/domain.md,
"Coded characteristics", for which are confirmed against the published files and
which are still to be checked).
"""

from __future__ import annotations

from django.db import models

#: A case (one incident) names at most this many children (GOV.UK, "Report a
#: serious child safeguarding incident": one notification per incident, up to four
#: children).
MAX_CHILDREN = 4

#: "Child" means under 18 (Children Act 1989 s105; WT2023): the age at the incident
#: in months must be below this.
ADULT_AGE_MONTHS = 18 * 12

#: Ages under 2 years are shown, and entered, in months ("8 months").
MONTHS_SHOWN_UNDER = 24


class Nature(models.TextChoices):
    """Nature of the notification, as the statistics name it. "Other" is mostly a
    child who caused serious harm and was themselves abused or neglected."""

    DIED = "died", "Child death"
    SERIOUSLY_HARMED = "seriously_harmed", "Serious harm"
    OTHER = "other", "Other"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    TRANSGENDER = "transgender", "Transgender"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The five major ethnic groups of the DfE's children's social care collections,
    with "Refused" and "Not known" (information not yet obtained)."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, African, Caribbean or Black British"
    OTHER = "other", "Other ethnic group"
    REFUSED = "refused", "Refused"
    NOT_KNOWN = "not_known", "Not known"


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class PlacementType(models.TextChoices):
    """Where a looked-after child was placed at the time of the incident."""

    FOSTER = "foster", "Foster placement"
    CHILDRENS_HOME = "childrens_home", "Residential children's home"
    PLACED_WITH_PARENTS = "placed_with_parents", "Placed with parents"
    OTHER = "other", "Other placement"
    NOT_KNOWN = "not_known", "Not known"


class AgeGroup(models.TextChoices):
    """Age at the incident, grouped as the statistics group it."""

    UNBORN = "unborn", "Unborn"
    UNDER_1 = "under_1", "Under 1"
    ONE_TO_FIVE = "1_to_5", "1 to 5"
    SIX_TO_TEN = "6_to_10", "6 to 10"
    ELEVEN_TO_FIFTEEN = "11_to_15", "11 to 15"
    SIXTEEN_AND_OVER = "16_and_over", "16 and over"
    NOT_KNOWN = "not_known", "Not known"


#: (group, lowest age in months, highest age in months) of the groups with ages.
AGE_GROUP_BOUNDS = [
    (AgeGroup.UNDER_1, 0, 11),
    (AgeGroup.ONE_TO_FIVE, 12, 71),
    (AgeGroup.SIX_TO_TEN, 72, 131),
    (AgeGroup.ELEVEN_TO_FIFTEEN, 132, 191),
    (AgeGroup.SIXTEEN_AND_OVER, 192, ADULT_AGE_MONTHS - 1),
]


def age_group(*, unborn: bool, age_months: int | None) -> AgeGroup:
    if unborn:
        return AgeGroup.UNBORN
    if age_months is None:
        return AgeGroup.NOT_KNOWN
    for group, low, high in AGE_GROUP_BOUNDS:
        if low <= age_months <= high:
            return group
    return AgeGroup.NOT_KNOWN


def age_label(*, unborn: bool, age_months: int | None) -> str:
    """'Unborn', '8 months', '1 month', '6 years' or 'Not known'."""
    if unborn:
        return "Unborn"
    if age_months is None:
        return "Not known"
    if age_months < MONTHS_SHOWN_UNDER:
        return f"{age_months} month{'' if age_months == 1 else 's'}"
    years = age_months // 12
    return f"{years} years"
