"""The GOV.UK date input, rendered with GOV.UK Frontend's own macro (through
govuk-frontend-django's ``GovUKDateInput``), so its markup follows the design system:
a fieldset with the field's label as its legend, the hint and error message linked by
``aria-describedby``, and three text boxes labelled Day, Month and Year with
``inputmode="numeric"``.

``{% govuk_date_field field %}`` renders a bound field's whole form group
(``templates/forms/govuk_field.html`` does, for every date field).
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from govuk_frontend_django.components.date_input import GovUKDateInput
from markupsafe import Markup

from cspr.forms import DATE_PARTS, DateParts

register = template.Library()

_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")

_WIDTHS = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}


def date_input_html(
    *,
    id_: str,
    name: str,
    parts: DateParts,
    error_parts: tuple[str, ...] = (),
    legend: str | None = None,
    hint: str | None = None,
    errors: list[str] | None = None,
) -> SafeString:
    """GOV.UK Frontend's date input: the boxes in ``error_parts`` highlighted."""
    items = [
        {
            "name": part,
            "label": part.capitalize(),
            "value": value,
            "classes": _WIDTHS[part] + (" govuk-input--error" if part in error_parts else ""),
        }
        for part, value in zip(DATE_PARTS, parts, strict=True)
    ]
    component = GovUKDateInput(
        id=id_,
        namePrefix=name,
        items=items,
        hint={"text": str(hint)} if hint else None,
        errorMessage={"html": Markup("<br>").join(str(e) for e in errors)}
        if errors
        else None,  # each escaped
        fieldset=(
            {"legend": {"text": str(legend), "classes": "govuk-fieldset__legend--s", "isPageHeading": False}}
            if legend is not None
            else None
        ),
    )
    # The macro leaves lines of indentation where its optional parts were. What it
    # renders is escaped by Jinja's autoescape: only blank lines are taken out.
    return mark_safe(_BLANK_LINES.sub("", component.render()))  # nosec B308 B703  # noqa: S308


@register.simple_tag
def govuk_date_field(field) -> SafeString:
    """``{% govuk_date_field field %}``: a bound date field as a GOV.UK date input."""
    widget = field.field.widget
    legend = str(field.label)
    if not field.field.required and not getattr(field.field, "required_to_submit", False):
        legend += " (optional)"
    return date_input_html(
        id_=field.auto_id or field.html_name,
        name=field.html_name,
        parts=widget.format_value(field.value()),
        error_parts=getattr(widget, "error_parts", ()),
        legend=legend,
        hint=field.help_text or None,
        errors=list(field.errors),
    )
