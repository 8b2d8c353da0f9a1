"""Operations that migrations moving a model between apps share."""

from __future__ import annotations

from django.db import migrations


def move_content_types(*, models: list[str], source: str, target: str) -> migrations.RunPython:
    """Move the content types (and so the permissions and admin history) of ``models``
    from app ``source`` to app ``target``, and back when the migration is reversed."""

    def relabel(apps, schema_editor, old: str, new: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=old, model__in=models
        ).update(app_label=new)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, schema_editor, source, target),
        lambda apps, schema_editor: relabel(apps, schema_editor, target, source),
    )
