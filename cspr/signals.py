"""Sign-in, sign-out and failed sign-in go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import audit
from .models import Membership


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(actor=user, action=audit.Action.LOGIN, label="sign-in")
    if request is not None and hasattr(request, "session"):
        from .twofactor import remember_device_at_sign_in

        remember_device_at_sign_in(request, user)
        from .middleware import session_renewed

        session_renewed(request.session)  # the session is new: its idle timeout starts now


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=audit.Action.LOGOUT, label="sign-out")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is personal data: record only that a sign-in failed.
    audit.record(actor=None, action=audit.Action.LOGIN_FAILED, label="failed sign-in")


# ---------------------------------------------------------------------------
# Permission changes: a membership (a person's role in a partnership) created,
# changed or deleted, wherever that happens (admin, service, shell), is a
# PERMISSION event in the partnership's trail. The actor is the user of the
# request (cspr.middleware.AuditActorMiddleware), or none for a command.
# ---------------------------------------------------------------------------

_MEMBERSHIP_FIELDS = ["user_id", "partnership_id", "agency_id", "role"]


def _membership_detail(membership, change: str, **extra) -> dict:
    return {
        "change": change,
        "user_id": membership.user_id,
        "role": membership.role,
        "agency_id": membership.agency_id,
        **extra,
    }


@receiver(pre_save, sender=Membership)
def _membership_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    instance._audit_before = Membership.objects.filter(pk=instance.pk).values(*_MEMBERSHIP_FIELDS).first()


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        detail = _membership_detail(instance, "created")
    else:
        changed = {
            name: {"from": before[name], "to": getattr(instance, name)}
            for name in _MEMBERSHIP_FIELDS
            if before[name] != getattr(instance, name)
        }
        if not changed:
            return
        detail = _membership_detail(instance, "changed", fields=changed)
    audit.record(
        actor=audit.current_actor(),
        action=audit.Action.PERMISSION,
        subject=instance,
        partnership=instance.partnership,
        label=f"membership {instance.pk}",
        detail=detail,
    )


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender, instance, **kwargs):
    audit.record(
        actor=audit.current_actor(),
        action=audit.Action.PERMISSION,
        partnership=instance.partnership,
        label=f"membership {instance.pk}",
        detail=_membership_detail(instance, "deleted"),
    )
