"""`tf.config`: only the switch that makes tf.functions call their Python bodies directly."""

import sys
from logging import WARN

from ._core.function import functions_run_eagerly, run_functions_eagerly
from ._core.logging import get_logger

__all__ = [
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "functions_run_eagerly",
    "run_functions_eagerly",
]

_warned: set = set()


def experimental_run_functions_eagerly(run_eagerly):
    """Deprecated spelling of `run_functions_eagerly` (TF says so, once per process)."""
    _warn_deprecated_once(
        "experimental_run_functions_eagerly",
        "Use `tf.config.run_functions_eagerly` instead of the experimental version.",
    )
    return run_functions_eagerly(run_eagerly)


def experimental_functions_run_eagerly():
    """Deprecated spelling of `functions_run_eagerly` (TF says so, once per process)."""
    _warn_deprecated_once(
        "experimental_functions_run_eagerly",
        "Use tf.config.functions_run_eagerly instead of the experimental version.",
    )
    return functions_run_eagerly()


def _warn_deprecated_once(name: str, instructions: str) -> None:
    """TF's @deprecated warning (warn_once), naming the caller's line."""
    if name in _warned:
        return
    _warned.add(name)
    caller = sys._getframe(2)
    get_logger().log(
        WARN,
        "From %s:%d: %s (from tensorflow.python.eager.polymorphic_function.eager_function_run) is deprecated "
        "and will be removed in a future version.\nInstructions for updating:\n%s",
        caller.f_code.co_filename,
        caller.f_lineno,
        name,
        instructions,
    )
