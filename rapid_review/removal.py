"""The one "Remove …?" page every removal shares (rapid review and commissioned
review records alike): GET asks, POST removes and goes back with a message.

It lives here, the lowest pipeline app that has removals, so that ``reviews``
(which may import ``rapid_review``) can share it; the page is
``templates/includes/confirm_removal.html``. Works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def confirm_removal(
    request, *, heading: str, caption: str, back_url: str, success: str,
    remove: Callable[[], object], intro: str = "", details: Iterable[tuple[str, str]] = (),
    refusal: str = "",
):
    """GET: the confirm page, naming what will go (``details``) and what goes with it
    (``intro``); or, when ``refusal`` says why it cannot be removed, that reason and
    no button. POST: ``remove()`` (a service: it checks permission and the lock
    again, inside its transaction), a success message, back to ``back_url``. A
    service's refusal (ValidationError) comes back on the page, nothing removed.
    """
    if request.method == "POST":
        try:
            remove()
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, success)
            return redirect(back_url)
    return render(request, "includes/confirm_removal.html", {
        "heading": heading, "caption": caption, "back_url": back_url, "intro": intro,
        "details": list(details), "refusal": refusal,
    })
