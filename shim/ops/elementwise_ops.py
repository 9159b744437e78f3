"""More elementwise math of `tf.math`: inverse and hyperbolic trigonometry, erf, expm1,
log_sigmoid, the binary ops atan2, divide_no_nan, multiply_no_nan and xlogy, and add_n.

Each op's gradient is TF's math_grad.py formula, written with shim ops (so an outer
tape records it) and batchable: every factor is elementwise and broadcasts over a
jacobian's leading rows. Complex inputs are conjugated where TF conjugates them
(math_ops._conj_if_complex); xlogy, xdivy and multiply_no_nan are not, as in TF.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.indexed_slices import is_indexed_slices, to_dense
from .._core.ops import NotDifferentiable, Op, RegisterGradient, batchable
from .._core.tensor import EagerTensor, convert_to_tensor
from . import array_ops, nn_ops
from ._args import check_same, flush_denormals, is_tensor_like, scalar
from .math_ops import (
    _add_v2,
    _binary,
    _binary_grads,
    _conj_if_complex,
    _div_no_nan,
    _exp,
    _mul,
    _neg,
    _not_equal_op,
    _real_div,
    _reciprocal,
    _sqrt,
    _square,
    _sub,
    _unary,
)

# -- inverse trigonometry ---------------------------------------------------------------------

_acos, acos = _unary("Acos", np.arccos)
_asin, asin = _unary("Asin", np.arcsin)
_atan, atan = _unary("Atan", np.arctan)


def _one_minus_square(x):
    return _sub(scalar(1, x._dtype), _square(x))


@RegisterGradient("Acos")
@batchable
def _acos_grad(op, grad):
    return _mul(_neg(grad), _reciprocal(_sqrt(_one_minus_square(_conj_if_complex(op.inputs[0])))))


@RegisterGradient("Asin")
@batchable
def _asin_grad(op, grad):
    return _mul(grad, _reciprocal(_sqrt(_one_minus_square(_conj_if_complex(op.inputs[0])))))


@RegisterGradient("Atan")
@batchable
def _atan_grad(op, grad):
    x = _conj_if_complex(op.inputs[0])
    return _mul(grad, _reciprocal(_add_v2(scalar(1, x._dtype), _square(x))))


# -- hyperbolic functions and their inverses ----------------------------------------------------

_sinh, sinh = _unary("Sinh", lambda x: flush_denormals(np.sinh(x)))
_cosh, cosh = _unary("Cosh", np.cosh)
_asinh, asinh = _unary("Asinh", np.arcsinh)
_acosh, acosh = _unary("Acosh", np.arccosh)
_atanh, atanh = _unary("Atanh", np.arctanh)


@RegisterGradient("Sinh")
@batchable
def _sinh_grad(op, grad):
    return _mul(grad, _cosh(_conj_if_complex(op.inputs[0])))


@RegisterGradient("Cosh")
@batchable
def _cosh_grad(op, grad):
    return _mul(grad, _sinh(_conj_if_complex(op.inputs[0])))


@RegisterGradient("Asinh")
@batchable
def _asinh_grad(op, grad):
    return _real_div(grad, _cosh(_conj_if_complex(op.outputs[0])))  # TF's: through the output, 1 / cosh(asinh(x))


@RegisterGradient("Acosh")
@batchable
def _acosh_grad(op, grad):
    return _real_div(grad, _sinh(_conj_if_complex(op.outputs[0])))  # infinite at x = 1, as in TF


@RegisterGradient("Atanh")
@batchable
def _atanh_grad(op, grad):
    return _mul(grad, _reciprocal(_one_minus_square(_conj_if_complex(op.inputs[0]))))


# -- erf, erfc, expm1, log_sigmoid ------------------------------------------------------------


def _in_float64(scalar_fn):
    """A float64 Python math function applied elementwise, rounded back to the input's dtype."""
    vectorized = np.vectorize(scalar_fn, otypes=[np.float64])

    def forward(x):
        array = np.asarray(x)
        return flush_denormals(vectorized(array).astype(array.dtype))

    return forward


