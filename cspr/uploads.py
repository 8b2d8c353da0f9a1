"""Uploaded documents (draft reports, final reports): checked, stored and served safely.

- Checked by CONTENT, not only by name: a PDF starts with ``%PDF-``; a DOCX is a
  ZIP holding ``word/document.xml`` and ``[Content_Types].xml``; an ODT is a ZIP
  whose first entry is ``mimetype`` reading ``application/vnd.oasis.opendocument.text``.
  The name's extension must agree with the content, and the file must be no
  larger than ``settings.MAX_UPLOAD_BYTES``. The standard library's ``zipfile``
  does the ZIP checks (no extra dependency: three formats, three short checks).
- Stored under ``settings.MEDIA_ROOT`` (outside the web root; ``MEDIA_URL`` is
  None) with a random name: the uploader's file name never reaches the path.
- Served only through permission-checked views with :func:`document_response`
  (attachment, ``nosniff``), each download audited.

Kernel module: imports nothing from the pipeline apps.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

from . import audit

#: extension -> (content type, plain-English name)
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (DOCX)",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ALLOWED_TEXT = "a PDF, a Word document (DOCX) or an OpenDocument text file (ODT)"


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB"


def sniff_kind(uploaded) -> str | None:
    """The kind ("pdf", "docx", "odt") the CONTENT of ``uploaded`` is, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if infos and infos[0].filename == "mimetype" and infos[0].file_size <= 100:
                if archive.read(infos[0]).strip() == ODT_MIMETYPE:
                    return "odt"
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    finally:
        uploaded.seek(0)
    return None


def check_document(uploaded) -> str:
    """Validate an uploaded document; return its kind ("pdf", "docx" or "odt").

    Raises ``ValidationError`` with a plain-English message otherwise.
    """
    if uploaded is None:
        raise ValidationError("Choose a file to upload.")
    limit = settings.MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(f"The file must be smaller than {_human_size(limit)}.")
    if uploaded.size == 0:
        raise ValidationError("The file is empty.")
    extension = PurePath(uploaded.name or "").suffix.lower().lstrip(".")
    if extension not in DOCUMENT_KINDS:
        raise ValidationError(f"The file must be {ALLOWED_TEXT}.")
    kind = sniff_kind(uploaded)
    if kind is None:
        raise ValidationError(f"The file is not {ALLOWED_TEXT}: its content does not match its name.")
    if kind != extension:
        raise ValidationError(
            f"The file's name ends .{extension} but its content is a "
            f"{DOCUMENT_KINDS[kind][1]}: rename it or upload the right file."
        )
    return kind


class DocumentField(forms.FileField):
    """A form field accepting only PDF, DOCX and ODT, checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"Upload {ALLOWED_TEXT}, smaller than {_human_size(settings.MAX_UPLOAD_BYTES)}.",
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.docx,.odt")

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded and uploaded is not initial:
            uploaded.cspr_kind = check_document(uploaded)
        return uploaded


def prepare_for_storage(uploaded) -> str:
    """Check ``uploaded`` again and give it a neutral name (so the uploader's file
    name is never stored); return its kind. Services call this before saving."""
    kind = getattr(uploaded, "cspr_kind", None) or check_document(uploaded)
    uploaded.name = f"document.{kind}"
    return kind


def document_upload_to(instance, filename: str) -> str:
    """``upload_to`` for document fields: ``<folder>/<year>/<random>.<ext>``.

    The folder is the model's ``UPLOAD_FOLDER``; the extension is the checked kind.
    """
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in DOCUMENT_KINDS:
        raise ValidationError(f"The file must be {ALLOWED_TEXT}.")
    folder = getattr(instance, "UPLOAD_FOLDER", "documents")
    return f"{folder}/{dt.date.today():%Y}/{uuid.uuid4().hex}.{extension}"


def content_type_for(name: str) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    return DOCUMENT_KINDS.get(extension, ("application/octet-stream", ""))[0]


def document_response(fieldfile, *, download_name: str) -> FileResponse:
    """Serve a stored document as an attachment, never rendered inline."""
    extension = PurePath(fieldfile.name).suffix.lower()
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=f"{download_name}{extension}",
        content_type=content_type_for(fieldfile.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_document(
    *, actor, fieldfile, download_name: str, subject, partnership=None, label: str = ""
) -> FileResponse:
    """Audit a download of ``fieldfile`` (a document of ``subject``) and serve it.

    The caller has already checked that ``actor`` may download it.
    """
    if not fieldfile:
        from django.http import Http404

        raise Http404("No such document.")
    response = document_response(fieldfile, download_name=download_name)
    audit.record(
        actor=actor,
        action=audit.Action.DOWNLOAD,
        subject=subject,
        partnership=partnership,
        label=label,
        detail={"document": download_name},
    )
    return response


STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(DOCUMENT_KINDS) + ")")


def remove_orphan_uploads(*, older_than: dt.timedelta = dt.timedelta(days=1), now=None) -> int:
    """Delete stored documents that no row refers to, once older than ``older_than``.

    A document is written to storage before the row that names it is saved; when that
    transaction rolls back (a validation error after the save, a crash), the file stays
    on disk with nothing pointing at it. This scan, run daily by Celery beat under an
    advisory lock, removes such files. The grace period spares uploads whose
    transaction is still running. Every ``FileField`` of every installed model counts
    as a reference (the kernel looks the fields up; it imports no app). Returns how
    many files were removed; logs only that number (names are random, but a count is
    all anyone needs).
    """
    import logging
    import time
    from pathlib import Path

    from django.apps import apps
    from django.db import models, transaction

    from .locks import ORPHAN_UPLOADS, try_advisory_xact_lock

    if not settings.MEDIA_ROOT:
        return 0
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return 0
    cutoff = (now or time.time()) - older_than.total_seconds()
    removed = 0
    with transaction.atomic():
        if not try_advisory_xact_lock(ORPHAN_UPLOADS):
            return 0
        referenced: set[str] = set()
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    referenced.update(
                        model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                    )
        for path in root.rglob("*"):
            # Only names document_upload_to gives (<32 hex>.<kind>): nothing else is touched.
            if not STORED_NAME.fullmatch(path.name) or not path.is_file():
                continue
            if path.stat().st_mtime > cutoff:
                continue
            if path.relative_to(root).as_posix() not in referenced:
                path.unlink(missing_ok=True)
                removed += 1
    logging.getLogger(__name__).info("Removed %d orphan uploaded file(s).", removed)
    return removed
