"""`tf.bitwise`: and, or, xor, invert and shifts of integer tensors (no gradients)."""

from __future__ import annotations

import numpy as np

from .._core.ops import NotDifferentiable, Op
from .._core.tensor import convert_to_tensor
from ._args import eager_fallback, same_dtype


def _shift(np_shift):
    def forward(x, y):
        # TF's kernels clamp the shift to [0, bits - 1]: a negative or too wide shift is defined
        bits = np.dtype(x.dtype).itemsize * 8
        return np_shift(x, np.clip(y, 0, bits - 1).astype(x.dtype))

    return forward


def _binary(op_type, forward):
    op = Op(op_type, forward, broadcasts=True)
    NotDifferentiable(op_type)

    def public(x, y, name=None):
        return op(*same_dtype(op_type, (x, y), name), name=name, unscoped=eager_fallback(x, y))

    return public


bitwise_and = _binary("BitwiseAnd", np.bitwise_and)
bitwise_or = _binary("BitwiseOr", np.bitwise_or)
bitwise_xor = _binary("BitwiseXor", np.bitwise_xor)
left_shift = _binary("LeftShift", _shift(np.left_shift))
right_shift = _binary("RightShift", _shift(np.right_shift))

_invert = Op("Invert", np.invert)
NotDifferentiable("Invert")


def invert(x, name=None):
    return _invert(convert_to_tensor(x), name=name, unscoped=eager_fallback(x))
