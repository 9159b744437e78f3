"""Activations from `tf.nn`, each op with its gradient beside it.

Kernels follow TF's CPU formulas (Eigen's selects, exp(x) - 1 rather than expm1,
max-shifted softmax), and each gradient takes the same tensor TF's does (the input
for Relu6 and LeakyRelu, the output for Elu and Selu), which sets the value at the kinks.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._core import dtypes, errors
from .._core.custom_gradient import custom_gradient
from .._core.ops import Op, RegisterGradient, batchable
from .._core.tensor import EagerTensor, convert_to_tensor
from . import array_ops, math_ops
from ._args import eager_fallback, flush_denormals, scalar
from ._eigen import half_sum


def _features(features):
    return features if type(features) is EagerTensor else convert_to_tensor(features)


def _unscoped(features, name):
    """TF's slow path (a list or numpy scalar input) drops " name: " from kernel errors, named or not."""
    return eager_fallback(features)


# -- relu, relu6, leaky_relu -------------------------------------------------------------

_relu = Op("Relu", lambda x: np.maximum(x, 0).astype(np.asarray(x).dtype, copy=False))


def relu(features, name=None):
    return _relu(_features(features), name=name, unscoped=_unscoped(features, name))


def _activation_grad(op_type: str, forward) -> Op:
    """TF's `op_type` (ReluGrad, Relu6Grad, LeakyReluGrad): an op of (gradients, features) whose own
    gradient sends the upstream one through the same op and zeros to the features, connected: a
    second derivative through relu is zeros, not None."""
    grad_op = Op(op_type, forward, uniform=True)

    @RegisterGradient(op_type)
    def _grad_grad(op, grad):
        features = op.inputs[1]
        return grad_op(grad, features, **op.attrs), array_ops.zeros_like(features)

    return grad_op


def _passed_where(inside):
    """A kernel passing `gradients` where `inside(features)` holds, zeros elsewhere (Eigen's select)."""
    return lambda gradients, features: np.where(inside(features), gradients, np.zeros((), np.asarray(gradients).dtype))


# the gradient passes where the output is > 0 (so 0 at x == 0)
_relu_grad_op = _activation_grad("ReluGrad", _passed_where(lambda y: y > 0))


@RegisterGradient("Relu")
@batchable
def _relu_grad(op, grad):
    return _relu_grad_op(grad, op.outputs[0])


_relu6 = Op("Relu6", lambda x: np.clip(x, 0, 6).astype(np.asarray(x).dtype, copy=False))


def relu6(features, name=None):
    return _relu6(_features(features), name=name, unscoped=_unscoped(features, name))


# on the input: passes strictly inside (0, 6), so 0 at both kinks
_relu6_grad_op = _activation_grad("Relu6Grad", _passed_where(lambda x: (x > 0) & (x < 6)))


@RegisterGradient("Relu6")
@batchable
def _relu6_grad(op, grad):
    return _relu6_grad_op(grad, op.inputs[0])


def _leaky_relu_forward(x, alpha):
    x = np.asarray(x)
    return np.where(x > 0, x, x * x.dtype.type(alpha)).astype(x.dtype, copy=False)  # alpha: a float32 attr


_leaky_relu = Op("LeakyRelu", _leaky_relu_forward)


def leaky_relu(features, alpha=0.2, name=None):
    """max-like leak: x where x > 0, alpha * x elsewhere (integers are cast to float32 first, as in TF)."""
    x = _features(features)
    if x._dtype.is_integer:
        x = array_ops.cast(x, dtypes.float32)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"Expected float for argument 'alpha' not {alpha!r}.")
    return _leaky_relu(x, name=name, alpha=np.float32(alpha))  # TF's attr is float32, in float64 too


def _leaky_relu_grad_forward(gradients, features, alpha):
    gradients = np.asarray(gradients)
    return np.where(features > 0, gradients, gradients * gradients.dtype.type(alpha))


# on the input: alpha * grad at x <= 0 (so alpha at 0)
_leaky_relu_grad_op = _activation_grad("LeakyReluGrad", _leaky_relu_grad_forward)


@RegisterGradient("LeakyRelu")
@batchable
def _leaky_relu_grad(op, grad):
    return _leaky_relu_grad_op(grad, op.inputs[0], alpha=op.attrs["alpha"])


# -- elu, selu -------------------------------------------------------------------------

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717


def _elu_forward(x):
    x = np.asarray(x)
    one = x.dtype.type(1)
    return flush_denormals(np.where(x < 0, np.exp(x) - one, x).astype(x.dtype, copy=False))


def _selu_forward(x):
    x = np.asarray(x)
    t = x.dtype.type
    negative = t(_SELU_SCALE * _SELU_ALPHA) * (np.exp(x) - t(1))
    return flush_denormals(np.where(x < 0, negative, t(_SELU_SCALE) * x).astype(x.dtype, copy=False))


_elu = Op("Elu", _elu_forward)
_selu = Op("Selu", _selu_forward)


def elu(features, name=None):
    return _elu(_features(features), name=name, unscoped=_unscoped(features, name))


def selu(features, name=None):
    return _selu(_features(features), name=name, unscoped=_unscoped(features, name))


@RegisterGradient("Elu")
@batchable
def _elu_grad(op, grad):
    # TF's EluGrad on the output: grad * (y + 1) where y < 0, grad elsewhere (1 at 0).
    y = op.outputs[0]
    negative = math_ops._mul(grad, math_ops._add_v2(y, scalar(1, y._dtype)))
    return math_ops._select(math_ops._less(y, scalar(0, y._dtype)), negative, grad)


