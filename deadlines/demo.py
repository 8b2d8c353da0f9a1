"""Demo data of the deadlines app: once every stage has seeded its cases, run
today's sweep, so the dashboard, the messages page and the banner show real
reminders and escalations."""

from __future__ import annotations

from .services import sweep_deadlines


def seed(context: dict) -> None:
    """Nothing of its own: the clocks are the stages' (see ``finish``)."""


def finish(context: dict) -> None:
    sweep_deadlines()
