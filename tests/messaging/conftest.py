"""The deadlines tests' partnership team serves the messaging tests too."""

from tests.deadlines.conftest import team  # noqa: F401
