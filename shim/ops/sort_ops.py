"""Arg reductions and sorting: argmax, argmin, top_k, sort, argsort.

argmax and argmin are not differentiable. top_k is the op (TopKV2) with TF's gradient,
which scatters the values' gradient back to the positions they came from; sort and
argsort are TF's compositions over it (a transpose to bring the axis last, negation for
ascending order), so their gradients and errors are those ops'.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.ops import NotDifferentiable, Op, RegisterGradient, batch_dims, batchable
from .._core.opdefs import describe
from .._core.tensor import EagerTensor, convert_to_tensor, make
from . import array_ops
from ._args import eager_fallback, is_tensor_like

# -- argmax, argmin -----------------------------------------------------------------------------


def _arg_forward(pick, worst):
    """TF's kernel: the first index of the extreme value; nan never wins (an all-nan slice gives 0)."""

    def forward(x, axis):
        array = np.asarray(x)
        if array.dtype.kind == "f":
            array = np.where(np.isnan(array), array.dtype.type(worst), array)
        return pick(array, axis=axis)

    return forward


_ARG_OUTPUT_TYPES = {"ArgMax": ("int16", "uint16", "int32", "int64"), "ArgMin": ("int32", "int64")}
_arg_ops = {
    "ArgMax": Op("ArgMax", _arg_forward(np.argmax, -np.inf)),
    "ArgMin": Op("ArgMin", _arg_forward(np.argmin, np.inf)),
}
NotDifferentiable("ArgMax")
NotDifferentiable("ArgMin")


def _attr_error(op_type, attr, dtype, name):
    allowed, summary = describe(op_type, attr)
    text = (
        f"Value for attr '{attr}' of {dtype.c_name} is not in the list of allowed values: {allowed}\n"
        f"\t; NodeDef: {{{{node {op_type}}}}}; {summary}"
    )
    return errors.op_error(op_type, text, name)


def _arg_reduce(op_type, input, axis, output_type, name):
    slow = eager_fallback(input, axis)
    x = convert_to_tensor(input)
    output_type = dtypes.as_dtype(output_type)
    scope = None if slow else name or ""
    op = _arg_ops[op_type]
    if op.allowed is not None and x.dtype.name not in op.allowed:
        raise _attr_error(op_type, "T", x.dtype, scope)
    if output_type.name not in _ARG_OUTPUT_TYPES[op_type]:
        raise _attr_error(op_type, "output_type", output_type, scope)
    dimension = np.asarray(convert_to_tensor(axis)._value)
    if dimension.ndim != 0:
        text = f"dim must be a scalar, but received tensor of shape: {shape_text(dimension.shape)}"
        raise errors.kernel_error(op_type, text, scope)
    rank, dim = x.ndim, int(dimension)
    if not -rank <= dim < rank:
        text = f"Expected dimension in the range [{-rank}, {rank}), but got {dim}"
        raise errors.kernel_error(op_type, text, scope)
    dim %= rank
    if x.shape[dim] == 0:
        text = f"Reduction axis {dim} is empty in shape {shape_text(x.shape.as_list())}"
        raise errors.kernel_error(op_type, text, scope)
    return op(x, name=name, unscoped=slow, out_dtype=output_type, axis=dim)


