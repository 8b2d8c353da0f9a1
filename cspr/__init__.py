"""The CSPR case manager: project package and shared kernel app.

Celery's app is imported here so that ``shared_task`` binds to it.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
