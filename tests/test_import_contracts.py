"""The import rules of docs/architecture.md hold: import-linter's contracts in
pyproject.toml (layers of the pipeline, the deadlines app beside the stages, the
kernel and messaging under all) are all kept. An import pointing back up fails here."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept():
    lint_imports = pathlib.Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
