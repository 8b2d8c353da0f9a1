"""PDFs rendered by cspr.pdf.render_pdf are tagged, titled and in British English;
tests.pdfcheck.assert_tagged_pdf says so, and says so only when it is true."""

from pathlib import Path

import pytest

from cspr.pdf import render_pdf
from tests.pdfcheck import assert_tagged_pdf, structure_types

TEST_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def sample_template(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]
    return "pdf_sample/sample.html"


def test_a_rendered_pdf_is_tagged_with_its_title_and_language(sample_template):
    pdf = render_pdf(sample_template, {"reference": "NCC-2026-001"}, title="Sample report")

    assert_tagged_pdf(pdf, title="Sample report", lang="en-GB")
    assert {"/Document", "/H1", "/P", "/Table", "/TH", "/TD"} <= structure_types(pdf)


def test_the_check_fails_for_a_wrong_title_or_language(sample_template):
    pdf = render_pdf(sample_template, {"reference": "NCC-2026-001"}, title="Sample report")

    with pytest.raises(AssertionError, match="Title is 'Sample report', expected 'Other'"):
        assert_tagged_pdf(pdf, title="Other")
    with pytest.raises(AssertionError, match="/Lang is 'en-GB', expected 'cy'"):
        assert_tagged_pdf(pdf, title="Sample report", lang="cy")


def test_the_check_fails_for_an_untagged_pdf():
    from weasyprint import HTML

    untagged = HTML(string="<h1>Plain</h1>").write_pdf()

    with pytest.raises(AssertionError) as failure:
        assert_tagged_pdf(untagged, title="Plain")
    message = str(failure.value)
    assert "no /StructTreeRoot" in message
    assert "/MarkInfo /Marked is not true" in message
    assert "/Lang is None" in message
    assert "pdfinfo Title is None" in message


def test_a_long_unbroken_string_wraps_in_text_and_in_a_table_cell(settings, tmp_path):
    """Each PDF's stylesheet (pdf/base.html) breaks a string with no space at the edge
    of its box; tables are laid out at fixed widths so that stays quick."""
    import re
    import subprocess
    import time

    from django.template import engines

    word = "Q" * 10_000
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Long</h1><p>Before {{ word }} after</p>'
        '<table><tr><th scope="row">Summary</th><td>{{ word }}</td></tr></table>{% endblock %}'
    )
    from weasyprint import HTML

    started = time.monotonic()
    pdf = HTML(string=template.render({"word": word, "pdf_title": "Long"})).write_pdf()
    assert time.monotonic() - started < 60  # seconds, not the minutes of an auto-sized table
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    words = re.findall(r'xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout)
    assert max(float(x_max) for x_max, _ in words) <= page_width - 18 / 25.4 * 72 + 1  # the right margin
    assert sum(len(text) for _, text in words if set(text) == {"Q"}) == 20_000  # nothing cut off
