"""No personal data in logs: e-mail addresses, dates (of birth) and query strings
are masked by the filter on every handler."""

import logging

from django.conf import settings

from cspr.logging import PersonalDataFilter, mask


def test_email_addresses_and_dates_of_birth_are_masked():
    text = mask("Referral by jo.bloggs+x@northshire.example for child born 04/03/2015 or 2015-03-04")
    assert "jo.bloggs" not in text and "northshire.example" not in text
    assert "2015" not in text
    assert text.count("[email removed]") == 1 and text.count("[date removed]") == 2


def test_written_out_dates_are_masked():
    for date in ("4 March 2015", "4th March 2015", "March 4, 2015", "04 mar 2015"):
        assert "2015" not in mask(f"dob {date} here"), date


def test_query_strings_are_cut_from_request_lines():
    line = '"GET /cases/?child_name=Jamie+Smith&page=2 HTTP/1.1" 200 1234'
    masked = mask(line)
    assert "Jamie" not in masked
    assert "/cases/?[query removed]" in masked


def test_the_filter_masks_the_arguments_of_a_record_too():
    record = logging.LogRecord(
        "cspr",
        logging.INFO,
        __file__,
        1,
        "Sent reminder to %s about %s",
        ("a@b.org", "NCC-2026-1"),
        None,
    )
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == "Sent reminder to [email removed] about NCC-2026-1"


def test_the_filter_is_on_every_configured_handler_and_on_the_request_line_logger():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def test_a_log_line_written_through_the_configured_logging_is_masked(settings):
    import io
    import logging.config

    # As the process starts: other tests (a Celery worker, schemathesis) may have
    # touched the global logging state since.
    logging.config.dictConfig(settings.LOGGING)
    handlers = [
        h for h in logging.getLogger().handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    ]
    assert handlers, "the root logger's console handler has no PersonalDataFilter"
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        logging.getLogger("cspr.test").warning("Could not send to someone@example.org")
    finally:
        handlers[0].setStream(previous)
    assert "someone@example.org" not in stream.getvalue()
    assert "Could not send to [email removed]" in stream.getvalue()
