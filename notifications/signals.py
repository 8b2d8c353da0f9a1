"""Signals of the notifications app, for the later stages of the pipeline.

The import rule (docs/architecture.md) keeps this app from knowing the stages after it;
a later stage that keeps state anchored on a notification's dates listens here.
"""

from django.dispatch import Signal

#: Sent inside the transaction of ``services.correct_notification``, after the
#: notification and its own clocks are corrected. Arguments: ``notification``,
#: ``changes`` ({field: (old, new)}), ``actor`` and ``reason``. A receiver corrects
#: what it keeps anchored on those dates and returns the ``cspr.services.ClockChange``
#: of every clock it moved (or an empty list). An exception rolls everything back.
notification_corrected = Signal()
