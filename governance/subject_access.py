"""The subject access pack about the child of one case: everything held about them,
for the data protection officer to review and redact before anything is released.

It holds the referral (with the child's identity), the case and every record that
hangs from it at any stage (found by following the relations, so a new stage's
records are included without a change here), the uploaded documents, and the audit
of who saw or changed the case and referral. Third-party data is everywhere in
these records: the README in the pack says so, and says that the deceased are
outside UK GDPR when the case records a death.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from guardian.models.models import UserObjectPermissionBase

from cases.models import Case
from cspr.models import AuditEvent

#: How far from the case the pack follows relations (case -> review -> drafts).
DEPTH = 2

README = """Subject access pack: {reference}
Built on {built} for the data protection officer of {partnership}.

THIS PACK IS NOT FOR RELEASE AS IT STANDS. Review it and redact third-party
information (other children, family members, professionals, agencies' own
material) and anything exempt under the Data Protection Act 2018, Schedules 2
to 4, before anything is released to the requester.

{deceased}Contents:
- referral.json   the practitioner's referral, with the child's identity
- records.json    the case and every record held about it at each stage
- documents/      uploaded documents (draft and final reports)
- audit.csv       who saw, changed, exported or downloaded the case and referral
"""

DECEASED = """The case records that a child of it died. UK GDPR and the Data Protection Act
2018 apply to living people only: the deceased are outside UK GDPR. A request
about a child who has died is not a subject access request; consider it under
the Freedom of Information Act 2000, the Access to Health Records Act 1990 or
the partnership's own policy, and take advice. Where the case names other
children who are living, their data in this pack remains within UK GDPR.

"""


def _related_rows(obj: models.Model, depth: int, seen: set) -> list[models.Model]:
    """``obj`` and the rows that point at it, ``depth`` relations deep."""
    key = (obj._meta.label, obj.pk)
    if key in seen:
        return []
    seen.add(key)
    rows = [obj]
    if depth == 0:
        return rows
    for relation in obj._meta.related_objects:
        model = relation.related_model
        if issubclass(model, (UserObjectPermissionBase, AuditEvent)):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if model._meta.app_label not in settings.PROJECT_APPS:
            continue
        children = model._default_manager.filter(**{relation.field.name: obj})
        for child in children.order_by("pk"):
            rows.extend(_related_rows(child, depth - 1, seen))
    return rows


def _documents(rows) -> list[tuple[str, str]]:
    """(path in the pack, stored name) of every uploaded file among ``rows``."""
    found = []
    for row in rows:
        for field in row._meta.fields:
            if isinstance(field, models.FileField):
                name = getattr(row, field.name).name
                if name:
                    label = f"{row._meta.model_name}-{row.pk}-{name.rsplit('/', 1)[-1]}"
                    found.append((f"documents/{label}", name))
    return found


def _audit_csv(subjects) -> str:
    query = models.Q(pk__in=[])
    for obj in subjects:
        query |= models.Q(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["When", "Who", "Action", "Record"])
    for event in AuditEvent.objects.filter(query).select_related("actor").order_by("at", "id"):
        who = event.actor.get_full_name() or event.actor.username if event.actor else "The service"
        writer.writerow([event.at.isoformat(), who, event.get_action_display(), event.subject_label])
    return out.getvalue()


def build_pack(case: Case) -> tuple[str, bytes, dict]:
    """(file name, ZIP bytes, contents summary) of the pack about ``case``'s child."""
    rows = _related_rows(case, DEPTH, set())
    referral = case.referral
    documents = _documents(rows)
    deceased = case.any_child_died
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                reference=case.reference,
                partnership=case.partnership.name,
                built=timezone.localtime().strftime("%d %B %Y at %H:%M"),
                deceased=DECEASED if deceased else "",
            ),
        )
        if referral is not None:
            archive.writestr(
                "referral.json",
                serializers.serialize("json", [referral, *referral.children.all()], indent=2),
            )
        archive.writestr("records.json", serializers.serialize("json", rows, indent=2))
        for path, name in documents:
            try:
                with default_storage.open(name, "rb") as handle:
                    archive.writestr(path, handle.read())
            except FileNotFoundError:
                archive.writestr(path + ".missing.txt", "The stored file was not found.")
        archive.writestr("audit.csv", _audit_csv([case, *([referral] if referral else [])]))
    contents = {"records": len(rows), "documents": len(documents), "deceased": deceased}
    return f"subject-access-{case.reference}.zip", buffer.getvalue(), contents
