"""Checks that a PDF the service produces is accessible: tagged (PDF/UA-1), with a
title that viewers show and a language. ``cspr.pdf.render_pdf`` makes such PDFs;
every test of a PDF download calls::

    from tests.pdfcheck import assert_tagged_pdf

    assert_tagged_pdf(response.content, title="Rapid review NCC-2026-001")

It reads the catalog with pypdf and the document information with poppler's
``pdfinfo`` (a second, independent reader)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


def structure_types(pdf_bytes: bytes) -> set[str]:
    """The structure element types (``/Document``, ``/H1``, ``/P``, ``/Table``...)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    catalog = PdfReader(io.BytesIO(pdf_bytes)).trailer["/Root"]
    found: set[str] = set()
    seen: set[int] = set()
    stack = [catalog["/StructTreeRoot"].get("/K")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if hasattr(node, "idnum"):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") == "/StructElem":
            if "/S" in node:
                found.add(str(node["/S"]))
            stack.append(node.get("/K"))
    return found


def pdfinfo(pdf_bytes: bytes) -> dict[str, str]:
    """poppler's ``pdfinfo`` output as a dict ("Title", "Tagged", "Pages"...)."""
    if shutil.which("pdfinfo") is None:
        raise AssertionError("pdfinfo is missing: `make test` installs poppler-utils")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf_bytes)
        handle.flush()
        output = subprocess.run(  # noqa: S603 (fixed command, our own temporary file)
            ["pdfinfo", "-enc", "UTF-8", handle.name],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    info = {}
    for line in output.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def assert_tagged_pdf(pdf_bytes: bytes, *, title: str, lang: str = "en-GB") -> None:
    """Fail, listing every problem, unless the PDF is tagged (StructTreeRoot,
    MarkInfo /Marked true, every page's content in the structure tree, at least one
    heading), declares PDF/UA-1, shows ``title`` as its title, and has ``lang``."""
    from pypdf import PdfReader

    assert pdf_bytes.startswith(b"%PDF-"), "not a PDF"
    reader = PdfReader(io.BytesIO(pdf_bytes))
    catalog = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in catalog:
        problems.append("no /StructTreeRoot in the catalog: the PDF is not tagged")
    mark_info = catalog.get("/MarkInfo")
    if not mark_info or not bool(mark_info.get_object().get("/Marked", False)):
        problems.append(f"/MarkInfo /Marked is not true (got {mark_info!r})")
    if catalog.get("/Lang") != lang:
        problems.append(f"/Lang is {catalog.get('/Lang')!r}, expected {lang!r}")
    preferences = catalog.get("/ViewerPreferences")
    if not preferences or not bool(preferences.get_object().get("/DisplayDocTitle", False)):
        problems.append("/ViewerPreferences /DisplayDocTitle is not true (viewers show the file name)")
    untagged = [n for n, page in enumerate(reader.pages, 1) if "/StructParents" not in page]
    if untagged:
        problems.append(f"pages without /StructParents (content not tagged): {untagged}")
    if "/StructTreeRoot" in catalog and not structure_types(pdf_bytes) & HEADINGS:
        problems.append("the structure tree has no heading")
    xmp = reader.xmp_metadata
    raw_xmp = catalog["/Metadata"].get_object().get_data().decode() if "/Metadata" in catalog else ""
    if 'pdfuaid:part="1"' not in raw_xmp and "<pdfuaid:part>1<" not in raw_xmp:
        problems.append("the XMP metadata does not declare PDF/UA-1 (pdfuaid:part)")
    if xmp is None or (xmp.dc_title or {}).get("x-default") != title:
        problems.append(f"the XMP dc:title is not {title!r}")
    info = pdfinfo(pdf_bytes)
    if info.get("Title") != title:
        problems.append(f"pdfinfo Title is {info.get('Title')!r}, expected {title!r}")
    if info.get("Tagged") != "yes":
        problems.append(f"pdfinfo says Tagged: {info.get('Tagged')!r}")
    assert not problems, "The PDF is not accessible:\n- " + "\n- ".join(problems)
