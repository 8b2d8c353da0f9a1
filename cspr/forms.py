"""GOV.UK Frontend styling for Django forms.

Forms inherit ``GovukFormMixin``; ``{{ form }}`` then renders each field as a
GOV.UK form group (label, hint, error message, input) through the project's form
renderer (``templates/forms/``), linked for screen readers with
``aria-describedby``. The error summary is ``includes/error_summary.html``.

Dates are GOV.UK date inputs (day, month and year, ``DateInput`` and ``DateField``),
never the browser's date picker.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

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


#: The parts of a GOV.UK date input, in the order they are shown and checked.
DATE_PARTS = ("day", "month", "year")
_ISO_DATE = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$")


class DateParts(NamedTuple):
    """What someone typed in a date input's three boxes, as typed (stripped)."""

    day: str = ""
    month: str = ""
    year: str = ""


class DateInput(forms.Widget):
    """The GOV.UK date input: three boxes (``<name>-day``, ``<name>-month``,
    ``<name>-year``) labelled Day, Month and Year, numeric keypads on phones, and
    no browser date picker.

    A single ISO value posted under the field's own name (``2026-01-02``, as an API
    client or an older test posts it) is still read. ``error_parts`` (set by the form
    when the field has an error) names the boxes to highlight; the error summary links
    to the first of them (``id_for_label``). The form group itself is rendered by
    ``templates/forms/govuk_field.html`` with GOV.UK Frontend's date input macro
    (``cspr.templatetags.govuk_dates``).
    """

    use_fieldset = True  # three boxes under one legend

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        self.error_parts: tuple[str, ...] = ()

    @staticmethod
    def part_name(name: str, part: str) -> str:
        return f"{name}-{part}"

    def value_from_datadict(self, data, files, name):
        keys = [self.part_name(name, part) for part in DATE_PARTS]
        if any(key in data for key in keys):
            return DateParts(*(str(data.get(key) or "").strip() for key in keys))
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(self.part_name(name, part) in data for part in DATE_PARTS)

    def id_for_label(self, id_):
        """The first box in error (the day's when none is): where the error summary's
        link and a label's ``for`` go."""
        return f"{id_}-{(self.error_parts or DATE_PARTS)[0]}" if id_ else id_

    def format_value(self, value) -> DateParts:
        """The three boxes' values: what was typed, or a date's day, month and year."""
        if isinstance(value, DateParts):
            return value
        if isinstance(value, dt.date):
            return DateParts(str(value.day), str(value.month), str(value.year))
        if isinstance(value, str) and (match := _ISO_DATE.match(value)):
            year, month, day = match.groups()
            return DateParts(day, month, year)
        return DateParts()

    def render(self, name, value, attrs=None, renderer=None):
        from cspr.templatetags.govuk_dates import date_input_html

        attrs = self.build_attrs(self.attrs, attrs)
        return date_input_html(
            id_=attrs.get("id") or name,
            name=name,
            parts=self.format_value(value),
            error_parts=self.error_parts,
        )


class DateField(forms.DateField):
    """A date from a GOV.UK date input, refused with GOV.UK's messages: "<Label> must
    include a month" (naming each missing part), "<Label> must be a real date". The
    code of each error names the parts to highlight (``missing_day_month``,
    ``invalid_day``); an error without such a code highlights the whole date.
    Whether the date may be in the future is each service's rule
    (``cspr.chronology``): "... must be today or in the past"."""

    widget = DateInput

    def _label(self) -> str:
        return str(self.label or "The date")

    def _not_real(self, part: str | None = None):
        code = f"invalid_{part}" if part else "invalid"
        return forms.ValidationError(f"{self._label()} must be a real date", code=code)

    def to_python(self, value):
        if isinstance(value, DateParts):
            return self._from_parts(value)
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "invalid":
                raise self._not_real() from None
            raise

    def _from_parts(self, parts: DateParts) -> dt.date | None:
        typed = dict(zip(DATE_PARTS, parts, strict=True))
        if not any(typed.values()):
            return None
        missing = [part for part in DATE_PARTS if not typed[part]]
        if missing:
            raise forms.ValidationError(
                f"{self._label()} must include a {' and '.join(missing)}", code="missing_" + "_".join(missing)
            )
        not_numbers = [part for part in DATE_PARTS if not typed[part].isascii() or not typed[part].isdigit()]
        if not_numbers:
            raise self._not_real(not_numbers[0] if len(not_numbers) == 1 else None)
        day, month, year = (int(typed[part]) for part in DATE_PARTS)
        if len(typed["year"]) != 4:
            raise forms.ValidationError(
                f"{self._label()} must include a year with 4 numbers", code="invalid_year"
            )
        if not 1 <= month <= 12:
            raise self._not_real("month")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._not_real("day") from None


