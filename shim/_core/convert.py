"""TensorFlow's rules for turning Python and numpy values into (numpy value, DType).

Python floats become float32 and ints int32 (int64 when they do not fit); numpy
values keep their dtype; an explicit dtype casts Python values only where TF allows.
Nothing here knows about Tensor: `tensor.convert_to_tensor` dispatches tensors and
variables and sends everything else here.
"""

from __future__ import annotations

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
    """Returns (numpy value, DType) for a Python or numpy value; scalars come back as numpy scalars."""
    fast = _scalar_fast_path(value, dtype)
    if fast is not None:
        return fast
    if isinstance(value, (np.ndarray, np.generic)):
        array, inferred = _from_numpy(value)
    else:
        array, inferred = _from_python(value, dtype)
    if dtype is not None and dtype is not inferred:
        array = _cast(value, array, inferred, dtype)
        inferred = dtype
    return array, inferred


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
        elif dtype._kind in "fc" or (dtype is dtypes.int32 and _INT32[0] <= value <= _INT32[1]):
            return dtype.np_dtype.type(value), dtype
    return None


def _from_numpy(value):
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind in "US":
        return np.vectorize(_to_bytes, otypes=[object])(array) if array.size else array.astype(object), dtypes.string
    if kind == "O":
        return _from_python(array.tolist(), None, numpy_object=True)
    dtype = dtypes._BY_NUMPY_NAME.get(array.dtype.name)
    if dtype is None:
        raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported numpy type: {array.dtype}).")
    return np.array(array, copy=True), dtype


def _to_bytes(item) -> bytes:
    return item if isinstance(item, bytes) else str(item).encode("utf-8")


def _from_python(value, dtype, numpy_object=False):
    """Infers a dtype from nested Python scalars, as TF's sequence converter does."""
    leaves: list = []
    shape = _shape_of(value, leaves, numpy_object)
    kinds = {_kind(leaf, value, numpy_object) for leaf in leaves}
    if "s" in kinds:
        if len(kinds) > 1:
            if dtype is not None and not dtype is dtypes.string:
                raise _cannot_convert(value, dtype)
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        array = np.empty(len(leaves), dtype=object)
        array[:] = [_to_bytes(leaf) for leaf in leaves]
        return array.reshape(shape), dtypes.string
    if dtype is not None:
        return _python_numbers_as(value, leaves, shape, kinds, dtype)
    if "n" in kinds:  # numpy scalars inside a list: numpy decides, as in TF
        array = np.array(leaves).reshape(shape)
        return _from_numpy(array)
    if "c" in kinds:
        inferred = dtypes.complex128
    elif "f" in kinds or not kinds:
        inferred = dtypes.float32
        if any(isinstance(x, float) and abs(x) > _F32_MAX and x != float("inf") and x != float("-inf") for x in leaves):
            raise ValueError("Can't convert Python sequence with a value out of range for a double-precision float.")
    elif "i" in kinds:
        lo, hi = min(leaves), max(leaves)
        if _INT32[0] <= lo and hi <= _INT32[1]:
            inferred = dtypes.int32
        elif _INT64[0] <= lo and hi <= _INT64[1]:
            inferred = dtypes.int64
        else:
            raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
    else:
        inferred = dtypes.bool_
    return np.array(leaves, dtype=inferred.np_dtype).reshape(shape), inferred


def _python_numbers_as(value, leaves, shape, kinds, dtype: DType):
    """Python numbers under an explicit dtype: TF refuses any narrowing of kind."""
    if dtype is dtypes.string:
        raise _cannot_convert(value, dtype)
    if "n" in kinds:
        return np.array(leaves).astype(dtype.np_dtype).reshape(shape), dtype
    if dtype.is_bool and kinds - {"b"}:
        raise _cannot_convert(value, dtype)
    if dtype.is_integer and kinds & {"f", "c"}:
        raise _cannot_convert(value, dtype)
    if dtype.is_floating and "c" in kinds:
        raise _cannot_convert(value, dtype)
    if dtype.is_integer:
        # TF wraps Python ints into the narrower type (-1 -> 255 for uint8).
        return np.array(leaves, dtype=np.int64).astype(dtype.np_dtype).reshape(shape), dtype
    return np.array(leaves, dtype=dtype.np_dtype).reshape(shape), dtype


def _kind(leaf, value, numpy_object):
    if isinstance(leaf, bool):
        return "b"
    if isinstance(leaf, (str, bytes)):
        return "s"
    if isinstance(leaf, np.generic):
        return "n"
    if isinstance(leaf, numbers.Integral):
        return "i"
    if isinstance(leaf, numbers.Real):
        return "f"
    if isinstance(leaf, numbers.Complex):
        return "c"
    if numpy_object:
        raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type {type(leaf).__name__}).")
    raise _unsupported(value)


def _shape_of(value, leaves: list, numpy_object: bool) -> tuple:
    """The shape of a nested list/tuple, filling `leaves`; raises on ragged input."""
    if not isinstance(value, (list, tuple)):
        leaves.append(value)
        return ()
    if not value:
        return (0,)
    shapes = [_shape_of(item, leaves, numpy_object) for item in value]
    first = shapes[0]
    if any(s != first for s in shapes):
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
    return (len(value),) + first


def _cast(value, array: np.ndarray, source: DType, target: DType) -> np.ndarray:
    """Casts a converted numpy value to an explicitly requested dtype."""
    if (source is dtypes.string) != (target is dtypes.string):
        raise _cannot_convert(value, target)
    with np.errstate(all="ignore"):
        return array.astype(target.np_dtype)
