"""The roles a person can hold in a partnership (a ``Membership``)."""

from django.db import models


class Role(models.TextChoices):
    PARTNER_LEAD = "partner_lead", "Partner lead"
    BUSINESS_MANAGER = "business_manager", "Business manager"
    PRACTITIONER = "practitioner", "Practitioner"
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    REVIEW_TEAM_MEMBER = "review_team_member", "Review team member"
    PANEL_LIAISON = "panel_liaison", "Panel liaison"


#: Roles that run the partnership's business: they see every case of the partnership.
CASE_MANAGERS = frozenset({Role.PARTNER_LEAD, Role.BUSINESS_MANAGER})

#: Roles that see no case content, only the referrals their holder writes: a
#: partnership may let members who hold only these sign in without two-factor
#: (``Partnership.two_factor_optional_for_referrers``). Every other role, and every
#: administrator, always signs in with a one-time code as well (cspr.twofactor).
REFERRER_ROLES = frozenset({Role.PRACTITIONER})