_erf, erf = _unary("Erf", _in_float64(math.erf))
_erfc, erfc = _unary("Erfc", _in_float64(math.erfc))


def _gaussian_grad(op, grad, coefficient):
    """grad * coefficient * exp(-x^2): the derivative of erf (coefficient 2/sqrt(pi)) or erfc."""
    x = op.inputs[0]
    return _mul(_mul(grad, scalar(coefficient, grad._dtype)), _exp(_neg(_square(x))))


@RegisterGradient("Erf")
@batchable
def _erf_grad(op, grad):
    return _gaussian_grad(op, grad, 2 / np.sqrt(np.pi))


@RegisterGradient("Erfc")
@batchable
def _erfc_grad(op, grad):
    return _gaussian_grad(op, grad, -2 / np.sqrt(np.pi))


_expm1, expm1 = _unary("Expm1", lambda x: flush_denormals(np.expm1(x)))


@RegisterGradient("Expm1")
@batchable
def _expm1_grad(op, grad):
    return _mul(grad, _exp(_conj_if_complex(op.inputs[0])))


def log_sigmoid(x, name=None):
    """`tf.math.log_sigmoid`: -softplus(-x), as TF composes it (so its errors are Neg's, then Softplus's)."""
    x = convert_to_tensor(x, name="x")
    return _neg(nn_ops._softplus(_neg(x)))


# -- binary ---------------------------------------------------------------------------------

_atan2, atan2 = _binary("Atan2", np.arctan2)


@RegisterGradient("Atan2")
@batchable
def _atan2_grad(op, grad):
    y, x = op.inputs
    grad_inv = _real_div(grad, _add_v2(_square(y), _square(x)))
    return _binary_grads(op, lambda: _mul(x, grad_inv), lambda: _mul(_neg(y), grad_inv))


