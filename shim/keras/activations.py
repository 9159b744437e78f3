"""Keras activations by name or callable (`tf.keras.activations.get`)."""

from __future__ import annotations

import warnings

from ..ops import math_ops, nn_ops
from . import _ops


def linear(x):
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return nn_ops.relu(x)
    y = math_ops.where(x > threshold, x, negative_slope * (x - threshold) if negative_slope else x * 0.0)
    return math_ops.minimum(y, max_value) if max_value is not None else y


def sigmoid(x):
    # Keras keeps the logits, so a binary crossentropy on this output works from them
    return _ops.remember_logits(math_ops.sigmoid(x), x)


def softmax(x, axis=-1):
    if isinstance(axis, int) and x.shape.rank and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape.as_list())}. "
            "This axis has size 1. The softmax operation will always return the value 1, which is likely "
            "not what you intended. Did you mean to use a sigmoid instead?",
            UserWarning,
            stacklevel=2,
        )
    return _ops.remember_logits(_ops.softmax(x, axis=axis), x)


def log_softmax(x, axis=-1):
    return _ops.log_softmax(x, axis=axis)


tanh = math_ops.tanh
softplus = nn_ops.softplus


def softsign(x):
    return x / (math_ops.abs(x) + 1.0)


def exponential(x):
    return math_ops.exp(x)


def elu(x, alpha=1.0):
    return math_ops.where(x > 0.0, x, alpha * (math_ops.exp(math_ops.minimum(x, 0.0)) - 1.0))


def selu(x):
    alpha, scale = 1.67326324, 1.05070098
    return scale * elu(x, alpha)


def silu(x):
    return x * math_ops.sigmoid(x)


swish = silu


def relu6(x):
    return math_ops.minimum(nn_ops.relu(x), 6.0)


def leaky_relu(x, negative_slope=0.2):
    return math_ops.where(x > 0.0, x, x * negative_slope)


def hard_sigmoid(x):
    return relu6(x + 3.0) / 6.0


_BY_NAME = {
    "linear": linear,
    "relu": relu,
    "sigmoid": sigmoid,
    "softmax": softmax,
    "log_softmax": log_softmax,
    "tanh": tanh,
    "softplus": softplus,
    "softsign": softsign,
    "exponential": exponential,
    "elu": elu,
    "selu": selu,
    "silu": silu,
    "swish": swish,
    "relu6": relu6,
    "leaky_relu": leaky_relu,
    "hard_sigmoid": hard_sigmoid,
}


def get(identifier):
    """The activation function named `identifier`, or `identifier` itself when callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")


def serialize(activation) -> str:
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", str(activation))
