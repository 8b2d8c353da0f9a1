"""The shapes every app's pages share: a form page that calls a service, and the
"Remove …?" confirm page. Views stay thin (parse input, call a service, render);
these keep the shape in one place. Both work without JavaScript.

Templates: ``includes/form_page.html`` and ``includes/confirm_removal.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import apply_service_errors


def form_page(
    request,
    *,
    form,
    heading: str,
    back_url: str,
    run,
    success: str,
    caption: str = "",
    submit: str = "Save",
    intro: str = "",
    template: str = "includes/form_page.html",
    next_url=None,
):
    """Validate, call the service (``run(cleaned_data)``), say so and go on; a
    service's refusal comes back on the form, by field, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url(result) if callable(next_url) else (next_url or back_url))
    return render(
        request,
        template,
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "back_url": back_url,
            "submit": submit,
            "intro": intro,
            "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
        },
    )


def confirm_removal(
    request,
    *,
    heading: str,
    caption: str,
    back_url: str,
    success: str,
    remove: Callable[[], object],
    intro: str = "",
    details: Iterable[tuple[str, str]] = (),
    refusal: str = "",
    next_url: str = "",
):
    """GET: the confirm page, naming what will go (``details``) and what goes with it
    (``intro``); or, when ``refusal`` says why it cannot be removed, that reason and
    no button. POST: ``remove()`` (a service: it checks permission and the lock
    again, inside its transaction), a success message, back to ``back_url`` (or to
    ``next_url``, when what was removed had its own page). A
    service's refusal (ValidationError) comes back on the page, nothing removed.
    """
    if request.method == "POST":
        try:
            remove()
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, success)
            return redirect(next_url or back_url)
    return render(
        request,
        "includes/confirm_removal.html",
        {
            "heading": heading,
            "caption": caption,
            "back_url": back_url,
            "intro": intro,
            "details": list(details),
            "refusal": refusal,
        },
    )
