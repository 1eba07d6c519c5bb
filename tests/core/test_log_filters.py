"""A refused request logs one line, not a traceback; a server error keeps its traceback."""

import logging

from credo.core.log_filters import ClientErrorsWithoutTraceback


def record(status):
    try:
        raise PermissionError("nope")
    except PermissionError:
        import sys

        info = sys.exc_info()
    rec = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/risk/",), info)
    rec.status_code = status
    return rec


def test_client_errors_lose_the_traceback_server_errors_keep_it():
    short, formatter = ClientErrorsWithoutTraceback(), logging.Formatter()
    forbidden = record(403)
    assert short.filter(forbidden) and formatter.format(forbidden) == "Forbidden: /risk/"
    failed = record(500)
    assert short.filter(failed) and "Traceback" in formatter.format(failed)
    plain = logging.LogRecord("credo", logging.WARNING, __file__, 1, "x", (), None)
    assert short.filter(plain)


def test_the_console_handler_has_the_filter(settings):
    assert "client_errors_short" in settings.LOGGING["handlers"]["console"]["filters"]
