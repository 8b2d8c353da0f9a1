"""docs/permissions.md is the role matrix the code enforces."""

from django.core.management import call_command

from cspr import rolematrix
from cspr.permissions import CAPABILITIES


def test_the_committed_role_matrix_is_what_the_command_generates_now():
    committed = rolematrix.DOC_PATH.read_text(encoding="utf-8")
    assert committed == rolematrix.render(), (
        "docs/permissions.md is out of date: run `python manage.py role_matrix` and commit it."
    )


def test_every_capability_appears_in_the_document_with_its_roles():
    text = rolematrix.render()
    for code, cap in CAPABILITIES.items():
        assert f"(`{code}`)" in text
        assert f"## {cap.stage}" in text
    assert "| Record the partners' decision and its rationale (`record_decision`) | yes | no |" in text


def test_the_command_check_mode_passes_on_the_committed_file(capsys):
    call_command("role_matrix", "--check")
    assert "up to date" in capsys.readouterr().out
