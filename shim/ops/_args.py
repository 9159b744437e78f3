"""How op arguments become tensors: TF's eager conversion rules, in one place.

TF's eager fast path takes the dtype of inputs sharing a type attribute from the
first argument that is already a tensor and converts Python values to it (a
TypeError if they do not fit); tensors of another dtype then fail the op's type
check. `tf.add` and `/` instead treat the first dtype as a soft hint.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.tensor import EagerTensor, Tensor, convert_to_tensor, make


def is_tensor_like(value) -> bool:
    return isinstance(value, Tensor) or getattr(value, "_is_variable", False)


def same_dtype(op_type: str, values, name=None) -> list:
    """Converts inputs that share one dtype; raises TF's errors when they cannot."""
    tensors = converted_alike(values)
    check_same(op_type, tensors, name)
    return tensors


def converted_alike(values) -> list:
    """Inputs that share one dtype, converted to the first tensor's (a TypeError when a Python
    value does not fit); tensors of another dtype are left for the op's type check."""
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
    return tensors


def matching_eager(values) -> list:
    """Inputs sharing a type attribute as TF's eager fallback converts them (args_to_matching_eager):
    the dtype is the first EagerTensor's (a variable does not count), or else the first value's own,
    and every other value is converted to it (a variable of another dtype: ValueError)."""
    if all(type(v) is EagerTensor for v in values):
        return list(values)  # left for the kernel's type check
    dtype = next((v._dtype for v in values if type(v) is EagerTensor), None)
    tensors = []
    for value in values:
        tensors.append(convert_to_tensor(value, dtype=dtype))
        dtype = tensors[-1]._dtype
    return tensors


def bool_inputs(op_type: str, values, name=None) -> list:
    """Inputs an op declares as bool (LogicalAnd's, All's), converted as TF converts them: see
    `bool_input`. On the fast path every input is converted before the kernel's type check."""
    slow = eager_fallback(*values, none_is_input=True)
    tensors = [bool_input(value, slow) for value in values]
    check_bool(op_type, tensors, name)
    return tensors


def bool_input(value, slow: bool):
    """One input declared bool: numpy values are cast, Python values must be bools (TypeError
    "Cannot convert 1 to EagerTensor of dtype bool"). A tensor of another dtype fails its conversion
    on the slow path (ValueError) and is left for the kernel's type check on the fast one."""
    if is_tensor_like(value) and not slow:
        return convert_to_tensor(value)
    return convert_to_tensor(value, dtype=dtypes.bool_)


def check_bool(op_type: str, tensors, name=None) -> None:
    for index, tensor in enumerate(tensors):
        if tensor._dtype is not dtypes.bool_:
            raise errors.dtype_mismatch(op_type, index, dtypes.bool_, tensor._dtype, name or "")


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_FAST_PATH_TYPES = (int, float, bool, np.ndarray)  # with tensors and variables: what TF's fast path takes


def eager_fallback(*values, none_is_input=False) -> bool:
    """Whether TF's generated op wrapper leaves its fast path: a raw input other than a tensor, a
    variable, a numpy array or a Python int, float or bool (a list, a string, a numpy scalar, any
    other object). The slow path converts the inputs one by one, in order, and reports kernel
    errors without the " name: " suffix. None is an argument left out (TF's wrapper fills in its
    default) unless `none_is_input`."""
    return any(
        type(v) not in _FAST_PATH_TYPES and not is_tensor_like(v) and (v is not None or none_is_input) for v in values
    )


def reduction_slow_path(input_tensor, axis) -> bool:
    """Whether TF runs a reduction on its slow path. With no axis, TF's _ReductionDims passes a
    constant for a tensor's or variable's axes but a Python range for anything else, which the fast
    path refuses."""
    if axis is None:
        return not is_tensor_like(input_tensor)
    return eager_fallback(input_tensor, axis)


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


def axis_tuple(axis, rank: int, op_type: str, name=None, slow=False):
    """Normalises a reduction axis argument (None, int, list, tensor) to a sorted tuple. `slow`:
    the op runs on TF's slow path (its input was a list, say), whose errors carry no name."""
    indices, name = reduction_axes(axis, op_type, name, slow)
    return checked_axes(indices, rank, op_type, name)


def reduction_axes(axis, op_type: str, name=None, slow=False):
    """(the axes as converted, or None for all; the name TF's errors will carry): the conversion,
    which comes before the op's type checks; `checked_axes` is the kernel's part."""
    if axis is None:
        return None, name or ""
    slow = slow or eager_fallback(axis)  # a list of axes, say: TF's errors then end "[Op:Sum]" only
    name = None if slow else name or ""
    return _reduction_indices(axis, op_type, name, slow), name


def checked_axes(indices, rank: int, op_type: str, name) -> tuple:
    """The reduction kernel's checks of converted axes: each in [-rank, rank), none twice."""
    if indices is None:
        return tuple(range(rank))
    out: list[int] = []
    for a in indices:
        if not -rank <= a < rank:
            text = f"Invalid reduction dimension ({a} for input with {rank} dimension(s)"
            raise errors.kernel_error(op_type, text, name)
        if a % rank in out:
            raise errors.kernel_error(
                op_type, f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank}", name
            )
        out.append(a % rank)
    return tuple(sorted(out))


def _reduction_indices(axis, op_type: str, name, slow: bool) -> list[int]:
    """A reduction's axes (its `Tidx` input), any rank flattened."""
    if type(axis) is int and _INT32_MIN <= axis <= _INT32_MAX:
        return [axis]  # the common case, as the conversion below would give it
    if type(axis) in (list, tuple) and all(type(a) is int and _INT32_MIN <= a <= _INT32_MAX for a in axis):
        return list(axis)
    return [int(a) for a in np.reshape(int_argument(axis, op_type, "Tidx", name, slow)._value, -1)]


def int_argument(value, op_type: str, attr: str, name, slow: bool) -> EagerTensor:
    """An op's integer argument (axes, shapes, multiples) as TF converts it for a type attribute
    that allows int32 and int64 (int32 by default): Python floats are refused on the fast path
    (TypeError), numpy numbers are cast, and a value that converts to any other dtype (floats in
    a list, strings, an int8 tensor) fails the attr check, naming `attr`."""
    if is_tensor_like(value):
        tensor = convert_to_tensor(value)
    elif type(value) is bool:
        tensor = convert_to_tensor(int(value))
    elif not slow and type(value) is float:
        tensor = convert_to_tensor(value, dtype=dtypes.int32)
    elif not slow and isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        tensor = convert_to_tensor(value.astype(np.int32))
    elif not slow:  # the fast path converts a Python int as int32, wrapping as C does
        tensor = convert_to_tensor(value, dtype_hint=dtypes.int32)
    else:  # args_to_matching_eager: the value's own dtype if allowed, else int32 preferred
        tensor = convert_to_tensor(value)
        if tensor._dtype.name not in ("int32", "int64"):
            tensor = convert_to_tensor(value, dtype_hint=dtypes.int32)
    if tensor._dtype.name not in ("int32", "int64"):
        from .._core.ops import Op, unsupported_dtype

        raise unsupported_dtype(Op(op_type, None), tensor._dtype, name, attr=attr)
    return tensor
