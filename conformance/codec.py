"""Inputs and observations as plain JSON data, exact both ways.

Arrays are tagged `{"$": "ndarray", "dtype", "shape", "values"}` with `values` a flat list.
Floats are written with Python's shortest round-tripping repr, and every float16,
bfloat16 and float32 is exactly a float64, so values come back bit for bit.
Non-finite floats are the strings "nan", "inf" and "-inf" (JSON has no such numbers).
Only these tags are read back: nothing is ever evaluated or unpickled.
"""

from __future__ import annotations

import math
from typing import Any, Union

import numpy as np

# What json.load gives back: the only thing decode() accepts.
Json = Union[None, bool, int, float, str, list["Json"], dict[str, "Json"]]

_SPECIAL = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class FormatError(ValueError):
    """Data that is not what `encode` writes."""


def _float_out(x: float) -> float | str:
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _float_in(x: object) -> float:
    if isinstance(x, str):
        if x not in _SPECIAL:
            raise FormatError(f"not a float: {x!r}")
        return _SPECIAL[x]
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise FormatError(f"not a float: {x!r}")
    return float(x)


def numpy_dtype(name: str) -> np.dtype:
    """numpy's dtype for a dtype name; bfloat16 comes from ml_dtypes."""
    if name == "bfloat16":
        import ml_dtypes  # noqa: F401 (registers the name with numpy)

        return np.dtype("bfloat16")
    if name == "string":
        return np.dtype(object)
    try:
        dtype: np.dtype = np.dtype(name)
        return dtype
    except TypeError:
        raise FormatError(f"unknown dtype {name!r}") from None


def dtype_name(dtype: np.dtype) -> str:
    return "string" if dtype.kind in "OSU" else str(dtype)


def array_values(array: np.ndarray) -> list[Json]:
    """A flat list of JSON numbers/strings for `array`."""
    flat = np.asarray(array).reshape(-1)
    kind = flat.dtype.kind
    if kind == "b":
        return [bool(v) for v in flat]
    if kind in "iu":
        return [int(v) for v in flat]
    if kind == "c":
        return [[_float_out(float(v.real)), _float_out(float(v.imag))] for v in flat]
    if kind == "f" or flat.dtype.name == "bfloat16":
        return [_float_out(float(v)) for v in flat]
    return [v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else str(v) for v in flat]


def array_from(dtype: str, shape: object, values: object) -> np.ndarray:
    np_dtype = numpy_dtype(dtype)
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise FormatError(f"bad shape {shape!r}")
    if not isinstance(values, list) or len(values) != math.prod(shape):
        raise FormatError(f"{dtype} array of shape {shape} needs {math.prod(shape)} values")
    flat: list[Any]
    if np_dtype.kind == "c":
        flat = [complex(_float_in(re), _float_in(im)) for re, im in values]
    elif np_dtype.kind == "f" or dtype == "bfloat16":
        flat = [_float_in(v) for v in values]
    elif np_dtype.kind == "O":
        flat = [str(v).encode() for v in values]
    else:
        flat = values
    return np.array(flat, dtype=np_dtype).reshape(shape)


def encode(value: object) -> Json:
    """Inputs (numpy arrays and scalars, Python scalars, str, bytes, None, lists, tuples, dicts) as JSON data."""
    if isinstance(value, (np.ndarray, np.generic)):  # first: np.float64 is also a Python float
        array = np.asarray(value)
        tag = "ndarray" if isinstance(value, np.ndarray) else "scalar"
        return {"$": tag, "dtype": dtype_name(array.dtype), "shape": list(array.shape), "values": array_values(array)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$": "float", "value": _float_out(value)}
    if isinstance(value, complex):
        return {"$": "complex", "value": [_float_out(value.real), _float_out(value.imag)]}
    if isinstance(value, bytes):
        return {"$": "bytes", "hex": value.hex()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$": "tuple", "items": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$": "dict", "items": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot encode {type(value).__name__} as conformance data")


def decode(data: object) -> Any:
    """The inverse of `encode`; anything else raises FormatError."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict) or "$" not in data:
        raise FormatError(f"untagged object {str(data)[:80]}")
    tag = data["$"]
    try:
        if tag == "float":
            return _float_in(data["value"])
        if tag == "complex":
            real, imag = data["value"]
            return complex(_float_in(real), _float_in(imag))
        if tag == "bytes":
            return bytes.fromhex(data["hex"])
        if tag in ("ndarray", "scalar"):
            array = array_from(data["dtype"], data["shape"], data["values"])
            return array if tag == "ndarray" else array[()]
        if tag == "tuple":
            return tuple(decode(v) for v in data["items"])
        if tag == "dict":
            return {decode(k): decode(v) for k, v in data["items"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"bad {tag!r} entry: {exc}") from None
    raise FormatError(f"unknown tag {tag!r}")


def literal(value: object) -> str:
    """Python source that rebuilds an input, for repro snippets (numpy as `np`)."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        name = dtype_name(array.dtype)
        dtype = "ml_dtypes.bfloat16" if name == "bfloat16" else repr(name if name != "string" else "object")
        values = array.tolist() if name != "bfloat16" else array.astype(np.float32).tolist()
        text = f"np.array({_literal_floats(values)}, dtype={dtype})"
        return text if isinstance(value, np.ndarray) else f"{text}[()]"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({_float_out(value)!r})"
    if isinstance(value, complex):
        return f"complex({literal(value.real)}, {literal(value.imag)})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(literal(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _literal_floats(values: object) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_literal_floats(v) for v in values) + "]"
    if isinstance(values, float) and not math.isfinite(values):
        return f"float({_float_out(values)!r})"
    return repr(values)
