"""GOV.UK Frontend styling for Django forms.

Forms inherit ``GovukFormMixin``; ``{{ form }}`` then renders each field as a
GOV.UK form group (label, hint, error message, input) through the project's form
renderer (``templates/forms/``), linked for screen readers with
``aria-describedby``. The error summary is ``includes/error_summary.html``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting

#: The longest free text any field takes (about 1,500 words) where the model gives
#: no shorter limit: long enough for a summary, an analysis or a rationale (whole
#: reports are uploaded documents), short enough that no one pastes a book.
LONG_TEXT_MAX_LENGTH = 10_000
LONG_TEXT_TOO_LONG = "Enter %(limit_value)d characters or fewer (you entered %(show_value)d)."

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "url": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-5",
    "date": "govuk-input govuk-input--width-10",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}


class GovukRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_field(field) -> None:
    """Give a field its GOV.UK classes and the longest free text (for a field added
    to a form after it was made)."""
    widget = field.widget
    if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
        field.widget = widget = DateInput(attrs=widget.attrs)
    kind = type(widget).__name__.lower().replace("input", "").replace("widget", "")
    css = WIDGET_CLASSES.get(kind) or WIDGET_CLASSES.get(getattr(widget, "input_type", ""), "")
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{css} {existing}".strip()
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = LONG_TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(LONG_TEXT_MAX_LENGTH, message=LONG_TEXT_TOO_LONG))


class GovukFormMixin:
    """Adds GOV.UK classes to every widget, and links error messages to inputs."""

    default_renderer = GovukRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)

    def add_error(self, field, error):
        """Every error, from a field's validation or from a service after it
        (``apply_service_errors``), marks its input and links its message."""
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                self._mark_invalid(name)

    def _mark_invalid(self, name: str) -> None:
        widget = self.fields[name].widget
        described = widget.attrs.get("aria-describedby", "").split()
        # Setting the attribute stops Django adding the hint's id: keep it
        # (radios and checkboxes get theirs from the fieldset instead).
        bound = self[name]
        hint = bound.help_text and not bound.use_fieldset
        ids = [f"{bound.auto_id}_helptext"] if hint else []
        ids.append(f"{bound.auto_id}-error")
        described += [i for i in ids if i not in described]
        widget.attrs["aria-describedby"] = " ".join(described)
        css = widget.attrs.get("class", "")
        for kind in ("govuk-input", "govuk-textarea", "govuk-select"):
            if kind in css.split() and f"{kind}--error" not in css:
                widget.attrs["class"] = f"{css} {kind}--error"
                break


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it: on the field it names
    where the form has that field, otherwise at the top (the error summary lists both)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                for message in item.messages:
                    form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
