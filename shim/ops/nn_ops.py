"""Activations from `tf.nn`, each op with its gradient beside it."""

from __future__ import annotations

import numpy as np

from .._core.ops import Op, RegisterGradient, batchable
from .._core.tensor import EagerTensor, convert_to_tensor
from . import array_ops, math_ops
from ._args import flush_denormals, scalar

_relu = Op("Relu", lambda x: np.maximum(x, 0).astype(np.asarray(x).dtype, copy=False))


def relu(features, name=None):
    return _relu(features if type(features) is EagerTensor else convert_to_tensor(features), name=name)


@RegisterGradient("Relu")
@batchable
def _relu_grad(op, grad):
    # TF's ReluGrad: the gradient passes where the output is > 0 (so 0 at x == 0).
    y = op.outputs[0]
    mask = math_ops._greater(y, scalar(0, y._dtype))
    return math_ops._select(mask, grad, array_ops.zeros_like(grad))


def _softplus_forward(x):
    # log(1 + exp(x)) without overflow: TF's kernel gives x for large x.
    return flush_denormals(np.logaddexp(np.zeros_like(x), x).astype(np.asarray(x).dtype, copy=False))


_softplus = Op("Softplus", _softplus_forward)


def softplus(features, name=None):
    return _softplus(convert_to_tensor(features), name=name)


@RegisterGradient("Softplus")
@batchable
def _softplus_grad(op, grad):
    return math_ops._mul(grad, math_ops._sigmoid(op.inputs[0]))


sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
