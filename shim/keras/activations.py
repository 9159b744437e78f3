"""Keras activations by name or callable."""

from __future__ import annotations

from ..ops import math_ops, nn_ops


def linear(x):
    return x


relu = nn_ops.relu
sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
softplus = nn_ops.softplus

_BY_NAME = {"linear": linear, "relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softplus": softplus}


def get(identifier):
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    try:
        return _BY_NAME[identifier]
    except KeyError:
        raise ValueError(f"Could not interpret activation function identifier: {identifier}") from None
