"""Running a case and capturing what it shows: printed text and "tensorflow" log records."""

from __future__ import annotations

import contextlib
import io
import logging
import re

from . import backend


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[list] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.levelname, record.getMessage()])


def printed(case, tf) -> dict:
    """Runs `case(tf)`; returns {"stdout": text, "logs": [[level, message], ...]}."""
    backend.reset_log_counts(tf)
    logger = tf.get_logger()  # first, so the handler it may add is swapped out below too
    handler = _Records()
    saved_propagate = logger.propagate
    saved_handlers = logger.handlers[:]
    logger.handlers = [handler]
    logger.propagate = False
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            case(tf)
    finally:
        logger.handlers = saved_handlers
        logger.propagate = saved_propagate
    return {"stdout": out.getvalue(), "logs": handler.records}


_NUMBER = re.compile(r"-?\d+\.?\d*(?:e[+-]?\d+)?")


def layout(text: str) -> str:
    """The text with numbers replaced by '#' and whitespace dropped (it pads and wraps numbers)."""
    return re.sub(r"\s+", "", _NUMBER.sub("#", text))


def numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]