def _xlogy_forward(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return np.where(x == 0, x.dtype.type(0), x * np.log(y)).astype(x.dtype)


_xlogy, xlogy = _binary("Xlogy", _xlogy_forward)


def _xdivy_forward(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return np.where(x == 0, x.dtype.type(0), x / y).astype(x.dtype)


_xdivy = Op("Xdivy", _xdivy_forward, broadcasts=True)  # only inside xlogy's gradient


@RegisterGradient("Xlogy")
@batchable
def _xlogy_grad(op, grad):
    x, y = op.inputs
    not_zero_x = array_ops.cast(_not_equal_op(x, scalar(0, x._dtype)), x._dtype)
    return _binary_grads(op, lambda: _mul(_xlogy(not_zero_x, y), grad), lambda: _mul(_xdivy(x, y), grad))


@RegisterGradient("Xdivy")
@batchable
def _xdivy_grad(op, grad):
    x, y = op.inputs
    not_zero_x = array_ops.cast(_not_equal_op(x, scalar(0, x._dtype)), x._dtype)
    return _binary_grads(op, lambda: _mul(_xdivy(not_zero_x, y), grad), lambda: _mul(_xdivy(_neg(x), _square(y)), grad))


def _same_dtype_or_type_error(x, y, period):
    if x._dtype is not y._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x._dtype!r} != {y._dtype!r}{period}")


# Integer quotients are computed in floats, as for `/`.
_DIVIDE_NO_NAN_TYPES = {
    dtypes.uint8: dtypes.float32,
    dtypes.int8: dtypes.float32,
    dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32,
    dtypes.uint32: dtypes.float64,
    dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64,
    dtypes.int64: dtypes.float64,
    dtypes.bfloat16: None,
    dtypes.float16: None,
    dtypes.float32: None,
    dtypes.float64: None,
    dtypes.complex64: None,
    dtypes.complex128: None,
}


def divide_no_nan(x, y, name=None):
    """`tf.math.divide_no_nan`: x / y, but 0 wherever y is 0 (even for a nan or infinite x)."""
    if not is_tensor_like(x) and is_tensor_like(y):
        y = convert_to_tensor(y, name="y")
        x = convert_to_tensor(x, dtype=y._dtype, name="x")
    else:
        x = convert_to_tensor(x, name="x")
        y = y if type(y) is EagerTensor else convert_to_tensor(y, dtype_hint=x._dtype, name="y")
    _same_dtype_or_type_error(x, y, ".")
    if x._dtype not in _DIVIDE_NO_NAN_TYPES:
        expected = ", ".join(repr(d) for d in _DIVIDE_NO_NAN_TYPES)
        raise TypeError(f"Invalid dtype {x._dtype!r} in tf.math.divide_no_nan. Expected one of {{{expected}}}.")
    target = _DIVIDE_NO_NAN_TYPES[x._dtype]
    if target is not None:
        x, y = array_ops.cast(x, target), array_ops.cast(y, target)
    return _div_no_nan(x, y, name=name)


def _mul_no_nan_forward(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return np.where(y == 0, y.dtype.type(0), x * y).astype(y.dtype)


_mul_no_nan = Op("MulNoNan", _mul_no_nan_forward, broadcasts=True)


def multiply_no_nan(x, y, name=None):
    """`tf.math.multiply_no_nan`: x * y, but 0 wherever y is 0 (even for a nan or infinite x)."""
    x = convert_to_tensor(x, name="x")
    y = convert_to_tensor(y, dtype=x._dtype, name="y")
    _same_dtype_or_type_error(x, y, "")
    return _mul_no_nan(x, y, name=name)


@RegisterGradient("MulNoNan")
@batchable
def _mul_no_nan_grad(op, grad):
    x, y = op.inputs
    return _binary_grads(op, lambda: _mul_no_nan(grad, y), lambda: _mul_no_nan(x, grad))


# -- add_n --------------------------------------------------------------------------------

_ADD_N_INPUTS = "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape."


def _add_n_forward(*values):
    total = values[0]
    for value in values[1:]:
        total = total + value
    return np.asarray(total, dtype=np.asarray(values[0]).dtype)


_add_n = Op("AddN", _add_n_forward)


def add_n(inputs, name=None):
    """`tf.math.add_n`: the sum of same-shaped, same-dtype tensors (no broadcasting)."""
    inputs = list(inputs)  # TF's dispatch iterates it first: a tensor's rows are the summands
    if not inputs:
        raise ValueError(_ADD_N_INPUTS)
    inputs = [value if is_indexed_slices(value) or value is None else convert_to_tensor(value) for value in inputs]
    if any(value is None for value in inputs):
        raise ValueError(_ADD_N_INPUTS)
    inputs = [to_dense(value) if is_indexed_slices(value) else value for value in inputs]
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name) if name else inputs[0]
    check_same("AddN", inputs, name)
    first = inputs[0]._value.shape
    for i, value in enumerate(inputs[1:], 1):
        if value._value.shape != first:
            text = (
                "Inputs to operation AddN of type AddN must have the same size and shape.  "
                f"Input 0: {shape_text(first)} != input {i}: {shape_text(value._value.shape)}"
            )
            raise errors.kernel_error("AddN", text, name or "", function=f"AddN_N_{len(inputs)}")
    return _add_n(*inputs, name=name)


@RegisterGradient("AddN")
@batchable
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)  # the sum passes its gradient to every input unchanged


# -- classification (no gradients) ------------------------------------------------------------


def _classifier(op_type, fn):
    op = Op(op_type, fn, out_dtype=dtypes.bool_)
    NotDifferentiable(op_type)

    def public(x, name=None):
        return op(x if type(x) is EagerTensor else convert_to_tensor(x), name=name)

    return op, public


_is_nan, is_nan = _classifier("IsNan", np.isnan)
_is_inf, is_inf = _classifier("IsInf", np.isinf)
_is_finite, is_finite = _classifier("IsFinite", np.isfinite)