def enter_the(label) -> str:
    """GOV.UK's message for a date left empty: "Enter the date of the incident"."""
    label = str(label)
    if label[:2].isupper():  # an abbreviation keeps its capitals
        return f"Enter the {label}"
    return f"Enter the {label[:1].lower()}{label[1:]}"


def error_parts(errors) -> tuple[str, ...]:
    """The boxes of a date input to highlight for a field's errors (``ErrorList``):
    the parts each error's code names, or all three."""
    found: set[str] = set()
    for error in errors.as_data():
        code = error.code or ""
        named = [part for part in code.split("_")[1:] if part in DATE_PARTS]
        if code.startswith(("missing_", "invalid_")) and named:
            found.update(named)
        else:
            return DATE_PARTS
    return tuple(part for part in DATE_PARTS if part in found)


def style_field(field, name: str = "") -> None:
    """Give a field its GOV.UK classes and the longest free text (also for a field
    added to a form after it was made). A date field becomes the GOV.UK date input,
    its messages naming it by its label (or, without one, by ``name``)."""
    if isinstance(field, forms.DateField):
        use_date_input(field)
        if field.label is None:  # its messages name it, as its legend does
            field.label = pretty_name(name)
        if str(field.error_messages.get("required")) == str(forms.Field.default_error_messages["required"]):
            field.error_messages = {**field.error_messages, "required": enter_the(field.label)}
        return
    widget = field.widget
    kind = type(widget).__name__.lower().replace("input", "").replace("widget", "")
    css = WIDGET_CLASSES.get(kind) or WIDGET_CLASSES.get(getattr(widget, "input_type", ""), "")
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{css} {existing}".strip()
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = LONG_TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(LONG_TEXT_MAX_LENGTH, message=LONG_TEXT_TOO_LONG))


def use_date_input(field: forms.DateField) -> None:
    """Every date field (declared, or from a model's ``DateField``) is a GOV.UK date
    input with GOV.UK's messages; a hidden one stays hidden."""
    if isinstance(field.widget, forms.HiddenInput):
        return
    if not isinstance(field.widget, DateInput):
        field.widget = DateInput(attrs={k: v for k, v in field.widget.attrs.items() if k != "class"})
    if type(field) is forms.DateField:
        # The form's own copy of the field (Django deep-copies the declared
        # fields per form): the same field, with the date input's validation.
        field.__class__ = DateField


class GovukFormMixin:
    """Adds GOV.UK classes to every widget, and links error messages to inputs."""

    default_renderer = GovukRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            style_field(field, name)

    def add_error(self, field, error):
        """Every error, from a field's validation or from a service after it
        (``apply_service_errors``), marks its input and links its message."""
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                self._mark_invalid(name)

    def _mark_invalid(self, name: str) -> None:
        widget = self.fields[name].widget
        if isinstance(widget, DateInput):
            # The fieldset carries aria-describedby (GOV.UK's macro); the boxes in
            # error are highlighted.
            widget.error_parts = error_parts(self._errors[name])
            return
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
