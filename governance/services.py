"""Every write of information governance: leavers, legal holds, subject access packs.

Each runs in one transaction, checks the capability and writes its audit row in the
same transaction. Audit rows name staff and references, never a child or family.
Disposal under the retention schedule is in ``governance.retention``.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from guardian.models import UserObjectPermission
from knox.models import AuthToken

from cases.models import Case
from cspr import audit
from cspr.models import Membership, Partnership
from cspr.permissions import grant_models, require

from .models import LegalHold

# ---------------------------------------------------------------------------
# People who leave
# ---------------------------------------------------------------------------


def grant_partnership_lookup(model) -> str | None:
    """The lookup from a grant to its object's partnership ('content_object__partnership',
    or through the object's case)."""
    target = model._meta.get_field("content_object").related_model
    names = {f.name for f in target._meta.fields}
    if "partnership" in names:
        return "content_object__partnership"
    if "case" in names:
        return "content_object__case__partnership"
    return None


def grants_in(partnership: Partnership, *, user=None) -> list:
    """The object-level grants on the partnership's records (of one user, if given)."""
    found = []
    for model in grant_models():
        lookup = grant_partnership_lookup(model)
        if lookup is None:
            continue
        rows = model.objects.filter(**{lookup: partnership}).select_related("user", "permission")
        if user is not None:
            rows = rows.filter(user=user)
        found.extend(rows)
    return found


def end_sessions(user) -> int:
    """Delete every live session of ``user`` (database sessions). Returns how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _end_account(user) -> dict:
    """Everything that lets ``user`` in, ended: the account, sessions, API token,
    calendar feed, every grant and every membership."""
    counts = {
        "sessions": end_sessions(user),
        "tokens": AuthToken.objects.filter(user=user).delete()[0],
        "grants": sum(model.objects.filter(user=user).delete()[0] for model in grant_models())
        + UserObjectPermission.objects.filter(user=user).delete()[0],
        "memberships": Membership.objects.filter(user=user).delete()[0],
    }
    if apps.is_installed("deadlines"):
        apps.get_model("deadlines", "CalendarFeed").objects.filter(user=user).delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    return counts


@transaction.atomic
def deactivate_user(*, actor, user, partnership: Partnership | None = None) -> dict:
    """End ``user``'s access at once, audited.

    By an administrator (``partnership`` None): the account is deactivated and every
    session, API token, grant and membership ends. By a business manager for their
    partnership: the user's memberships and grants there end, and their sessions; when
    they belong to no other partnership the account is deactivated as well.
    Returns what was ended, as counts.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if partnership is None:
        if not (actor.is_active and actor.is_staff and actor.has_perm("auth.change_user")):
            raise PermissionDenied("Only an administrator can deactivate any account.")
        counts = _end_account(user)
        counts["deactivated"] = True
    else:
        require(actor, "review_access", partnership.pk)
        own = Membership.objects.filter(user=user, partnership=partnership)
        grants = grants_in(partnership, user=user)
        if not own.exists() and not grants:
            raise Http404("No such person in this partnership.")
        if user.is_superuser or user.is_staff:
            raise ValidationError("An administrator's account is deactivated in the admin.")
        counts = {"memberships": own.delete()[0], "grants": 0}
        for grant in grants:
            grant.delete()
            counts["grants"] += 1
        if Membership.objects.filter(user=user).exists():
            counts["sessions"] = end_sessions(user)
            counts["deactivated"] = False
        else:
            ended = _end_account(user)
            counts = {key: counts.get(key, 0) + value for key, value in ended.items()}
            counts["deactivated"] = True
    audit.record(
        actor=actor,
        action=audit.Action.PERMISSION,
        subject=user,
        partnership=partnership,
        label=f"User {user.pk}",
        detail={"deactivated": counts},
    )
    return counts


# ---------------------------------------------------------------------------
# Legal holds
# ---------------------------------------------------------------------------


@transaction.atomic
def place_legal_hold(*, actor, case: Case, reason: str, detail: str) -> LegalHold:
    require(actor, "place_legal_hold", case.partnership_id)
    if reason not in LegalHold.Reason.values:
        raise ValidationError({"reason": "Select why the case is held"})
    if not (detail or "").strip():
        raise ValidationError({"detail": "Enter the details of the hold"})
    hold = LegalHold.objects.create(case=case, reason=reason, detail=detail.strip(), placed_by=actor)
    audit.record(actor=actor, action=audit.Action.CREATE, subject=hold, detail={"reason": reason})
    return hold


@transaction.atomic
def lift_legal_hold(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    hold = LegalHold.objects.select_for_update().select_related("case").get(pk=hold.pk)
    require(actor, "place_legal_hold", hold.case.partnership_id)
    if not hold.is_live:
        raise ValidationError("This hold was already lifted.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the hold is lifted"})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit.record(actor=actor, action=audit.Action.CHANGE, subject=hold, detail={"lifted": True})
    return hold


def live_holds(case: Case):
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True)


# ---------------------------------------------------------------------------
# Subject access
# ---------------------------------------------------------------------------


@transaction.atomic
def build_subject_access_pack(*, actor, case: Case) -> tuple[str, bytes]:
    """The subject access pack about the child of ``case`` as (file name, ZIP bytes),
    for the data protection officer to review and redact before anything is released.
    Building it is audited."""
    from .subject_access import build_pack

    require(actor, "build_subject_access_pack", case.partnership_id)
    name, data, contents = build_pack(case)
    audit.record(
        actor=actor, action=audit.Action.EXPORT, subject=case, detail={"subject_access_pack": contents}
    )
    return name, data
