"""`tf.clip_by_value`, `tf.clip_by_norm`, `tf.clip_by_global_norm`.

TF composes them from public ops (minimum and maximum; sums of squares, where, sqrt,
a quotient), so their values, gradients and errors are those ops'; the composition
here is TF's, step for step. An IndexedSlices is clipped through its values and
comes back as an IndexedSlices.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._core.indexed_slices import IndexedSlices, is_indexed_slices
from .._core.tensor import convert_to_tensor
from . import array_ops, loss_ops, math_ops


def _values_of(t, name="t"):
    return convert_to_tensor(t.values if is_indexed_slices(t) else t, name=name)


def _like(t, values):
    """`values` as t's kind: an IndexedSlices with t's indices if t was one."""
    return IndexedSlices(values, t.indices, t.dense_shape) if is_indexed_slices(t) else values


def _same_shape(values, result):
    """TF refuses a clip bound that would broadcast the clipped tensor to a larger shape."""
    if not values.shape.is_compatible_with(result.shape):
        raise ValueError(f"Shapes {values.shape} and {result.shape} are incompatible")


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """min(max(t, clip_value_min), clip_value_max) elementwise: gradients pass where t is inside
    the bounds (ties included), else to the bound that was taken."""
    values = _values_of(t)
    t_min = math_ops.minimum(values, clip_value_max)
    _same_shape(values, t_min)
    t_max = math_ops.maximum(t_min, clip_value_min)
    _same_shape(values, t_max)
    return _like(t, t_max)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """t scaled so that its L2 norm (over `axes`) is at most clip_norm (a negative one counts as 0)."""
    values = _values_of(t)
    if np.isscalar(clip_norm):
        clip_norm = max(clip_norm, 0)
    else:
        clip_norm = array_ops.cast(math_ops.maximum(clip_norm, 0), values.dtype)
    l2sum = math_ops.reduce_sum(values * values, axes, keepdims=True)
    positive = l2sum > 0
    # where twice: a zero norm's sqrt is never differentiated (its gradient would be nan)
    l2sum_safe = math_ops.where(positive, l2sum, array_ops.ones_like(l2sum))
    l2norm = math_ops.where(positive, math_ops.sqrt(l2sum_safe), l2sum)
    intermediate = values * clip_norm
    _same_shape(values, intermediate)
    return _like(t, intermediate / math_ops.maximum(l2norm, clip_norm))


def _check_sequence(t_list):
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")


def global_norm(t_list, name=None):
    """sqrt of the sum of squares of every element of every tensor (None entries skipped)."""
    _check_sequence(t_list)
    values = [None if t is None else _values_of(t, f"t_{i}") for i, t in enumerate(t_list)]
    halves = [loss_ops.l2_loss(v) for v in values if v is not None]  # each one's sum(v * v) / 2
    half_squared_norm = math_ops.reduce_sum(array_ops.stack(halves))
    return math_ops.sqrt(half_squared_norm * convert_to_tensor(2.0, dtype=half_squared_norm.dtype))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(the tensors scaled by clip_norm / max(global_norm, clip_norm), the global norm); a
    non-finite norm makes every value nan. None entries stay None."""
    _check_sequence(t_list)
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    scale_for_finite = clip_norm * math_ops.minimum(
        1.0 / use_norm, convert_to_tensor(1.0, dtype=use_norm.dtype) / clip_norm
    )
    scale = scale_for_finite + (use_norm - use_norm)  # nan when the norm is inf or nan
    clipped = []
    for i, t in enumerate(t_list):
        if t is None:
            clipped.append(None)
            continue
        values = _values_of(t, f"t_{i}")
        clipped.append(_like(t, values * array_ops.cast(scale, values.dtype)))
    return clipped, use_norm
