"""TensorFlow's rules for turning Python and numpy values into (numpy value, DType).

Python floats become float32 and ints int32 (int64 when they do not fit); numpy
values keep their dtype; an explicit dtype casts Python values only where TF allows.
Nothing here knows about Tensor: `tensor.convert_to_tensor` dispatches tensors and
variables and sends everything else here.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from . import dtypes
from .dtypes import DType

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_F32_MAX = float(np.finfo(np.float32).max)


def _unsupported(value) -> ValueError:
    return ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)!r}) to a Tensor.")


def _cannot_convert(value, dtype: DType) -> TypeError:
    return TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.c_name}")


def as_value(value, dtype: DType | None = None):
    """Returns (numpy value, DType) for a Python or numpy value, as TF's EagerTensor constructor does."""
    fast = _scalar_fast_path(value, dtype)
    if fast is not None:
        return fast
    if isinstance(value, (np.ndarray, np.generic)):
        return _from_numpy(value, dtype)
    # TF converts any Python sequence; a range is the one met outside lists and tuples
    array, inferred = _from_python(list(value) if type(value) is range else value, dtype)
    if dtype is not None and dtype is not inferred:
        if not _compatible(dtype, inferred):
            raise _cannot_convert(value, dtype)
        with np.errstate(all="ignore"):
            array = array.astype(dtype.np_dtype)
        inferred = dtype
    return array, inferred


def _compatible(desired: DType, returned: DType) -> bool:
    """TF's IsCompatible: the casts the EagerTensor constructor makes after converting a Python value."""
    if returned._kind in "iu":
        return desired._kind in "iufc"
    if returned._kind == "f":
        return desired._kind in "fc"
    return returned._kind == "c" and desired._kind == "c"


def _scalar_fast_path(value, dtype):
    """Python floats and ints met by every binary op; None when the general path must decide."""
    kind = type(value)
    if kind is float:
        if dtype is None:
            if abs(value) <= _F32_MAX or value != value or abs(value) == float("inf"):
                return np.float32(value), dtypes.float32
        elif dtype._kind == "f":
            return dtype.np_dtype.type(value), dtype
    elif kind is int:
        if dtype is None:
            if _INT32[0] <= value <= _INT32[1]:
                return np.int32(value), dtypes.int32
        elif (dtype._kind in "fc" and _INT64[0] <= value <= _INT64[1]) or (
            dtype is dtypes.int32 and _INT32[0] <= value <= _INT32[1]
        ):
            return dtype.np_dtype.type(value), dtype
    return None


_NUMPY_TYPE_NAMES = {"M": "NPY_DATETIME", "m": "NPY_TIMEDELTA", "V": "NPY_VOID"}


def _from_numpy(value, dtype: DType | None = None):
    """numpy values (and numpy scalars): numpy casts to a requested dtype (FORCECAST), as in TF."""
    array = np.asarray(value)
    if dtype is not None and array.dtype != dtype.np_dtype:
        with np.errstate(all="ignore"):
            array = array.astype(dtype.np_dtype)
    kind = array.dtype.kind
    if kind in "US":
        return np.vectorize(_to_bytes, otypes=[object])(array) if array.size else array.astype(object), dtypes.string
    if kind == "O":
        for item in array.reshape(-1):
            if not isinstance(item, (bytes, str)):
                raise ValueError(
                    f"Failed to convert a NumPy array to a Tensor (Unsupported object type {type(item).__name__})."
                )
        return np.vectorize(_to_bytes, otypes=[object])(array) if array.size else array.copy(), dtypes.string
    found = dtypes._BY_NUMPY_NAME.get(array.dtype.name)
    if found is None:
        if kind in _NUMPY_TYPE_NAMES:
            name = _NUMPY_TYPE_NAMES[kind]
        else:
            name = {"longdouble": "NPY_LONGDOUBLE", "clongdouble": "NPY_CLONGDOUBLE"}.get(
                array.dtype.type.__name__, f"NPY_{array.dtype.name.upper()}"
            )
        raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported numpy type: {name}).")
    return np.array(array, copy=True), found


def _to_bytes(item) -> bytes:
    return item if isinstance(item, bytes) else str(item).encode("utf-8")


# -- Python values: a port of TF's py_seq_tensor.cc --------------------------------------
# The dtype is inferred from the first scalar reached by taking element 0 of each level;
# converters then walk every element and fail with one of these texts.
_RECTANGULAR = "Can't convert non-rectangular Python sequence to Tensor."
_MIXED = "Can't convert Python sequence with mixed types to Tensor."
_OUT_OF_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
_OUT_OF_RANGE_DOUBLE = "Can't convert Python sequence with a value out of range for a double-precision float."
_FOUND_INT64 = "Can't convert Python sequence with out-of-range integer to int32 Tensor."
_FOUND_FLOAT = "Can't convert Python sequence with floating point values to integer Tensor."


class _Failed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _zero_dim_to_scalar(obj):
    return obj[()] if type(obj) is np.ndarray and obj.ndim == 0 else obj


def _infer(value):
    """(shape, inferred dtype name or None for empty) from the first element at each level."""
    shape: list[int] = []
    obj = value
    while True:
        obj = _zero_dim_to_scalar(obj)
        if isinstance(obj, (str, bytes)):
            return tuple(shape), "string"
        if isinstance(obj, (list, tuple, np.ndarray)):
            shape.append(len(obj))
            if len(obj) == 0:
                return tuple(shape), None
            obj = obj[0]
            continue
        if isinstance(obj, np.float64):
            return tuple(shape), "float64"
        if isinstance(obj, np.float16):
            return tuple(shape), "float16"
        if isinstance(obj, (float, np.floating)):
            return tuple(shape), "float"
        if isinstance(obj, (bool, np.bool_)):
            return tuple(shape), "bool"
        if isinstance(obj, (numbers.Integral, np.integer)):
            return tuple(shape), "int64"
        if isinstance(obj, (complex, np.complexfloating)):
            return tuple(shape), "complex128"
        raise _unsupported(obj)


