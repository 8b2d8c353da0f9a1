"""Two-factor sign-in with an authenticator app (TOTP, django-otp).

Required by default: every administrator (staff, superuser) and every member signs
in with a password and then the 6-digit code from their app. The one exception is a
member who only makes referrals (cspr.roles.REFERRER_ROLES, added to no case or
review) in partnerships whose business manager let such members sign in with a
password alone (``Partnership.two_factor_optional_for_referrers``). Until the session
has entered a code (django-otp's ``user.is_verified()``), ``cspr.middleware.TwoFactorMiddleware``
sends a member to set up an app or to enter a code and lets them reach no other page,
and ``cspr.apiauth.TwoFactorSessionAuthentication`` refuses their session on the API.
"""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .forms import GovukForm
from .models import Partnership
from .permissions import access_partnership, holds_object_grants, memberships, require
from .roles import REFERRER_ROLES

DEVICE_NAME = "Authenticator app"


def two_factor_required(user) -> bool:
    """Whether ``user`` must enter a one-time code after the password.

    Yes for administrators and for anyone holding a role that sees case content (every
    role but a practitioner's), or added to a case or review. A member whose every role
    is a referrer role, in partnerships that each made two-factor optional for such
    members, may sign in without. Memberships are the request's cached ones (the page's
    own permission checks read them too); the grant check, one query per kind of grant,
    runs only for such a member."""
    if user.is_staff or user.is_superuser:
        return True
    held = memberships(user)
    if not held or any(
        m.role not in REFERRER_ROLES or not m.partnership.two_factor_optional_for_referrers for m in held
    ):
        return True
    return holds_object_grants(user)


#: What a signed-in user owes before anything else (``owed_step``).
SET_UP = "set up"
ENTER_CODE = "enter code"


def owed_step(request) -> str | None:
    """``ENTER_CODE`` when the user has an authenticator app and this session has not
    entered a code; ``SET_UP`` when they need one and have none; otherwise None.
    Reads ``request.user.is_verified()``, which django-otp's OTPMiddleware installs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return None
    if has_confirmed_device(request):
        return ENTER_CODE
    if two_factor_required(user):
        return SET_UP
    return None


#: Session key: whether the signed-in user had a confirmed authenticator app at sign-in.
SESSION_HAS_DEVICE = "cspr_two_factor_device"


def remember_device_at_sign_in(request, user) -> None:
    """Called on sign-in: one query then, none on every later request."""
    request.session[SESSION_HAS_DEVICE] = confirmed_device(user) is not None


def has_confirmed_device(request) -> bool:
    flag = request.session.get(SESSION_HAS_DEVICE)
    if flag is None:  # a session from before this flag existed
        flag = confirmed_device(request.user) is not None
        request.session[SESSION_HAS_DEVICE] = flag
    return flag


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 numbers the app shows now, like 123456.",
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != self.device.digits:
            raise forms.ValidationError(
                f"Enter the {self.device.digits} numbers your authenticator app shows"
            )
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "Too many wrong codes. Wait a minute, then enter the code the app shows then"
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "The code is not right. Enter the code your authenticator app shows now"
            )
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG (made on the server: no script, no CDN)."""
    svg = segno.make(data, error="m").svg_inline(scale=5, title="QR code to scan with your app")
    # segno escapes what it writes; the data is our own otpauth URL.
    # Markup generated by segno from our own URL, not user input.
    return mark_safe(svg)  # nosec B308 B703  # noqa: S308


@never_cache
@login_required
def setup(request):
    """Show a new secret (as text and QR code); confirm it with a code from the app."""
    if confirmed_device(request.user) is not None:
        return render(request, "cspr/two_factor_done.html", {"already": True})
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(
                actor=request.user,
                action=audit.Action.CHANGE,
                label="two-factor sign-in set up",
                detail={"two_factor": "set up"},
            )
        otp_login(request, device)
        return redirect(_next_url(request))
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "cspr/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": qr_svg(device.config_url),
            "required": two_factor_required(request.user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def verify(request):
    """Ask for the code after the password."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two-factor-setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "cspr/two_factor_verify.html", {"form": form, "next": _next_url(request)})


# ---------------------------------------------------------------------------
# Tools that drive the site as a signed-in user (the test suite, ``bench``,
# ``loadtest``): a session that passed both steps, the way the pages leave it.
# ---------------------------------------------------------------------------


def pass_second_step(session, user) -> TOTPDevice:
    """Mark ``session`` (where ``user`` is signed in) as having entered a code, through
    django-otp's own ``login`` as the code page does; ``user`` gets a confirmed
    authenticator app if they have none. Never called by a page: a member passes the
    second step only by typing a code their app shows."""
    device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    request = HttpRequest()
    request.session = session
    request.user = user
    otp_login(request, device)
    session[SESSION_HAS_DEVICE] = True
    return device


def force_login_with_two_factor(client, user) -> TOTPDevice:
    """``client.force_login(user)`` (a django.test.Client) and the second step passed."""
    client.force_login(user)
    session = client.session
    device = pass_second_step(session, user)
    session.save()
    return device


# ---------------------------------------------------------------------------
# A partnership's choice for practitioners who only make referrals
# ---------------------------------------------------------------------------


@transaction.atomic
def set_two_factor_optional_for_referrers(*, actor, partnership: Partnership, optional: bool) -> bool:
    """A business manager lets members who only make referrals sign in without a code
    (or stops letting them). Audited; returns whether anything changed."""
    require(actor, "relax_two_factor", partnership.pk)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.two_factor_optional_for_referrers == optional:
        return False
    partnership.two_factor_optional_for_referrers = optional
    partnership.save(update_fields=["two_factor_optional_for_referrers"])
    audit.record(
        actor=actor,
        action=audit.Action.CHANGE,
        subject=partnership,
        partnership=partnership,
        label=f"Two-factor sign-in for practitioners who only make referrals: "
        f"{'optional' if optional else 'required'}",
        detail={"two_factor_optional_for_referrers": optional},
    )
    return True


class ReferrerTwoFactorForm(GovukForm):
    choice = forms.ChoiceField(
        label="Must practitioners who only make referrals enter a code from an authenticator app?",
        help_text="This applies only to members whose every role is practitioner and who have not "
        "been added to a case or review. Everyone else always enters a code.",
        choices=[
            ("required", "Yes, everyone enters a code (recommended)"),
            ("optional", "No, they may sign in with their password alone"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether practitioners who only make referrals enter a code"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referrers_policy(request, partnership_pk):
    """A business manager's choice for their partnership's referrers."""
    partnership = access_partnership(request.user, partnership_pk)
    require(request.user, "relax_two_factor", partnership.pk)
    initial = "optional" if partnership.two_factor_optional_for_referrers else "required"
    form = ReferrerTwoFactorForm(
        request.POST if request.method == "POST" else None, initial={"choice": initial}
    )
    if request.method == "POST" and form.is_valid():
        optional = form.cleaned_data["choice"] == "optional"
        set_two_factor_optional_for_referrers(actor=request.user, partnership=partnership, optional=optional)
        messages.success(
            request,
            "Practitioners who only make referrals may now sign in without a code"
            if optional
            else "Every member now enters a code from an authenticator app",
        )
        return redirect(reverse("two-factor-referrers", args=[partnership.pk]))
    return render(
        request,
        "cspr/two_factor_referrers.html",
        {"form": form, "partnership": partnership},
    )
