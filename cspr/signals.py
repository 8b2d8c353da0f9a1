"""Sign-in, sign-out and failed sign-in go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(actor=user, action=audit.Action.LOGIN, label="sign-in")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=audit.Action.LOGOUT, label="sign-out")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is personal data: record only that a sign-in failed.
    audit.record(actor=None, action=audit.Action.LOGIN_FAILED, label="failed sign-in")