_AXIS_TENSOR_TYPES = ("int8", "uint8", "int16", "uint16", "int32", "int64")


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 (TF's argument name)
    """`tf.math.argmax`: the index of the largest value along `axis` (0 by default), first one on ties."""
    if axis is None:
        axis = 0
    if hasattr(axis, "dtype"):
        # TF compares the dtype with its own DTypes: a numpy scalar's dtype is never among them
        if not is_tensor_like(axis) or axis.dtype.name not in _AXIS_TENSOR_TYPES:
            raise TypeError(f"axis tensor dtypes {axis.dtype} is not supported")
    elif not isinstance(axis, int):
        raise TypeError("axis must be int or Tensor with integer datatype")
    return _arg_reduce("ArgMax", input, axis, output_type, name)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """`tf.math.argmin`: the index of the smallest value along `axis` (0 by default), first one on ties."""
    return _arg_reduce("ArgMin", input, 0 if axis is None else axis, output_type, name)


# -- top_k ----------------------------------------------------------------------------------------


def _top_k_forward(x, k, sorted, index_type):  # noqa: A002 (TF's attr name)
    array = np.asarray(x)
    keys = array.astype(np.int64) if array.dtype.kind in "iu" else array  # negating the minimum would wrap
    # a stable sort of the negated values: largest first, ties by index (nan last: TF's order is undefined)
    order = np.argsort(-keys, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(array, order, axis=-1), order.astype(index_type)


_top_k_ops: dict = {}


def _top_k_op(value_dtype, index_dtype):
    key = (value_dtype, index_dtype)
    if key not in _top_k_ops:
        _top_k_ops[key] = Op("TopKV2", _top_k_forward, out_dtype=key, num_outputs=2)
    return _top_k_ops[key]


class TopKV2(tuple):
    """top_k's result: a (values, indices) named tuple, printed as TF prints it."""

    __slots__ = ()

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return f"TopKV2(values={self[0]!r}, indices={self[1]!r})"


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """`tf.math.top_k`: the k largest entries of each last-axis slice and their indices; ties go to
    the lower index."""
    slow = eager_fallback(input, k)
    scope = None if slow else name or ""
    x = input if type(input) is EagerTensor else convert_to_tensor(input)
    k_tensor = k if is_tensor_like(k) else convert_to_tensor(k, dtype=dtypes.int32)
    index_type = dtypes.as_dtype(index_type)
    op = _top_k_op(x.dtype, index_type)
    if op.allowed is not None and x.dtype.name not in op.allowed:
        raise _attr_error("TopKV2", "T", x.dtype, scope)
    if index_type.name not in ("int16", "int32", "int64"):
        raise _attr_error("TopKV2", "index_type", index_type, scope)
    k_tensor = convert_to_tensor(k_tensor)
    if k_tensor.dtype.name not in ("int16", "int32", "int64"):
        raise _attr_error("TopKV2", "Tk", k_tensor.dtype, scope)
    k_value = np.asarray(k_tensor._value)
    if k_value.ndim != 0:
        raise errors.kernel_error("TopKV2", f"k must be scalar, got shape {shape_text(k_value.shape)}", scope)
    k_value = int(k_value)
    if k_value < 0:
        raise errors.kernel_error("TopKV2", f"Need k >= 0, got {k_value}", scope)
    if x.ndim < 1:
        raise errors.kernel_error("TopKV2", f"input must be >= 1-D, got shape {shape_text(x.shape.as_list())}", scope)
    columns = x.shape[-1]
    if columns < k_value:
        raise errors.kernel_error(
            "TopKV2", f"input must have at least k columns. Had {columns}, needed {k_value}", scope
        )
    outputs = op(x, name=name, unscoped=slow, k=k_value, sorted=bool(sorted), index_type=index_type.np_dtype)
    return TopKV2(*outputs)


@RegisterGradient("TopKV2")
@batchable
def _top_k_grad(op, grad, _):
    """The values' gradient, scattered back to where each value came from (indices get none).
    A jacobian's rows ride along as a trailing dimension of the scattered rows."""
    x, indices = op.inputs[0], op.outputs[1]
    if indices.dtype is not dtypes.int32:  # TF's gradient adds int32 row offsets to the indices: only int32 works
        raise errors.dtype_mismatch("AddV2", 1, indices.dtype, dtypes.int32, "")
    shape = x._value.shape
    columns = shape[-1] if shape else 1
    rows = int(np.prod(shape[:-1], dtype=np.int64))
    picked = np.asarray(indices._value, np.int64).reshape(rows, indices._value.shape[-1])
    flat = (picked + np.arange(rows, dtype=np.int64)[:, None] * columns).reshape(-1)
    positions = make(flat.astype(np.int32), dtypes.int32)
    batch = batch_dims(grad, op.outputs[0])
    if not batch:
        scattered = array_ops._unsorted_segment_sum(
            array_ops._reshape(grad, shape=(-1,)), positions, num_segments=rows * columns
        )
        return array_ops._reshape(scattered, shape=shape)
    count = int(np.prod(batch, dtype=np.int64))
    by_position = array_ops._transpose(array_ops._reshape(grad, shape=(count, -1)), perm=(1, 0))
    scattered = array_ops._unsorted_segment_sum(by_position, positions, num_segments=rows * columns)
    return array_ops._reshape(array_ops._transpose(scattered, perm=(1, 0)), shape=tuple(batch) + shape)


# -- sort, argsort ----------------------------------------------------------------------------------

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _static_axis(axis):
    tensor = convert_to_tensor(axis)
    if tensor.ndim != 0:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={tensor}.")
    return int(tensor._value)


def _descending(values, axis, return_argsort):
    rank = values.ndim
    if not -rank <= axis < rank:  # TF reads the length as shape(values)[axis]: a negative index is shown moved by rank
        shown = axis if axis >= 0 else axis + rank
        raise errors.kernel_error(
            "StridedSlice", f"slice index {shown} of dimension 0 out of bounds.", "strided_slice/"
        )
    k = values.shape[axis]
    if axis == -1 or axis + 1 == rank:
        top_k_input, transposition = values, None
    else:
        axis %= rank
        transposition = [*range(axis), rank - 1, *range(axis + 1, rank - 1), axis]  # swaps axis and the last
        top_k_input = array_ops.transpose(values, transposition)
    sorted_values, indices = top_k(top_k_input, k)
    result = indices if return_argsort else sorted_values
    return result if transposition is None else array_ops.transpose(result, transposition)


def _ascending(values, axis, return_argsort):
    """Descending order of an order-reversing map of the values (negation; for integers -x - 1 and
    max - x keep every value representable), mapped back."""
    dtype = values.dtype
    if dtype.is_unsigned:
        offset = dtype.max
        result = _descending(offset - values, axis, return_argsort)
        return result if return_argsort else offset - result
    if dtype.is_integer:
        result = _descending(-values - 1, axis, return_argsort)
        return result if return_argsort else -result - 1
    result = _descending(-values, axis, return_argsort)
    return result if return_argsort else -result


def _sort_or_argsort(values, axis, direction, return_argsort):
    if direction not in _DIRECTIONS:
        raise ValueError(
            f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. Received: direction={direction}"
        )
    axis = _static_axis(axis)
    values = convert_to_tensor(values)
    if direction == "ASCENDING":
        return _ascending(values, axis, return_argsort)
    return _descending(values, axis, return_argsort)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`tf.sort`: values sorted along `axis`, ties kept in order."""
    return _sort_or_argsort(values, axis, direction, return_argsort=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """`tf.argsort`: int32 indices that sort `values` along `axis`; always stable, as TF's (top_k is)."""
    return _sort_or_argsort(values, axis, direction, return_argsort=True)
