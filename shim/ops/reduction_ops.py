"""More reductions: logsumexp, variance, standard deviation, Euclidean norm, all, any.

reduce_logsumexp, reduce_variance and reduce_std are TF's compositions of public ops
(so their gradients and errors are those ops'); EuclideanNorm, All and Any are ops.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.ops import NotDifferentiable, Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import convert_to_tensor
from . import array_ops, math_ops
from ._args import bool_input, check_bool, checked_axes, is_tensor_like, reduction_axes, reduction_slow_path
from .elementwise_ops import _is_finite


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) computed stably: the (finite) maximum is taken out first, outside the gradient."""
    raw_max = math_ops.reduce_max(input_tensor, axis=axis, keepdims=True)
    zero = array_ops.zeros_like(raw_max)
    my_max = array_ops.stop_gradient(math_ops._select(_is_finite(raw_max), raw_max, zero))
    shifted = math_ops.exp(math_ops.subtract(input_tensor, my_max))
    result = math_ops._log(math_ops.reduce_sum(shifted, axis=axis, keepdims=keepdims))
    if not keepdims:
        my_max = array_ops._reshape(my_max, shape=result.shape.as_list())
    return math_ops.add(result, my_max)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The mean squared deviation from the mean (over `axis`); integers raise TypeError."""
    x = convert_to_tensor(input_tensor)
    means = math_ops.reduce_mean(x, axis=axis, keepdims=True)
    if means.dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type {means.dtype}.")
    diff = x - means
    if diff.dtype.is_complex:  # TF's: real(conj(d) * d), a real variance
        squared_deviations = math_ops._real(math_ops._mul(math_ops._conj(diff), diff), out_dtype=diff.dtype.real_dtype)
    else:
        squared_deviations = math_ops.square(diff)
    return math_ops.reduce_mean(squared_deviations, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(reduce_variance): its gradient is nan where the variance is 0, as in TF."""
    return math_ops._sqrt(reduce_variance(convert_to_tensor(input_tensor), axis=axis, keepdims=keepdims))


def _euclidean_norm_forward(x, axis, keepdims):
    array = np.asarray(x)
    if array.dtype.kind == "c":  # TF's kernel: |x|^2, its imaginary part exactly 0
        products = (array.real * array.real + array.imag * array.imag).astype(array.dtype)
    else:
        products = array * array
    squares = np.sum(products, axis=axis, keepdims=keepdims, dtype=array.dtype)
    if array.dtype.kind in "iu":  # TF's integer kernel: the square root of the integer sum, truncated
        return np.sqrt(squares.astype(np.float64)).astype(array.dtype)
    return np.sqrt(squares)


_euclidean_norm = Op("EuclideanNorm", _euclidean_norm_forward)
reduce_euclidean_norm = math_ops._reduction(_euclidean_norm)


@RegisterGradient("EuclideanNorm")
@batchable
def _euclidean_norm_grad(op, grad):
    """x / (norm / grad): nan where the norm is 0, as TF's formula gives."""
    kept = math_ops._kept_shape(op)
    output = array_ops._reshape(op.outputs[0], shape=kept)
    grad = array_ops._reshape(grad, shape=batch_dims(grad, op.outputs[0]) + kept)
    return math_ops._real_div(op.inputs[0], math_ops._real_div(output, grad))


def _logical_reduction(op_type, np_fn):
    op = Op(op_type, lambda x, axis, keepdims: np_fn(x, axis=axis, keepdims=keepdims), out_dtype=dtypes.bool_)
    NotDifferentiable(op_type)

    def public(input_tensor, axis=None, keepdims=False, name=None):
        if axis is None and not is_tensor_like(input_tensor):
            convert_to_tensor(input_tensor)  # TF takes the rank of the value as it is first (_ReductionDims)
        slow = reduction_slow_path(input_tensor, axis)
        x = bool_input(input_tensor, slow)  # the op's input is bool, not a type attribute
        indices, error_name = reduction_axes(axis, op_type, name, slow)  # every input converted, then checked
        check_bool(op_type, [x], error_name)
        axes = checked_axes(indices, x.ndim, op_type, error_name)
        return op(x, name=name, axis=axes, keepdims=bool(keepdims), unscoped=slow)

    return public


reduce_all = _logical_reduction("All", np.all)
reduce_any = _logical_reduction("Any", np.any)
