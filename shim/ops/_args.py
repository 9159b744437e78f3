"""How op arguments become tensors: TF's eager conversion rules, in one place.

TF's eager fast path takes the dtype of inputs sharing a type attribute from the
first argument that is already a tensor and converts Python values to it (a
TypeError if they do not fit); tensors of another dtype then fail the op's type
check. `tf.add` and `/` instead treat the first dtype as a soft hint.
"""

from __future__ import annotations

import numpy as np

from .._core import errors
from .._core.tensor import EagerTensor, Tensor, convert_to_tensor, make


def is_tensor_like(value) -> bool:
    return isinstance(value, Tensor) or getattr(value, "_is_variable", False)


def same_dtype(op_type: str, values, name=None) -> list:
    """Converts inputs that share one dtype; raises TF's errors when they cannot."""
    dtype = None
    for value in values:
        if is_tensor_like(value):
            dtype = value.dtype
            break
    tensors = []
    for value in values:
        if type(value) is EagerTensor:
            tensors.append(value)
        elif dtype is None or is_tensor_like(value):
            tensors.append(convert_to_tensor(value))
            dtype = dtype or tensors[-1]._dtype
        else:
            tensors.append(convert_to_tensor(value, dtype=dtype))
    check_same(op_type, tensors, name)
    return tensors


def eager_fallback(*values) -> bool:
    """Whether TF's generated op wrapper leaves its fast path: a list, tuple, numpy scalar or Python
    string among the raw inputs. Its slow path reports kernel errors without the " name: " suffix."""
    return any(type(v) in (list, tuple, str, bytes) or isinstance(v, np.generic) for v in values)


def hinted(x, y):
    """`x` as is, `y` converted with x's dtype as a hint only (tf.add, tf.truediv)."""
    x = convert_to_tensor(x)
    if type(y) is not EagerTensor:
        y = convert_to_tensor(y, dtype_hint=x._dtype)
    return x, y


def check_same(op_type: str, tensors, name=None) -> None:
    first = tensors[0]._dtype
    for i in range(1, len(tensors)):
        if tensors[i]._dtype is not first:
            # TF takes 'T' from the first input and checks it against the op's list before the others
            from .._core.ops import _NO_CPU_KERNEL, Op, no_cpu_kernel, unsupported_dtype

            op = Op(op_type, None)
            if op.allowed is not None and first.name not in op.allowed:
                raise unsupported_dtype(op, first, name or "")
            if (op_type, first.name) in _NO_CPU_KERNEL:
                raise no_cpu_kernel(op_type, first, name or "")
            raise errors.dtype_mismatch(op_type, i, first, tensors[i]._dtype, name or "")


def flush_denormals(values):
    """TF's CPU kernels run with flush-to-zero: results below the smallest normal become 0."""
    array = np.asarray(values)
    if array.dtype.kind != "f":
        return values
    flushed = np.where(np.abs(array) < np.finfo(array.dtype).tiny, array.dtype.type(0), array)
    return flushed[()] if flushed.ndim == 0 else flushed


def scalar(value, dtype) -> EagerTensor:
    """A constant scalar of `dtype`, for use inside gradient functions."""
    return make(dtype.np_dtype.type(value), dtype)


def axis_tuple(axis, rank: int, op_type: str, name=None):
    """Normalises a reduction axis argument (None, int, list, tensor) to a sorted tuple."""
    if axis is None:
        return tuple(range(rank))
    if is_tensor_like(axis):
        axis = np.asarray(convert_to_tensor(axis).numpy())
    if isinstance(axis, (list, tuple)):
        axes = list(axis)
        name = None  # TF runs a Python list of axes through its slow path: errors end "[Op:Sum]" only
    else:
        axes = list(np.reshape(axis, -1))
        name = name or ""
    out = []
    for a in axes:
        a = int(a)
        if not -rank <= a < rank:
            text = f"Invalid reduction dimension ({a} for input with {rank} dimension(s)"
            raise errors.kernel_error(op_type, text, name)
        if a % rank in out:
            raise errors.kernel_error(
                op_type, f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank}", name
            )
        out.append(a % rank)
    return tuple(sorted(out))
