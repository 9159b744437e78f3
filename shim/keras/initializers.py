"""Keras initializers (seeded draws; values need not equal Keras's own)."""

from __future__ import annotations

import math

from .. import random as _random
from ..ops.array_ops import ones as _ones
from ..ops.array_ops import zeros as _zeros


class GlorotUniform:
    def __init__(self, seed=None):
        self.seed = seed

    def __call__(self, shape, dtype="float32"):
        fan_in, fan_out = (shape[0], shape[-1]) if len(shape) >= 2 else (shape[0], shape[0])
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return _random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)


class Zeros:
    def __call__(self, shape, dtype="float32"):
        return _zeros(shape, dtype)


class Ones:
    def __call__(self, shape, dtype="float32"):
        return _ones(shape, dtype)


_BY_NAME = {"glorot_uniform": GlorotUniform, "zeros": Zeros, "ones": Ones}


def get(identifier):
    if identifier is None or callable(identifier):
        return identifier
    try:
        return _BY_NAME[identifier]()
    except KeyError:
        raise ValueError(f"Could not interpret initializer identifier: {identifier}") from None
