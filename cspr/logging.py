"""A logging filter that keeps personal data out of the logs.

Whatever a record says, e-mail addresses, dates (a date of birth looks like any
other date) and URL query strings are masked before a handler writes it. Request
bodies are never logged anywhere in the project.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATES = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),  # 2015-03-04 (ISO)
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),  # 04/03/2015, 4.3.15
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.IGNORECASE),
]
# A path followed by a query string: "/cases/?name=..." -> "/cases/?[query removed]".
QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def mask(text: str) -> str:
    text = EMAIL.sub("[email removed]", text)
    for pattern in DATES:
        text = pattern.sub("[date removed]", text)
    return QUERY.sub(r"\1?[query removed]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message with personal data masked (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: log it as it is, masked
            message = str(record.msg)
        masked = mask(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
