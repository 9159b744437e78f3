"""`tf.nn.moments` and `tf.nn.batch_normalization`: composites of recorded ops, as in TF.

Both are made of public ops (means, squared differences, rsqrt, products), so their
gradients, higher-order ones included, come from those ops' gradients.
"""

from __future__ import annotations

from .._core import dtypes
from .._core.tensor import convert_to_tensor
from . import array_ops, math_ops
from ._args import is_tensor_like


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of x over axes; the variance is the population one (divided by n).

    float16 inputs are reduced in float32 and the results cast back; `shift` is unused, as in TF.
    """
    if not hasattr(x, "dtype"):  # TF reads x.dtype before converting it
        raise AttributeError(f"'{type(x).__name__}' object has no attribute 'dtype'")
    x = convert_to_tensor(x)
    half = x._dtype is dtypes.float16
    y = array_ops.cast(x, dtypes.float32) if half else x
    mean = math_ops.reduce_mean(y, axes, keepdims=True)
    # the mean's own gradient through the variance is zero: TF stops it there
    variance = math_ops.reduce_mean(math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True)
    if not keepdims:
        if is_tensor_like(axes):
            raise TypeError(f"Expected list for 'axis' argument to 'squeeze' Op, not {axes!r}.")
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    if half:
        return array_ops.cast(mean, dtypes.float16), array_ops.cast(variance, dtypes.float16)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset, in TF's order of operations:
    x * inv + (offset - mean * inv) with inv = rsqrt(variance + epsilon) * scale."""
    inv = math_ops.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    shift = offset - mean * inv if offset is not None else -mean * inv
    return x * array_ops.cast(inv, x.dtype) + array_ops.cast(shift, x.dtype)
