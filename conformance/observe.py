"""Running a case on a backend and turning what happened into canonical data.

An observation is a dict:
    result    what the case returned, canonical (below), or {"$": "raised", "type", "message"}
    logs      [[level, message], ...] logged on the "tensorflow" logger
    warnings  [[category, message], ...] Python UserWarnings (Keras warns this way), if any
    stdout    what it printed, if anything

Canonical values: tensors, variables and numpy arrays are tagged with their dtype name,
shape and flat values (`values` is None for random draws); tuples and dicts are
tagged; TensorShapes and DTypes too; an IndexedSlices is its values, indices and
dense_shape, each canonical. Text (returned strings, what was printed) names an ml_dtypes
dtype in an array's repr one way (`dtype=bfloat16`). The backend is only ever reached
through `tf`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings

import numpy as np

from . import backend, codec

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# numpy before 2.5 with ml_dtypes 0.7 writes an ml_dtypes array's repr as `array([1.5],
# dtype=dtype(bfloat16))`, other pairs as `dtype=bfloat16`. TF prints numpy's repr, so the
# spelling follows the installed numpy and ml_dtypes, not TF: observed text takes one form.
_EXTENSION_DTYPE_REPR = re.compile(r"dtype=dtype\((\w+)\)")
# TF's tf.function retracing notice (its jacobian runs pfor as a tf.function): it counts calls
# across the whole process, so it says how many cases ran before, nothing about this one.
_RETRACING = "triggered tf.function retracing"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[list] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _RETRACING not in message:
            self.records.append([record.levelname, message])


def message_of(exc: BaseException) -> str:
    """The exception's text with object addresses blanked (they differ run to run)."""
    text = str(exc.args[0]) if isinstance(exc, KeyError) and len(exc.args) == 1 else str(exc)
    return _ADDRESS.sub("0x?", text)


def numpy_text(text: str) -> str:
    """Printed text with numpy's spelling of ml_dtypes dtypes made one (see _EXTENSION_DTYPE_REPR)."""
    return _EXTENSION_DTYPE_REPR.sub(r"dtype=\1", text)


def raised(exc: BaseException) -> dict:
    return {"$": "raised", "type": type(exc).__name__, "message": message_of(exc)}


def run(case, tf, inputs) -> dict:
    """Runs `case` on the backend `tf` with `inputs` (a dict of keyword arguments)."""
    backend.reset_log_counts(tf)
    tf.random.set_seed(0)  # random draws repeat run to run (they are compared by dtype and shape only)
    logger = tf.get_logger()  # first: getting it may install a handler, swapped out below too
    handler = _Records()
    saved = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [handler], False
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                result = canonical(case.fn(tf, **inputs), tf, values=not case.random)
            except Exception as exc:  # the exception is the observation
                result = raised(exc)
    finally:
        logger.handlers, logger.propagate = saved
    observation = {"result": result, "logs": handler.records}
    user_warnings = [[w.category.__name__, str(w.message)] for w in caught if issubclass(w.category, UserWarning)]
    if user_warnings:
        observation["warnings"] = user_warnings
    if out.getvalue():
        observation["stdout"] = numpy_text(out.getvalue())
    return observation


def _array(tag: str, array: np.ndarray, values: bool) -> dict:
    return {
        "$": tag,
        "dtype": codec.dtype_name(array.dtype),
        "shape": list(array.shape),
        "values": codec.array_values(array) if values else None,
    }


def canonical(value, tf, values: bool = True):
    """`value` as canonical data. Unknown objects become their type name."""
    if isinstance(value, (np.ndarray, np.generic)):  # first: np.float64 is also a Python float
        return _array("ndarray", np.asarray(value), values)
    if isinstance(value, str):
        return numpy_text(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, (float, complex, bytes)):
        return codec.encode(value)
    if isinstance(value, (list, tuple, dict)):
        items = value.items() if isinstance(value, dict) else value
        if isinstance(value, dict):
            return {"$": "dict", "items": [[canonical(k, tf), canonical(v, tf, values)] for k, v in items]}
        converted = [canonical(v, tf, values) for v in items]
        return converted if isinstance(value, list) else {"$": "tuple", "items": converted}
    if isinstance(value, tf.Variable):
        data = _array("variable", np.asarray(value.numpy()), values)
        return {**data, "dtype": value.dtype.name, "name": value.name, "trainable": value.trainable}
    if isinstance(value, getattr(tf, "IndexedSlices", ())):  # before is_tensor, which it also is
        parts = {key: canonical(getattr(value, key), tf, values) for key in ("values", "indices", "dense_shape")}
        return {"$": "indexed_slices", **parts}
    if tf.is_tensor(value):
        return {**_array("tensor", np.asarray(value.numpy()), values), "dtype": value.dtype.name}
    if isinstance(value, tf.TensorShape):
        return {"$": "shape", "dims": value.as_list() if value.rank is not None else None}
    if isinstance(value, tf.DType):
        return {"$": "dtype", "name": value.name}
    return {"$": "object", "type": type(value).__name__}