def _int_leaf(lo, hi, too_big):
    def convert(v):
        if isinstance(v, np.integer):
            v = int(v)
        if isinstance(v, int):  # bools are ints here, as PyLong_Check says
            if not _INT64[0] <= v <= _INT64[1]:
                raise _Failed(_OUT_OF_RANGE)
            if not lo <= v <= hi:
                raise _Failed(too_big)
            return int(v)
        if isinstance(v, (float, np.floating)):
            raise _Failed(_FOUND_FLOAT)
        raise _Failed(_MIXED)

    return convert


def _uint64_leaf(v):
    if isinstance(v, np.integer):
        v = int(v)
    if isinstance(v, int):
        if not 0 <= v < 2**64:
            raise _Failed(_OUT_OF_RANGE)
        return int(v)
    if isinstance(v, (float, np.floating)):
        raise _Failed(_FOUND_FLOAT)
    raise _Failed(_MIXED)


def _float_leaf(np_type, check_overflow: bool):
    def convert(v):
        if isinstance(v, float):
            out = np_type(float(v))
            if check_overflow and np.isinf(out) and np.isfinite(float(v)):
                raise _Failed(_OUT_OF_RANGE_DOUBLE)
            return out
        if isinstance(v, int):
            try:
                return np_type(float(v))
            except OverflowError:
                raise _Failed(_OUT_OF_RANGE_DOUBLE) from None
        if isinstance(v, np.floating):
            return convert(float(v))
        if isinstance(v, np.integer):
            return convert(int(v))
        raise _Failed(_MIXED)

    return convert


def _complex_leaf(v):
    if isinstance(v, (complex, np.complexfloating)):
        return complex(v)
    return complex(_float_leaf(float, False)(v))


def _string_leaf(v):
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8")
    raise _Failed(_MIXED)


def _bool_leaf(v):
    if v is True or v is False:
        return v
    if isinstance(v, np.bool_):
        return bool(v)
    raise _Failed(_MIXED)


@functools.cache  # one leaf function per dtype: a fresh closure per call would be garbage for gc
def _converter(name: str):
    """(leaf function, DType) of TF's converter for a dtype name."""
    if name == "float32":
        return _float_leaf(np.float32, True), dtypes.float32
    if name == "float64":
        return _float_leaf(np.float64, False), dtypes.float64
    if name == "float16":
        return _float_leaf(np.float16, True), dtypes.float16
    if name == "int64":
        return _int_leaf(*_INT64, _OUT_OF_RANGE), dtypes.int64
    if name == "int32":
        return _int_leaf(*_INT32, _FOUND_INT64), dtypes.int32
    if name == "uint64":
        return _uint64_leaf, dtypes.uint64
    if name == "complex128":
        return _complex_leaf, dtypes.complex128
    if name == "string":
        return _string_leaf, dtypes.string
    return _bool_leaf, dtypes.bool_


def _convert(value, shape: tuple, name: str):
    """Every element through one converter; raises _Failed with TF's text."""
    leaf, dtype = _converter(name)
    if not shape:
        return np.array(leaf(_zero_dim_to_scalar(value)), dtype=dtype.np_dtype), dtype
    out = np.empty(shape, dtype=dtype.np_dtype)
    if out.size == 0:
        return out, dtype
    _fill(value, 0, shape, out.reshape(-1), leaf, 0)
    return out, dtype


def _fill(obj, depth: int, shape: tuple, flat, leaf, position: int) -> int:
    """Writes the leaves of nested sequence `obj` into `flat` from `position`; returns the next
    position. (A module function: a recursive closure would leave a reference cycle per call.)"""
    if not isinstance(obj, (list, tuple)):
        try:
            obj = list(obj)
        except TypeError:
            raise _Failed(_RECTANGULAR) from None
    if len(obj) != shape[depth]:
        raise _Failed(_RECTANGULAR)
    if depth + 1 < len(shape):
        for item in obj:
            position = _fill(item, depth + 1, shape, flat, leaf, position)
    else:
        for item in obj:
            flat[position] = leaf(_zero_dim_to_scalar(item))
            position += 1
    return position


_DIRECT = ("float32", "float64", "float16", "int64", "int32", "uint64", "complex128", "string", "bool")


def _from_python(value, dtype: DType | None):
    """TF's PySeqToTFE_TensorHandle: the requested dtype's converter first, then the inferred one."""
    shape, inferred = _infer(value)
    if dtype is not None and dtype.name in _DIRECT:
        try:
            return _convert(value, shape, dtype.name)
        except _Failed:
            pass
    if inferred is None:  # an empty sequence: nothing is checked past the first empty level
        target = dtype or dtypes.float32
        return np.empty(shape, dtype=target.np_dtype), target
    try:
        if inferred == "float":
            return _convert(value, shape, "float32" if dtype is None else "float64")
        if inferred != "int64":
            return _convert(value, shape, inferred)
        if dtype is not None:
            try:
                return _convert(value, shape, "int64")
            except _Failed as failed:
                if failed.message != _FOUND_FLOAT:
                    raise
                return _convert(value, shape, "float64")
        try:
            return _convert(value, shape, "int32")
        except _Failed as failed:
            error = failed.message
        if error == _FOUND_INT64:
            try:
                return _convert(value, shape, "int64")
            except _Failed as failed:
                error = failed.message
        if error == _FOUND_FLOAT:
            return _convert(value, shape, "float32")
        raise _Failed(error)
    except _Failed as failed:
        raise ValueError(failed.message) from None
