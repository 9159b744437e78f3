"""Computations Keras needs that `tf.nn`/`tf.math` may not offer yet, written with shim ops.

Each helper uses the public shim op when it exists and otherwise composes one from
existing ops, so gradients flow through the tape either way.
"""

from __future__ import annotations

import weakref

import numpy as np

from .. import nn as _nn
from .._core import dtypes
from .._core.tensor import convert_to_tensor
from ..ops import array_ops, math_ops

# Keras remembers the logits a softmax/sigmoid activation came from, so a crossentropy on the
# activation's output can work from logits (numerically stable). EagerTensors take no
# attributes here, so the link lives in a table keyed by the output's id.
_logits_of: dict = {}


def remember_logits(output, logits):
    key = id(output)
    _logits_of[key] = (weakref.ref(output), logits)
    weakref.finalize(output, _logits_of.pop, key, None)
    return output


def logits_of(output):
    """The logits `output` was made from by a Keras softmax/sigmoid, or None."""
    entry = _logits_of.get(id(output))
    if entry is not None and entry[0]() is output:
        return entry[1]
    return None


def clip(x, low, high):
    """tf.clip_by_value: the gradient passes where low <= x <= high."""
    if hasattr(_nn, "clip_by_value"):
        return _nn.clip_by_value(x, low, high)
    return math_ops.maximum(math_ops.minimum(x, high), low)


def _shifted(x, axis):
    return x - array_ops.stop_gradient(math_ops.reduce_max(x, axis=axis, keepdims=True))


def softmax(x, axis=-1):
    if hasattr(_nn, "softmax"):
        return _nn.softmax(x, axis=axis)
    e = math_ops.exp(_shifted(x, axis))
    return e / math_ops.reduce_sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    if hasattr(_nn, "log_softmax"):
        return _nn.log_softmax(x, axis=axis)
    z = _shifted(x, axis)
    return z - math_ops.log(math_ops.reduce_sum(math_ops.exp(z), axis=axis, keepdims=True))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1):
    if hasattr(_nn, "softmax_cross_entropy_with_logits"):
        return _nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis)
    return -math_ops.reduce_sum(labels * log_softmax(logits, axis), axis=axis)


def sparse_softmax_cross_entropy_with_logits(labels, logits):
    if hasattr(_nn, "sparse_softmax_cross_entropy_with_logits"):
        return _nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return softmax_cross_entropy_with_logits(one_hot(labels, logits.shape[-1], logits.dtype), logits)


def sigmoid_cross_entropy_with_logits(labels, logits):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), TF's stable form."""
    if hasattr(_nn, "sigmoid_cross_entropy_with_logits"):
        return _nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    zeros = array_ops.zeros_like(logits)
    relu_logits = math_ops.where(logits >= zeros, logits, zeros)
    neg_abs_logits = math_ops.where(logits >= zeros, -logits, logits)
    return relu_logits - logits * labels + math_ops.log1p(math_ops.exp(neg_abs_logits))


def one_hot(indices, depth, dtype=dtypes.float32):
    """Rows of the identity picked by integer indices (constant: labels carry no gradient)."""
    index = np.asarray(convert_to_tensor(indices).numpy()).astype(np.int64)
    eye = np.eye(depth, dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    rows = np.zeros(index.shape + (depth,), eye.dtype)
    valid = (index >= 0) & (index < depth)
    rows[valid] = eye[index[valid]]
    return convert_to_tensor(rows)


def argmax(x, axis=-1):
    """The index of the first largest value (int64), as tf.argmax."""
    return convert_to_tensor(np.argmax(np.asarray(convert_to_tensor(x).numpy()), axis=axis).astype(np.int64))


def keep_logits(original, converted):
    """`converted` (a conversion of `original`) keeps the logits `original` remembered."""
    logits = logits_of(original)
    if logits is not None and converted is not original:
        remember_logits(converted, logits)
    return converted
