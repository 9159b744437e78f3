"""The "tensorflow" logger, set up as TF sets it up, and TF's log_first_n."""

from __future__ import annotations

import logging
import sys
import threading
import types

_lock = threading.Lock()
_logger = None
_counts: dict[tuple[str, int], int] = {}


def get_logger() -> logging.Logger:
    """`tf.get_logger()`: the logger named "tensorflow".

    Like TF, a stderr handler is added only when the root logger has none, so
    that an application's own logging configuration is not doubled.
    """
    global _logger
    if _logger is not None:
        return _logger
    with _lock:
        if _logger is None:
            logger = logging.getLogger("tensorflow")
            if not logging.getLogger().handlers:
                interactive = bool(getattr(sys, "ps1", None) or sys.flags.interactive)
                if interactive:
                    logger.setLevel(logging.INFO)
                handler = logging.StreamHandler(sys.stdout if interactive else sys.stderr)
                handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log_first_n(level: int, msg: str, n: int, *args) -> None:
    """Logs `msg % args` the first `n` times a call site is reached, as TF does.

    As in TF, the call site is the first frame outside the file that calls
    log_first_n: the user's line (calling `tape.gradient` on two lines logs twice).
    """
    caller: types.FrameType | None = sys._getframe(1)
    ours = sys._getframe(1).f_code.co_filename
    while caller is not None and caller.f_code.co_filename == ours:
        caller = caller.f_back
    site = (caller.f_code.co_filename, caller.f_lineno) if caller is not None else ("<unknown>", 0)
    count = _counts.get(site, 0)
    _counts[site] = count + 1
    if count < n:
        get_logger().log(level, msg, *args)


def reset_log_counts() -> None:
    """Forgets how often each call site has logged (for tests and the conformance suite)."""
    _counts.clear()
