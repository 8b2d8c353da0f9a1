"""Panels a later app adds to an earlier app's page, without the earlier app
knowing it exists (the import rule: publication -> reviews -> rapid_review ->
notifications/cases -> cspr, never backwards).

A later app registers, in its ``AppConfig.ready()``, a function that builds the
context of its panel for one object of a slot ("case", "rapid_review"), and the
template that renders it. The earlier app's view asks ``panels_for(slot, ...)``
and its template includes each panel in pipeline order. An app that is not
installed registers nothing, so nothing shows.

The function returns None when the user may not see anything of it (it uses the
app's own selectors and capabilities); it must run a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable  # (request, obj) -> dict | None


_PANELS: dict[str, list[Panel]] = {}


def register(slot: str, *, order: int, template: str, context: Callable) -> None:
    panels = _PANELS.setdefault(slot, [])
    if any(p.template == template for p in panels):
        return  # ready() can run twice in tests
    panels.append(Panel(order=order, template=template, context=context))
    panels.sort(key=lambda p: p.order)


def panels_for(slot: str, request, obj) -> list[dict]:
    """[{"template": ..., "panel": context}, ...] for the panels the user may see."""
    rendered = []
    for panel in _PANELS.get(slot, []):
        context = panel.context(request, obj)
        if context is not None:
            rendered.append({"template": panel.template, "panel": context})
    return rendered
