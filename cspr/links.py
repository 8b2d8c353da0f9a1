"""Where each kind of object lives: the page a reference links to, for an app that
may not know the object's app (the deadlines dashboard links each clock's case
reference to its subject's page without importing, or reading the table of, any
stage).

A stage registers, in its ``AppConfig.ready()``, each model that can be a clock's
subject, by its label, with the name of the URL of its page (which takes the
object's id)::

    links.register("cases.case", "cases:case-detail")

``url_for(app_label, model, pk)`` then builds the URL from what the asker already has
(a content type's natural key and an id): no query. An object whose app registered
nothing (a partnership's own clock) has no link.
"""

from __future__ import annotations

from django.urls import reverse

_URL_NAMES: dict[str, str] = {}


def register(model_label: str, url_name: str) -> None:
    """``model_label``: "app_label.modelname" (any case); ``url_name``: a URL taking
    the object's id as its one argument."""
    _URL_NAMES[model_label.lower()] = url_name


def url_for(app_label: str | None, model: str | None, pk: int | None) -> str | None:
    """The page of the object, or None when its app registered none."""
    url_name = _URL_NAMES.get(f"{app_label}.{model}".lower())
    if url_name is None or pk is None:
        return None
    return reverse(url_name, args=[pk])
