"""Comparing an observation with TensorFlow's, in a fixed order.

Structure first (kinds, lengths, keys), then shapes, then exact dtypes, then values
(a tolerance per dtype; ints, bools and strings exact; NaN equals NaN), then
exceptions (class, then message), then what was logged, warned and printed.
Each difference is one line: `where: got ..., TensorFlow gives ...`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from . import codec

# (rtol, atol): |got - want| <= atol + rtol * max(|got|, |want|)
TOLERANCE = {
    "float16": (2e-3, 1e-3),
    "bfloat16": (1.6e-2, 1e-2),
    "float32": (2e-5, 1e-6),
    "complex64": (2e-5, 1e-6),
    "float64": (1e-10, 1e-12),
    "complex128": (1e-10, 1e-12),
}
_ARRAYS = ("tensor", "variable", "ndarray")
_SLICES = ("values", "indices", "dense_shape")  # the parts of an IndexedSlices, compared in this order


def differences(got: dict, want: dict, case) -> list[str]:
    """Every way the observation `got` differs from TensorFlow's `want` (empty if none)."""
    found = _value("result", got["result"], want["result"], case)
    if got["logs"] != want["logs"]:
        found.append(f"logged {got['logs']}, TensorFlow logs {want['logs']}")
    if got.get("warnings", []) != want.get("warnings", []):
        found.append(f"warned {got.get('warnings', [])}, TensorFlow warns {want.get('warnings', [])}")
    got_out, want_out = got.get("stdout", ""), want.get("stdout", "")
    if not printed_alike(got_out, want_out, case):
        found.append(f"printed\n{_indent(got_out)}\n  TensorFlow prints\n{_indent(want_out)}")
    return found


def _indent(text: str) -> str:
    return "    " + text.rstrip("\n").replace("\n", "\n    ")


def _kind(value) -> str:
    if isinstance(value, dict):
        return value.get("$", "?")
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _show(value) -> str:
    if isinstance(value, dict) and value.get("$") == "raised":
        return f"{value['type']}: {value['message']}"
    if isinstance(value, dict) and value.get("$") in _ARRAYS:
        return f"{value['$']} {value['dtype']}{tuple(value['shape'])} {_short(value['values'])}"
    return _short(value)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _value(where: str, got, want, case) -> list[str]:
    kind, want_kind = _kind(got), _kind(want)
    if kind != want_kind:
        return [f"{where}: got {_show(got)}, TensorFlow gives {_show(want)}"]
    if kind == "list" or kind == "tuple":
        got_items = got if kind == "list" else got["items"]
        want_items = want if kind == "list" else want["items"]
        if len(got_items) != len(want_items):
            return [f"{where}: {kind} of {len(got_items)} items, TensorFlow gives {len(want_items)}"]
        return [d for i, (g, w) in enumerate(zip(got_items, want_items)) for d in _value(f"{where}[{i}]", g, w, case)]
    if kind == "dict":
        got_keys, want_keys = [k for k, _ in got["items"]], [k for k, _ in want["items"]]
        if got_keys != want_keys:
            return [f"{where}: dict keys {got_keys}, TensorFlow gives {want_keys}"]
        pairs = zip(got["items"], want["items"])
        return [d for (k, g), (_, w) in pairs for d in _value(f"{where}[{k!r}]", g, w, case)]
    if kind in _ARRAYS:
        return _arrays(where, got, want, case)
    if kind == "indexed_slices":
        return [d for key in _SLICES for d in _value(f"{where}.{key}", got[key], want[key], case)]
    if kind == "raised":
        if got["type"] != want["type"]:
            return [f"{where}: raised {_show(got)}\n  TensorFlow raises {_show(want)}"]
        if got["message"] != want["message"] and not getattr(case, "class_only", False):
            return [f"{where}: {got['type']} message\n    {got['message']!r}\n  TensorFlow's\n    {want['message']!r}"]
        return []
    if kind == "float" or isinstance(got, float):
        g, w = codec.decode(got), codec.decode(want)
        if not _close(np.float64(g), np.float64(w), "float64", case):
            return [f"{where}: got {g!r}, TensorFlow gives {w!r}"]
        return []
    if got != want:
        return [f"{where}: got {_show(got)}, TensorFlow gives {_show(want)}"]
    return []


def _arrays(where: str, got: dict, want: dict, case) -> list[str]:
    if got["shape"] != want["shape"]:
        return [f"{where}.shape={tuple(got['shape'])}, TensorFlow gives {tuple(want['shape'])}"]
    if got["dtype"] != want["dtype"]:
        return [f"{where}.dtype={got['dtype']}, TensorFlow gives {want['dtype']}"]
    for key in ("name", "trainable"):
        if got.get(key) != want.get(key):
            return [f"{where}.{key}={got.get(key)!r}, TensorFlow gives {want.get(key)!r}"]
    if got["values"] is None or want["values"] is None:  # random draws: dtype and shape only
        return []
    g = codec.array_from(got["dtype"], got["shape"], got["values"])
    w = codec.array_from(want["dtype"], want["shape"], want["values"])
    if not _close(g, w, got["dtype"], case):
        return [f"{where}: values {_short(got['values'])}, TensorFlow gives {_short(want['values'])}"]
    return []


def _close(got: np.ndarray, want: np.ndarray, dtype: str, case) -> bool:
    if dtype not in TOLERANCE:
        return bool(np.array_equal(got, want))
    rtol, atol = getattr(case, "tolerance", None) or TOLERANCE[dtype]
    got = np.asarray(got).astype(np.complex128 if dtype.startswith("complex") else np.float64)
    want = np.asarray(want).astype(got.dtype)
    both_nan = np.isnan(got) & np.isnan(want)
    with np.errstate(invalid="ignore", over="ignore"):
        same = got == want  # infinities of one sign
        near = np.abs(got - want) <= atol + rtol * np.maximum(np.abs(got), np.abs(want))
    return bool(np.all(both_nan | same | near))


_NUMBER = re.compile(r"-?(?:\d+\.?\d*(?:e[+-]?\d+)?|inf|nan)")


def printed_alike(got: str, want: str, case) -> bool:
    """Printed text: exact, except for cases marked `random` (the layout only: numbers
    become '#', spaces drop) or `approx` (the layout, and the numbers to float32 tolerance)."""
    if not (case.random or case.approx):
        return got == want
    if _layout(got) != _layout(want):
        return False
    if case.random:
        return True
    pairs = zip(_NUMBER.findall(got), _NUMBER.findall(want))
    return all(math.isclose(float(a), float(b), rel_tol=1e-5, abs_tol=1e-12) or a == b for a, b in pairs)


def _layout(text: str) -> str:
    return re.sub(r"\s+", "", _NUMBER.sub("#", text))
