"""Logging filters. A refused request (403, 404 …) is the user's business, not a fault of the server: Django logs
it at WARNING with the exception's traceback, which buried the real errors of the log (122 tracebacks in one
walk through the pages as a salesperson). This filter keeps the one line — status, path — and drops the
traceback of 4xx answers; 5xx keep theirs."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= int(status) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
