"""`tf.nn.dropout`: TF's checks and arithmetic around the shim's uniform draws.

The mask comes from `tf.random.uniform` (numpy's generator, so not TF's numbers):
what is kept is scaled by 1 / (1 - rate) and the rest is zero, as in TF, and the
gradient, made of the same recorded ops (a product and a where), masks as the forward did.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._core import errors
from .._core.errors import shape_text
from .._core.shape import as_shape
from .._core.tensor import convert_to_tensor
from . import math_ops, random_ops
from ._args import is_tensor_like, scalar


def _noise_shape(x, noise_shape):
    """x's shape, or noise_shape with its unknown (None) dims filled in from x's."""
    if noise_shape is None:
        return tuple(x.shape)
    try:
        dims = as_shape(noise_shape).as_list()
    except (TypeError, ValueError):
        return noise_shape
    if len(dims) == x.ndim:
        dims = [x.shape[i] if d is None else d for i, d in enumerate(dims)]
    return dims


def _check_broadcast(keep, kept):
    """SelectV2's error for a noise_shape that does not broadcast with x's shape."""
    try:
        np.broadcast_shapes(keep._value.shape, kept._value.shape)
    except ValueError:
        text = f"condition {shape_text(keep._value.shape)}, then {shape_text(kept._value.shape)}, and else [] must be broadcastable"
        raise errors.kernel_error("SelectV2", text, "") from None


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zeroes each element (or each noise_shape slice) with probability `rate`, scales the rest."""
    rate_is_number = isinstance(rate, numbers.Real)
    if rate_is_number and (rate < 0 or rate >= 1):
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    x = convert_to_tensor(x)
    if not x._dtype.is_floating:
        raise ValueError(
            f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: x_dtype={x._dtype}"
        )
    if rate_is_number and rate == 0:
        return x
    if not is_tensor_like(rate):
        if not rate_is_number:
            raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
        kept = math_ops.multiply(x, convert_to_tensor(1 / (1 - rate), dtype=x._dtype))
    else:
        rate = convert_to_tensor(rate)
        rate.shape.assert_has_rank(0)
        if rate._dtype != x._dtype:
            if not rate._dtype.is_compatible_with(x._dtype):
                raise ValueError(
                    "`x.dtype` must be compatible with `rate.dtype`. "
                    f"Received: x.dtype={x._dtype} and rate.dtype={rate._dtype}"
                )
        kept = math_ops.truediv(x, math_ops.subtract(scalar(1, x._dtype), rate))
    draws = random_ops.uniform(_noise_shape(x, noise_shape), dtype=x._dtype, seed=seed)
    keep = math_ops.greater_equal(draws, rate)
    _check_broadcast(keep, kept)
    return math_ops.where(keep, kept, scalar(0, x._dtype))
