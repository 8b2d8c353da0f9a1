"""Rendering PDFs with WeasyPrint: A4, page numbers, tagged (PDF/UA-1), with a
title and language, from a template in ``templates/pdf/``."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, *, title: str) -> bytes:
    """Render ``template_name`` to PDF bytes. The template extends ``pdf/base.html``."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "pdf_title": title})
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"))
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
