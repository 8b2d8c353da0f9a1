"""A field with errors tells screen readers its hint and its errors, in one message."""

from django import forms
from django.core.exceptions import ValidationError

from cspr.forms import GovukForm


class HintedForm(GovukForm):
    reference = forms.CharField(help_text="For example, NCC-2026-001")
    plain = forms.CharField()

    def clean_plain(self):
        raise ValidationError(["First problem.", "Second problem."])


def test_an_invalid_field_is_described_by_its_hint_and_its_error_message():
    form = HintedForm(data={"reference": "", "plain": "x"})
    assert not form.is_valid()
    html = str(form)

    assert 'aria-describedby="id_reference_helptext id_reference-error"' in html
    assert 'id="id_reference_helptext"' in html
    assert 'aria-describedby="id_plain-error"' in html


def test_several_errors_on_one_field_share_one_message_so_no_id_is_repeated():
    form = HintedForm(data={"reference": "NCC-2026-001", "plain": "x"})
    assert not form.is_valid()
    html = str(form)

    assert html.count('id="id_plain-error"') == 1
    assert "First problem.<br>" in html
    assert "Second problem." in html


class ReferenceForm(GovukForm):
    reference = forms.CharField(help_text="For example, NCC-2026-001")


def test_an_error_a_service_raises_after_validation_is_linked_and_marked_the_same_way():
    from cspr.forms import apply_service_errors

    form = ReferenceForm(data={"reference": "NCC-2026-001"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError({"reference": "That reference is taken."}))
    html = str(form)
    assert 'aria-describedby="id_reference_helptext id_reference-error"' in html
    assert 'id="id_reference-error"' in html and "That reference is taken." in html
    assert "govuk-input--error" in html
