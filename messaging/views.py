"""Pages of the messaging app: the user's in-app messages and e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cspr.permissions import partnership_ids
from cspr.roles import Role

from . import services
from .forms import EmailPreferenceForm
from .selectors import access_undelivered_email, messages_of, undelivered_emails_for


@login_required
def preferences(request):
    preference = services.preference_for(request.user)
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.update_email_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, "Your e-mail preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "messaging/preferences.html", {"form": form})


@login_required
def message_list(request):
    page = Paginator(messages_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/messages.html", {"page": page})


def _back(request):
    target = request.POST.get("next") or reverse("notifications:message-list")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("notifications:message-list")
    return redirect(target)


@login_required
@require_POST
def message_read(request, pk):
    if (
        not services.mark_read(user=request.user, message_id=pk)
        and not messages_of(request.user).filter(pk=pk).exists()
    ):
        raise Http404("No such notification.")
    return _back(request)


@login_required
@require_POST
def message_read_all(request):
    services.mark_read(user=request.user)
    return _back(request)


@login_required
def undelivered_emails(request):
    """E-mails that failed or were abandoned, with "send again" (business managers and
    partner leads of the clock's partnership; a digest to its own recipient)."""
    if not partnership_ids(request.user, [Role.BUSINESS_MANAGER, Role.PARTNER_LEAD]):
        raise PermissionDenied("Only a business manager or partner lead can see e-mails not delivered.")
    page = Paginator(undelivered_emails_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/undelivered.html", {"page": page})


@login_required
@require_POST
def send_email_again(request, pk):
    log = access_undelivered_email(request.user, pk)
    services.send_again(log_id=log.pk, actor=request.user)
    messages.success(request, f"The e-mail to {log.recipient.email} is queued to be sent again.")
    return redirect("notifications:undelivered-emails")
