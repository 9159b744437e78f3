"""Sorted segment sums and bincount (`tf.math.unsorted_segment_sum` lives in array_ops).

segment_sum's gradient gathers the upstream gradient back by segment id, as TF's;
bincount (DenseBincount) has no gradient in TF, so a tape reaching it raises.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import convert_to_tensor
from . import array_ops, math_ops
from ._args import eager_fallback
from .array_ops import _check_attr

# -- segment_sum ----------------------------------------------------------------------------------


def _segment_sum_forward(data, segment_ids):
    data, ids = np.asarray(data), np.asarray(segment_ids)
    if data.ndim < 1:
        raise errors.KernelError("input must be at least rank 1")
    if ids.ndim != 1:
        raise errors.KernelError("segment_ids should be a vector.")
    if ids.shape[0] != data.shape[0]:
        raise errors.KernelError("segment_ids should be the same size as dimension 0 of input.")
    rows = int(ids[-1]) + 1 if ids.size else 0  # TF sizes the output by the last id
    if np.any(np.diff(ids) < 0):  # TF checks the order first, then the range
        raise errors.KernelError("segment ids are not increasing")
    if ids.size and ids[0] < 0:
        raise errors.KernelError(
            f"Segment id {int(ids[0])} out of range [0, {rows}), possibly because 'segment_ids' input is not sorted."
        )
    out = np.zeros((rows,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


_segment_sum = Op("SegmentSum", _segment_sum_forward)


def segment_sum(data, segment_ids, name=None):
    """`tf.math.segment_sum`: rows of `data` summed by sorted segment id; ids without rows give zeros."""
    slow = eager_fallback(data, segment_ids)
    scope = None if slow else name or ""
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    _check_attr("SegmentSum", "T", data, scope)
    _check_attr("SegmentSum", "Tindices", segment_ids, scope)
    return _segment_sum(data, segment_ids, name=name, unscoped=slow)


@RegisterGradient("SegmentSum")
@batchable
def _segment_sum_grad(op, grad):
    """Each row's gradient is its segment's (along the axis after a jacobian's batch dims)."""
    return array_ops.gather(grad, op.inputs[1], axis=len(batch_dims(grad, op.outputs[0]))), None


# -- bincount -----------------------------------------------------------------------------------


def _dense_bincount_forward(arr, size, weights, binary_output):
    arr, weights, size = np.asarray(arr), np.asarray(weights), int(size)
    if arr.ndim > 2:
        raise errors.KernelError(f"Shape must be at most rank 2 but is rank {arr.ndim}")
    if size < 0:
        raise errors.KernelError(f"size ({size}) must be non-negative")
    if np.any(arr < 0):
        raise errors.KernelError("Input arr must be non-negative!")
    if weights.size and weights.shape != arr.shape:
        raise errors.KernelError(
            "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts as all "
            f"weights equal to 1. Received {shape_text(weights.shape)}"
        )
    rows = arr if arr.ndim == 2 else arr.reshape(1, -1)  # one row of counts per row of a 2-D arr
    row_weights = weights.reshape(rows.shape) if weights.size else np.ones(rows.shape, weights.dtype)
    out = np.zeros((rows.shape[0], size), dtype=weights.dtype)
    for r in range(rows.shape[0]):
        kept = rows[r] < size  # values past the size (maxlength) are dropped
        np.add.at(out[r], rows[r][kept], row_weights[r][kept])
    if binary_output:
        out = (out != 0).astype(weights.dtype)
    return out if arr.ndim == 2 else out[0]


_dense_bincount = Op("DenseBincount", _dense_bincount_forward, typed_input=2)


def bincount(
    arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None, axis=None, binary_output=False
):
    """`tf.math.bincount`: how often each value occurs (or the sum of its weights), as TF composes it."""
    arr = convert_to_tensor(arr)
    if weights is not None:
        weights = convert_to_tensor(weights)
    if weights is not None and binary_output:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one.")
    if not arr.dtype.is_integer:
        arr = array_ops.cast(arr, dtypes.int32)
    axis = 0 if axis is None else axis
    if axis not in [0, -1]:
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    values = np.asarray(arr._value)
    size = convert_to_tensor(int(values.max()) + 1 if values.size else 0, dtype=arr.dtype)
    if minlength is not None:
        size = math_ops.maximum(convert_to_tensor(minlength, dtype=arr.dtype), size)
    if maxlength is not None:
        size = math_ops.minimum(convert_to_tensor(maxlength, dtype=arr.dtype), size)
    if axis == 0:
        if weights is not None:
            weights = array_ops.reshape(weights, [-1])
        arr = array_ops.reshape(arr, [-1])
    if weights is None:
        weights = convert_to_tensor(np.zeros(0, dtypes.as_dtype(dtype).np_dtype), dtype=dtype)
    _check_attr("DenseBincount", "Tidx", arr, "")
    _check_attr("DenseBincount", "T", weights, "")
    return _dense_bincount(arr, size, weights, binary_output=bool(binary_output))
