"""Loading the module under test by name; resetting its per-process logging state.

The suite never imports shim or tensorflow itself: everything goes through here.
"""

from __future__ import annotations

import importlib
import os
import sys

DEFAULT = "shim"


def name_from_env(option: str | None = None) -> str:
    return option or os.environ.get("CONFORMANCE_BACKEND") or DEFAULT


def load(name: str):
    """Imports the backend module; TF's C++ logging is quietened first, as users usually do."""
    if name.split(".")[0] == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return importlib.import_module(name)


def reset_log_counts(tf) -> None:
    """Forgets the "log only the first n times" counters, so each case starts as a fresh process."""
    shim_reset = getattr(sys.modules.get(f"{tf.__name__}._core.logging"), "reset_log_counts", None)
    if shim_reset is not None:
        shim_reset()
        return
    tf_logging = sys.modules.get("tensorflow.python.platform.tf_logging")
    counter = getattr(tf_logging, "_log_counter_per_token", None)
    if isinstance(counter, dict):
        counter.clear()


def versions(tf) -> dict:
    import numpy

    return {
        "backend": tf.__name__,
        "tensorflow": getattr(tf, "__version__", "unknown"),
        "numpy": numpy.__version__,
        "python": ".".join(map(str, sys.version_info[:3])),
    }