@RegisterGradient("Selu")
@batchable
def _selu_grad(op, grad):
    # TF's SeluGrad on the output: grad * (y + scale * alpha) where y < 0, grad * scale elsewhere.
    y = op.outputs[0]
    negative = math_ops._mul(grad, math_ops._add_v2(y, scalar(_SELU_SCALE * _SELU_ALPHA, y._dtype)))
    positive = math_ops._mul(grad, scalar(_SELU_SCALE, y._dtype))
    return math_ops._select(math_ops._less(y, scalar(0, y._dtype)), negative, positive)


# -- softplus ----------------------------------------------------------------------------


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


# -- gelu, silu (composites, as in TF: their gradients come from the ops they use) --------------


def gelu(features, approximate=False, name=None):
    """x * Phi(x): exactly with erfc, or with TF's tanh approximation."""
    x = convert_to_tensor(features)
    if not x._dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype={x._dtype}")
    half = scalar(0.5, x._dtype)
    if approximate:
        cube = math_ops.pow(x, scalar(3, x._dtype))
        inner = math_ops.multiply(scalar(0.7978845608028654, x._dtype), x + _float32_constant(0.044715, x) * cube)
        return half * x * (scalar(1.0, x._dtype) + math_ops.tanh(inner))
    return half * x * _erfc()(-x * _float32_constant(0.7071067811865476, x))


def _float32_constant(value, x):
    """TF casts these constants to x's dtype from float32 tensors: float64 sees them rounded."""
    return scalar(np.float32(value), x._dtype)


def _erfc():
    from . import elementwise_ops  # tf.math.erfc, imported late: it belongs to the math ops

    return elementwise_ops.erfc


def silu(features, beta=1.0):
    """x * sigmoid(beta * x), with TF's own gradient (beta gets the sum over all elements)."""
    features = convert_to_tensor(features)
    beta = array_ops.cast(convert_to_tensor(beta), features._dtype)

    @custom_gradient
    def swish_impl(features, beta):
        def grad(dy):
            s = math_ops.sigmoid(beta * features)
            one = scalar(1.0, s._dtype)
            activation_grad = s * (one + beta * features * (one - s))
            beta_grad = math_ops.reduce_sum(dy * math_ops.square(features) * s * (one - s))
            return dy * activation_grad, beta_grad

        return features * math_ops.sigmoid(beta * features), grad

    return swish_impl(features, beta)


swish = silu


# -- softmax, log_softmax ------------------------------------------------------------------


def _along_last(compute):
    """Runs `compute` on the last axis, as TF's kernel does after moving `axis` there."""

    def forward(x, axis):
        moved = np.moveaxis(np.asarray(x), axis, -1)
        if moved.size == 0:
            return np.asarray(x).copy()
        return np.moveaxis(compute(moved - np.max(moved, axis=-1, keepdims=True)), -1, axis)

    return forward


def _row_sums(x):
    if x.dtype == np.float16:
        return half_sum(x, (x.ndim - 1,), True)  # TF's order of additions shows in half precision
    return np.sum(x, axis=-1, keepdims=True)


@_along_last
def _softmax_forward(shifted):
    e = np.exp(shifted)
    return flush_denormals(e * np.reciprocal(_row_sums(e)))


@_along_last
def _log_softmax_forward(shifted):
    return shifted - np.log(_row_sums(np.exp(shifted)))


_softmax = Op("Softmax", _softmax_forward)
_log_softmax = Op("LogSoftmax", _log_softmax_forward)


def _softmax_call(op, logits, axis, name):
    logits = _features(logits)
    rank = logits.ndim
    if axis is None:
        axis = -1
    if isinstance(axis, EagerTensor) or hasattr(axis, "numpy"):
        axis = int(np.asarray(convert_to_tensor(axis).numpy()))
    axis = int(axis)
    if axis != -1 and axis != rank - 1 and not -rank <= axis < rank:  # the last axis goes to the kernel unchecked
        raise errors.InvalidArgumentError(
            None,
            None,
            f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of dimensions in the input. "
            f"Received: dim={axis}",
        )
    if rank == 0:
        raise errors.kernel_error(op.type, "logits must have >= 1 dimension, got []", "" if name is None else name)
    return op(logits, name=name, axis=axis % rank - rank)  # negative: also right with a jacobian's leading rows


def softmax(logits, axis=None, name=None):
    return _softmax_call(_softmax, logits, axis, name)


def log_softmax(logits, axis=None, name=None):
    return _softmax_call(_log_softmax, logits, axis, name)


def _sum_along(x, axis):
    """reduce_sum over one negative axis, keeping it (the Sum op wants it non-negative)."""
    return math_ops._sum(x, axis=(x.ndim + axis,), keepdims=True)


@RegisterGradient("Softmax")
@batchable
def _softmax_grad(op, grad):
    # (grad - sum(grad * y)) * y along the axis
    y = op.outputs[0]
    inner = _sum_along(math_ops._mul(grad, y), op.attrs["axis"])
    return math_ops._mul(math_ops._sub(grad, inner), y)


@RegisterGradient("LogSoftmax")
@batchable
def _log_softmax_grad(op, grad):
    # grad - sum(grad) * softmax, the softmax recovered as exp(output)
    probabilities = math_ops._exp(op.outputs[0])
    return math_ops._sub(grad, math_ops._mul(_sum_along(grad, op.attrs["axis"]), probabilities))
