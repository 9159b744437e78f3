"""Loading the module under test and the reference by name; resetting per-process log state.

The suite never imports shim or tensorflow itself: everything goes through here.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

DEFAULT = "shim"
REFERENCE = "tensorflow"


def name_from_env(option: str | None = None) -> str:
    return option or os.environ.get("CONFORMANCE_BACKEND") or DEFAULT


def load(name: str):
    """Imports the backend module. TF's C++ logging is quietened first, as users usually do, and
    its oneDNN kernels are left off unless asked for: TF turns them on by itself only on CPUs with
    AVX512-VNNI, AVX512-BF16 or AMX, where they round differently and name other ops in messages
    (`_MklMatMul`). The reference is TF's stock kernels, the same on every machine."""
    if name.split(".")[0] == REFERENCE:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    return importlib.import_module(name)


def load_reference():
    """Real TensorFlow, or None when it does not import."""
    try:
        return load(REFERENCE)
    except ImportError:
        return None


def describe(tf) -> str:
    version = getattr(tf, "__version__", None)
    return f"{tf.__name__} {version}" if version else tf.__name__


def reset_log_counts(tf) -> None:
    """Forgets the "log only the first n times" counters, so each case starts as a fresh process.

    Known implementations are reset wherever they are loaded, so a backend that wraps
    one (a module re-exporting the shim, say) is reset too. Keras 2 (TF <= 2.15) names
    variables after their layer's automatic name ('dense_3/kernel:0'), counted per process:
    those counters restart too, as in a fresh process ('dense/kernel:0').
    """
    keras2: Any = sys.modules.get("keras.src.backend")
    if hasattr(keras2, "PER_GRAPH_OBJECT_NAME_UIDS"):  # Keras 3 has no such module attribute
        keras2.reset_uids()
    shim_logging = sys.modules.get("shim._core.logging")
    if shim_logging is not None:
        shim_logging.reset_log_counts()
    tf_logging = sys.modules.get("tensorflow.python.platform.tf_logging")
    counter = getattr(tf_logging, "_log_counter_per_token", None)
    if isinstance(counter, dict):
        counter.clear()


def versions(tf) -> dict:
    import ml_dtypes
    import numpy

    return {
        "backend": tf.__name__,
        "tensorflow": getattr(tf, "__version__", "unknown"),
        "numpy": numpy.__version__,
        "ml_dtypes": ml_dtypes.__version__,  # its dtypes' printed forms follow it
        "python": ".".join(map(str, sys.version_info[:3])),
    }
