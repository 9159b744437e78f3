"""Arithmetic, elementwise math, reductions and matmul: each op with its gradient beside it.

Gradients follow TF's math_grad.py formulas (same expressions, same kinks) and
are written with the Op objects below, so an outer tape records them.
"""

from __future__ import annotations

import operator

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.indexed_slices import is_indexed_slices, to_dense
from .._core.ops import (
    NotDifferentiable,
    Op,
    RegisterGradient,
    batch_dims,
    batchable,
    takes_indexed_slices,
    unsupported_dtype,
)
from .._core.tensor import EagerTensor, convert_to_tensor
from . import array_ops
from ._eigen import half_sum
from ._args import (
    axis_tuple,
    bool_input,
    bool_inputs,
    check_bool,
    check_same,
    converted_alike,
    eager_fallback,
    flush_denormals,
    hinted,
    is_tensor_like,
    matching_eager,
    reduction_slow_path,
    same_dtype,
    scalar,
)

# -- helpers -------------------------------------------------------------------------


def reduce_to_shape(grad, shape, batch=()):
    """Sums a broadcast gradient back down to `shape` (TF's BroadcastGradientArgs + Sum + Reshape),
    keeping its leading `batch` dimensions (a jacobian's rows)."""
    grad_shape = grad._value.shape
    shape = tuple(batch) + tuple(shape)
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    kept = len(batch)
    axes = tuple(range(kept, kept + lead)) + tuple(
        lead + i for i, d in enumerate(shape) if i >= kept and d == 1 and grad_shape[lead + i] != 1
    )
    summed = _sum(grad, axis=axes, keepdims=False) if axes else grad
    return array_ops._reshape(summed, shape=shape)


def _binary(op_type, fn):
    op = Op(op_type, fn, broadcasts=True)

    def public(x, y, name=None):
        if type(x) is EagerTensor:
            if type(y) is EagerTensor and x._dtype is y._dtype:
                return op(x, y, name=name)
            if type(y) is float or type(y) is int:  # the dtype comes from x, as in same_dtype
                return op(x, convert_to_tensor(y, dtype=x._dtype), name=name)
        return op(*same_dtype(op_type, (x, y), name), name=name, unscoped=eager_fallback(x, y))

    return op, public


def _unary(op_type, fn):
    op = Op(op_type, fn)

    def public(x, name=None):
        if type(x) is EagerTensor:
            return op(x, name=name)
        # TF's wrapper leaves its fast path for lists, tuples, numpy scalars and strings: no " name: " in errors
        slow = eager_fallback(x) or isinstance(x, (str, bytes))
        return op(convert_to_tensor(x), name=name, unscoped=slow)

    public.__name__ = op_type.lower()
    return op, public


def _shape(t):
    return t._value.shape


def _binary_grads(op, grad_x, grad_y, first=0):
    """Gradients of a broadcasting binary op (inputs `first`, `first + 1`): each computed
    only if its input needs one, then summed back to that input's shape (plus batch dims)."""
    inputs = op.inputs
    skip = op.skip_input_indices
    out = op.outputs[0]
    gx = gy = None
    if first not in skip:
        g = grad_x()
        gx = reduce_to_shape(g, np.shape(inputs[first]._value), batch_dims(g, out))
    if first + 1 not in skip:
        g = grad_y()
        gy = reduce_to_shape(g, np.shape(inputs[first + 1]._value), batch_dims(g, out))
    return gx, gy


# -- add, subtract, multiply, divide -------------------------------------------------------

# Python operators, not ufunc calls: same results, and 20x faster on numpy scalars.
_add_v2 = Op("AddV2", operator.add, broadcasts=True)
_add_strings = Op("Add", lambda x, y: np.char.add(x.astype(bytes), y.astype(bytes)).astype(object), broadcasts=True)


def add(x, y, name=None):
    """`tf.add`: y takes x's dtype only as a hint, so a mismatch fails the op's type check."""
    if not (type(x) is EagerTensor and type(y) is EagerTensor and x._dtype is y._dtype):
        x, y = hinted(x, y)
    op = _add_strings if x._dtype is dtypes.string else _add_v2
    check_same(op.type, (x, y), name)
    return op(x, y, name=name)


def add_same_dtype(x, y):
    """Gradient aggregation: both are tensors of one dtype already."""
    return _add_v2(x, y)


@RegisterGradient("AddV2")
@batchable
@takes_indexed_slices
def _add_grad(op, grad):
    if grad is None and _passes_through(op):  # a None output_gradient: TF's fast path hands it on
        return None, None
    if is_indexed_slices(grad):
        if _adds_unwatched_scalar(op):  # TF's fast path hands IndexedSlices on too; else they are summed
            return grad, None
        grad = to_dense(grad)
    return _binary_grads(op, lambda: grad, lambda: grad)


def _adds_unwatched_scalar(op) -> bool:
    """TF's first fast path of _AddGrad and _SubGrad: y is a scalar that needs no gradient."""
    return 1 in op.skip_input_indices and np.ndim(op.inputs[1]._value) == 0


def _passes_through(op) -> bool:
    """TF's _AddGrad returns the upstream gradient untouched when no input needs a reduction."""
    x, y = op.inputs
    shape, skip = op.outputs[0]._value.shape, op.skip_input_indices
    if 1 in skip and np.ndim(y._value) == 0:
        return True
    return all(i in skip or np.shape(t._value) == shape for i, t in enumerate(op.inputs))


_sub, subtract = _binary("Sub", operator.sub)


@RegisterGradient("Sub")
@batchable
@takes_indexed_slices
def _sub_grad(op, grad):
    if is_indexed_slices(grad):
        if _adds_unwatched_scalar(op):
            return grad, None
        grad = to_dense(grad)
    return _binary_grads(op, lambda: grad, lambda: _neg(grad))


_mul, multiply = _binary("Mul", operator.mul)


@RegisterGradient("Mul")
@batchable
def _mul_grad(op, grad):
    x, y = op.inputs
    if x._dtype.is_complex:  # TF's convention for complex inputs: the upstream gradient times conj(f'(z))
        return _binary_grads(op, lambda: _mul(grad, _conj(y)), lambda: _mul(_conj(x), grad))
    return _binary_grads(op, lambda: _mul(grad, y), lambda: _mul(x, grad))


_real_div = Op("RealDiv", operator.truediv, broadcasts=True)


# TF's _TRUEDIV_TABLE, in its order
_TRUEDIV_DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "bfloat16", "float16")
_TRUEDIV_DTYPES += ("float32", "float64", "complex64", "complex128")


def truediv(x, y, name=None):
    """`x / y`: integers are cast to floats first (int8/16 and uint8 to float32, else float64)."""
    if not (type(x) is EagerTensor and type(y) is EagerTensor):
        x, y = hinted(x, y)
    if x._dtype is not y._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x._dtype!r} != {y._dtype!r}.")
    if x._dtype.name not in _TRUEDIV_DTYPES:  # TF's _truediv_python3 looks the dtype up before any op runs
        expected = ", ".join(f"tf.{d}" for d in _TRUEDIV_DTYPES)
        raise TypeError(f"Invalid dtype {x._dtype!r} in __truediv__. Expected one of {{{expected}}}.")
    if x._dtype.is_integer:
        target = dtypes.float32 if x._dtype.size <= 2 else dtypes.float64
        x, y = array_ops.cast(x, target), array_ops.cast(y, target)
    return _real_div(x, y, name=name)


def divide(x, y, name=None):
    """`tf.math.divide`: x, when not a tensor, is converted to y's dtype (strictly), then `x / y`."""
    if name is not None:
        return truediv(x, y, name=name)
    if not is_tensor_like(x):
        x = convert_to_tensor(x, dtype=y.dtype if is_tensor_like(y) else None)
    return x / y  # the operator: a refused pair falls back to y's reflected `/`, as in TF


@RegisterGradient("RealDiv")
@batchable
def _real_div_grad(op, grad):
    x, y = op.inputs
    x, y = _conj_if_complex(x), _conj_if_complex(y)  # TF's: conj(x), conj(y) for complex inputs
    return _binary_grads(op, lambda: _real_div(grad, y), lambda: _mul(grad, _real_div(_real_div(_neg(x), y), y)))


def _int_division_by_zero(x, y) -> bool:
    """A zero divisor fails TF's integer kernels, unless the broadcast result is empty (the kernel does not run)."""
    return np.any(np.asarray(y) == 0) and np.broadcast(x, y).size > 0


def _floor_div_forward(x, y):
    if np.asarray(x).dtype.kind in "iu":
        if _int_division_by_zero(x, y):
            raise errors.KernelError("Integer division by zero")
        return np.floor_divide(x, y)
    return np.floor(np.true_divide(x, y))  # TF: floor(x / y), not numpy's fmod-based quotient (1 // 0.1 is 10)


_floor_div, floordiv = _binary("FloorDiv", _floor_div_forward)
NotDifferentiable("FloorDiv")


def _floor_mod_forward(x, y):
    if np.asarray(x).dtype.kind in "iu" and _int_division_by_zero(x, y):
        raise errors.KernelError("Integer division by zero")
    if np.asarray(x).dtype.kind == "f":
        # TF's kernel: fmod, moved by y when the signs differ; a zero keeps x's sign (numpy's takes y's)
        rest = np.fmod(x, y)
        return np.where((rest != 0) & ((rest < 0) != (np.asarray(y) < 0)), rest + y, rest)
    return np.mod(x, y)


_floor_mod, floormod = _binary("FloorMod", _floor_mod_forward)


@RegisterGradient("FloorMod")
@batchable
def _floor_mod_grad(op, grad):
    x, y = op.inputs
    return _binary_grads(op, lambda: grad, lambda: _mul(grad, _neg(_floor_div(x, y))))


def _pow_forward(x, y):
    if np.asarray(x).dtype.kind in "iu" and np.any(np.asarray(y) < 0) and np.broadcast(x, y).size > 0:
        # as TF's kernel, which does not run for an empty result
        raise errors.KernelError("Integers to negative integer powers are not allowed")
    if np.asarray(x).dtype.kind == "c":  # TF (std::pow): exp(y * log(x)), so 0j ** 0 is nan
        with np.errstate(all="ignore"):
            return np.exp(y * np.log(x))
    return np.power(x, y)


_pow, pow = _binary("Pow", _pow_forward)  # noqa: A001 (TF's name)


@RegisterGradient("Pow")
@batchable
def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    if x._dtype.is_complex:  # TF's: conj(x), conj(y) and conj(z) in the formulas
        x, y, z = _conj(x), _conj(y), _conj(z)

    def grad_y():
        # log(x) only where x > 0 (x != 0 for complex x), avoiding TF's "false singularity" at x = 0.
        zero = scalar(0, x._dtype)
        mask = _not_equal_op(x, zero) if x._dtype.is_complex else _greater(x, zero)
        safe_x = _select(mask, x, array_ops.ones_like(x))
        log_x = _select(mask, _log(safe_x), array_ops.zeros_like(x))
        return _mul(_mul(grad, z), log_x)

    return _binary_grads(op, lambda: _mul(_mul(grad, y), _pow(x, _sub(y, scalar(1, y._dtype)))), grad_y)


_maximum, maximum = _binary("Maximum", np.maximum)
_minimum, minimum = _binary("Minimum", np.minimum)


def _max_min_grad(op, grad, selector):
    mask = selector(*op.inputs)
    zeros = array_ops.zeros_like(grad)
    return _binary_grads(op, lambda: _select(mask, grad, zeros), lambda: _select(mask, zeros, grad))


@RegisterGradient("Maximum")
@batchable
def _maximum_grad(op, grad):
    return _max_min_grad(op, grad, _greater_equal)  # ties go to x, as in TF


@RegisterGradient("Minimum")
@batchable
def _minimum_grad(op, grad):
    return _max_min_grad(op, grad, _less_equal)


def _squared_difference_forward(x, y):
    diff = np.subtract(x, y)
    if diff.dtype.kind == "c":  # TF's kernel: |x - y|^2, its imaginary part exactly 0
        return (diff.real * diff.real + diff.imag * diff.imag).astype(diff.dtype)
    return np.square(diff)


_squared_difference, squared_difference = _binary("SquaredDifference", _squared_difference_forward)


@RegisterGradient("SquaredDifference")
@batchable
def _squared_difference_grad(op, grad):
    x, y = op.inputs
    two_diff = _mul(scalar(2, grad._dtype), _mul(grad, _sub(x, y)))
    return _binary_grads(op, lambda: two_diff, lambda: _neg(two_diff))


# -- comparisons and logic (no gradients) ---------------------------------------------


def _comparison(op_type, fn):
    op = Op(op_type, fn, out_dtype=dtypes.bool_, broadcasts=True)
    NotDifferentiable(op_type)

    def public(x, y, name=None):
        return op(*same_dtype(op_type, (x, y), name), name=name, unscoped=eager_fallback(x, y))

    return op, public


_less, less = _comparison("Less", np.less)
_less_equal, less_equal = _comparison("LessEqual", np.less_equal)
_greater, greater = _comparison("Greater", np.greater)
_greater_equal, greater_equal = _comparison("GreaterEqual", np.greater_equal)
_equal_op, equal = _comparison("Equal", np.equal)
_not_equal_op, not_equal = _comparison("NotEqual", np.not_equal)


def _lenient(op, x, y, name):
    """Equal/NotEqual as the `==` operator runs them: incompatible shapes give a scalar answer."""
    x, y = same_dtype(op.type, (x, y), name)
    try:
        np.broadcast_shapes(np.shape(x._value), np.shape(y._value))
    except ValueError:
        return convert_to_tensor(op.type == "NotEqual")
    return op(x, y, name=name)


def equal_lenient(x, y):
    return _lenient(_equal_op, x, y, None)


def not_equal_lenient(x, y):
    return _lenient(_not_equal_op, x, y, None)


def _logical(op_type, fn):
    """LogicalAnd/Or/Not: their inputs are bool, not a type attribute (ints and floats are refused)."""
    op = Op(op_type, fn, out_dtype=dtypes.bool_, broadcasts=True)
    NotDifferentiable(op_type)

    def public(*args, name=None):
        return op(*bool_inputs(op_type, args, name), name=name, unscoped=eager_fallback(*args))

    return op, public


_logical_and, _logical_and_public = _logical("LogicalAnd", np.logical_and)
_logical_or, _logical_or_public = _logical("LogicalOr", np.logical_or)
_logical_not, _logical_not_public = _logical("LogicalNot", np.logical_not)


def logical_and(x, y, name=None):
    return _logical_and_public(x, y, name=name)


def logical_or(x, y, name=None):
    return _logical_or_public(x, y, name=name)


def logical_not(x, name=None):
    return _logical_not_public(x, name=name)


def logical_xor(x, y, name="LogicalXor"):
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _select_forward(condition, x, y):
    try:
        return np.where(condition, x, y)
    except ValueError:  # TF's kernel names the three shapes
        c, t, e = (shape_text(np.shape(v)) for v in (condition, x, y))
        raise errors.KernelError(f"condition {c}, then {t}, and else {e} must be broadcastable") from None


_select = Op("SelectV2", _select_forward, typed_input=1, uniform=True)


def where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        condition = convert_to_tensor(condition)  # Where takes any dtype: the nonzero elements
        if condition.ndim == 0:
            raise errors.kernel_error("Where", "WhereOp : Unhandled input dimensions: 0", name or "")
        return convert_to_tensor(np.argwhere(condition._value).astype(np.int64))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    slow = eager_fallback(condition, x, y, none_is_input=True)  # the slow path drops " name: ", named or not
    if slow:  # TF's eager fallback converts x and y first, then the condition as bool
        x, y = matching_eager((x, y))
        condition = bool_input(condition, slow)
    else:  # the fast path converts all three, then the kernel checks the condition first
        condition = bool_input(condition, slow)
        x, y = converted_alike((x, y))
        check_bool("SelectV2", [condition], name)
    return _select(condition, x, y, name=name, unscoped=slow)


@RegisterGradient("SelectV2")
@batchable
def _select_grad(op, grad):
    condition = op.inputs[0]
    zeros = array_ops.zeros_like(grad)
    return (None,) + _binary_grads(
        op, lambda: _select(condition, grad, zeros), lambda: _select(condition, zeros, grad), 1
    )


# -- unary elementwise -------------------------------------------------------------------

_neg, negative = _unary("Neg", operator.neg)


@RegisterGradient("Neg")
@batchable
@takes_indexed_slices
def _neg_grad(op, grad):
    return -grad  # TF's: a None upstream gradient raises Python's own TypeError


_abs, _abs_public = _unary("Abs", np.abs)
_complex_abs = Op("ComplexAbs", lambda x: flush_denormals(np.abs(x)))  # a subnormal modulus is 0, as on TF's CPU


def abs(x, name=None):  # noqa: A001 (TF's name)
    """`tf.abs`: complex x goes to TF's ComplexAbs op, whose output is real (float32 for complex64)."""
    if type(x) is not EagerTensor:
        x = convert_to_tensor(x)
    if x._dtype.is_complex:
        return _complex_abs(x, name=name, out_dtype=x._dtype.real_dtype)
    return _abs(x, name=name)


@RegisterGradient("Abs")
@batchable
def _abs_grad(op, grad):
    return _mul(grad, _sign(op.inputs[0]))


@RegisterGradient("ComplexAbs")
@batchable
def _complex_abs_grad(op, grad):
    """TF's: complex(grad, 0) * x / complex(|x|, 0), with 0 where x is 0 (div_no_nan)."""
    x, y = op.inputs[0], op.outputs[0]
    return _div_no_nan(
        _mul(_complex(grad, array_ops.zeros_like(grad), out_dtype=x._dtype), x),
        _complex(y, array_ops.zeros_like(y), out_dtype=x._dtype),
    )


_sign, _sign_public = _unary("Sign", np.sign)


def sign(x, name=None):
    """`tf.math.sign`: for complex x, TF composes x / |x| (0 at 0) from public ops, so it has a gradient."""
    if type(x) is not EagerTensor:
        x = convert_to_tensor(x)
    if x._dtype.is_complex:
        return _div_no_nan(x, array_ops.cast(_complex_abs(x, out_dtype=x._dtype.real_dtype), x._dtype), name=name)
    return _sign(x, name=name)


@RegisterGradient("Sign")
@batchable
def _sign_grad(op, grad):
    return array_ops.zeros_like(grad)  # TF's zeros_like(x), with the batch dims of a jacobian's rows


_sin, sin = _unary("Sin", np.sin)
_cos, cos = _unary("Cos", np.cos)
_tan, tan = _unary("Tan", np.tan)


@RegisterGradient("Sin")
@batchable
def _sin_grad(op, grad):
    return _mul(grad, _cos(_conj_if_complex(op.inputs[0])))


@RegisterGradient("Cos")
@batchable
def _cos_grad(op, grad):
    return _mul(_neg(grad), _sin(_conj_if_complex(op.inputs[0])))


@RegisterGradient("Tan")
@batchable
def _tan_grad(op, grad):
    secx = _reciprocal(_cos(_conj_if_complex(op.inputs[0])))
    return _mul(grad, _square(secx))


_exp, exp = _unary("Exp", lambda x: flush_denormals(np.exp(x)))


@RegisterGradient("Exp")
@batchable
def _exp_grad(op, grad):
    return _mul(grad, _conj_if_complex(op.outputs[0]))


_log, log = _unary("Log", np.log)


@RegisterGradient("Log")
@batchable
def _log_grad(op, grad):
    return _mul(grad, _reciprocal(_conj_if_complex(op.inputs[0])))


_log1p, log1p = _unary("Log1p", np.log1p)


@RegisterGradient("Log1p")
@batchable
def _log1p_grad(op, grad):
    x = _conj_if_complex(op.inputs[0])
    return _mul(grad, _reciprocal(_add_v2(scalar(1, x._dtype), x)))


_reciprocal, reciprocal = _unary("Reciprocal", np.reciprocal)


@RegisterGradient("Reciprocal")
@batchable
def _reciprocal_grad(op, grad):
    y = _conj_if_complex(op.outputs[0])  # TF's ReciprocalGrad: -grad * conj(y)^2
    return _mul(grad, _neg(_square(y)))


_square, square = _unary("Square", np.square)


@RegisterGradient("Square")
@batchable
def _square_grad(op, grad):
    x = _conj_if_complex(op.inputs[0])
    return _mul(grad, _mul(scalar(2, x._dtype), x))


_sqrt, sqrt = _unary("Sqrt", np.sqrt)


@RegisterGradient("Sqrt")
@batchable
def _sqrt_grad(op, grad):
    y = _conj_if_complex(op.outputs[0])  # TF's SqrtGrad: grad * 0.5 / conj(y) (infinite at 0, as in TF)
    return _real_div(_mul(grad, scalar(0.5, y._dtype)), y)


def _rsqrt_forward(x):
    return np.reciprocal(np.sqrt(x))


_rsqrt, rsqrt = _unary("Rsqrt", _rsqrt_forward)


@RegisterGradient("Rsqrt")
@batchable
def _rsqrt_grad(op, grad):
    y = _conj_if_complex(op.outputs[0])  # TF's RsqrtGrad: grad * -0.5 * conj(y)^3
    return _mul(grad, _mul(scalar(-0.5, y._dtype), _mul(_square(y), y)))


_tanh, tanh = _unary("Tanh", np.tanh)


@RegisterGradient("Tanh")
@batchable
def _tanh_grad(op, grad):
    y = _conj_if_complex(op.outputs[0])  # TF's TanhGrad: grad * conj(1 - y^2)
    return _mul(grad, _sub(scalar(1, y._dtype), _square(y)))


# Where exp is clamped: Eigen's float32 cut-off (beyond it e / (1 + e) rounds to 1); for float64 only
# below exp's overflow (e / (1 + e) reaches 1 by itself), so the result approaches 1 as TF's does.
_SIGMOID_EXP_HI = {np.dtype(np.float32): 16.6355324, np.dtype(np.float64): 709.0}


def _sigmoid_forward(x):
    # Eigen's formula, e / (1 + e) with e = exp(min(x, hi)): closest to TF's rounding.
    array = np.asarray(x)
    if array.dtype == np.float16:  # Eigen computes half in float32 and rounds once (subnormal halves kept)
        return _sigmoid_forward(array.astype(np.float32)).astype(np.float16)
    e = np.exp(np.minimum(array, array.dtype.type(_SIGMOID_EXP_HI.get(array.dtype, 16.6355324))))
    return flush_denormals(e / (e + array.dtype.type(1)))


_sigmoid = Op("Sigmoid", _sigmoid_forward)


def sigmoid(x, name=None):
    # TF's tf.sigmoid converts x before its op runs, so the op's errors always end with " name: "
    return _sigmoid(convert_to_tensor(x), name=name)


@RegisterGradient("Sigmoid")
@batchable
def _sigmoid_grad(op, grad):
    y = _conj_if_complex(op.outputs[0])  # TF's SigmoidGrad: grad * conj(y * (1 - y))
    return _mul(grad, _mul(y, _sub(scalar(1, y._dtype), y)))


def _floor_forward(x):
    return np.floor(x)


_floor, floor = _unary("Floor", _floor_forward)
_ceil, ceil = _unary("Ceil", np.ceil)
_round = Op("Round", np.round)  # half to even, as TF


def round(x, name=None):  # noqa: A001 (TF's name)
    # TF's tf.round converts, then returns integer tensors as they are (uint8 too, which Round does not allow)
    x = convert_to_tensor(x)
    return x if x._dtype.is_integer else _round(x, name=name)


NotDifferentiable("Floor")
NotDifferentiable("Ceil")
NotDifferentiable("Round")

# -- reductions --------------------------------------------------------------------------


def _sum_forward(x, axis, keepdims):
    dtype = np.asarray(x).dtype
    if dtype == np.float16:
        return half_sum(x, axis, keepdims)  # TF's order of additions: it shows in half precision
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)


_sum = Op("Sum", _sum_forward)


def _mean_forward(x, axis, keepdims):
    array = np.asarray(x)
    count = int(np.prod([array.shape[a] for a in axis])) if axis else 1
    if array.dtype.kind in "iu":  # TF sums in (u)int64, divides truncating toward zero, casts back
        total = np.sum(array, axis=axis, keepdims=keepdims, dtype=np.uint64 if array.dtype.kind == "u" else np.int64)
        count = total.dtype.type(max(count, 1))
        # toward zero: floor division, one up where a negative total leaves a remainder (no abs: -2**63 has none)
        quotient = total // count + ((total % count != 0) & (total < 0))
        return quotient.astype(array.dtype)
    if array.dtype == np.float16:
        return half_sum(array, axis, keepdims) / np.float16(count)
    return np.mean(array, axis=axis, keepdims=keepdims, dtype=array.dtype)


_mean = Op("Mean", _mean_forward)


def _extreme(np_fn, identity_of):
    def forward(x, axis, keepdims):
        array = np.asarray(x)
        if array.size == 0:
            shape = tuple(1 if i in axis else d for i, d in enumerate(array.shape))
            filled = np.full(shape, identity_of(array.dtype), dtype=array.dtype)
            return filled if keepdims else np.squeeze(filled, axis=axis)
        return np_fn(array, axis=axis, keepdims=keepdims)

    return forward


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min if dtype.kind in "iu" else False


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max if dtype.kind in "iu" else True


_max = Op("Max", _extreme(np.max, _lowest))
_min = Op("Min", _extreme(np.min, _highest))


def _prod_forward(x, axis, keepdims):
    x = np.asarray(x)
    if x.dtype.itemsize != 2 or x.dtype.kind not in "fV" or x.size == 0 or not axis:
        return np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    # float16 and bfloat16: TF's kernel rounds every partial product to the half type, so a product
    # that overflows is inf before a later 0 makes it nan (numpy's reduce keeps float32 partials)
    moved = np.moveaxis(x, axis, range(-len(axis), 0))
    moved = moved.reshape(moved.shape[: x.ndim - len(axis)] + (-1,))
    out = np.ones(moved.shape[:-1], dtype=x.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(moved.shape[-1]):
            out = (out * moved[..., i]).astype(x.dtype)
    if keepdims:
        out = out.reshape(tuple(1 if i in axis else d for i, d in enumerate(x.shape)))
    return out


_prod = Op("Prod", _prod_forward)


def _reduction(op):
    def public(input_tensor, axis=None, keepdims=False, name=None):
        x = convert_to_tensor(input_tensor)
        slow = reduction_slow_path(input_tensor, axis)
        axes = axis_tuple(axis, x.ndim, op.type, name, slow)
        return op(x, name=name, axis=axes, keepdims=bool(keepdims), unscoped=slow)

    return public


reduce_sum = _reduction(_sum)
reduce_mean = _reduction(_mean)
reduce_max = _reduction(_max)
reduce_min = _reduction(_min)
reduce_prod = _reduction(_prod)


def _kept_shape(op):
    shape = _shape(op.inputs[0])
    axis = op.attrs["axis"]
    return tuple(1 if i in axis else d for i, d in enumerate(shape))


def _spread(op, grad):
    """The reduced gradient reshaped with kept dims and broadcast to the input's shape."""
    batch = batch_dims(grad, op.outputs[0])
    kept = array_ops._reshape(grad, shape=batch + _kept_shape(op))
    return array_ops._broadcast_to(kept, shape=batch + _shape(op.inputs[0]))


@RegisterGradient("Sum")
@batchable
def _sum_grad(op, grad):
    return _spread(op, grad)


@RegisterGradient("Mean")
@batchable
def _mean_grad(op, grad):
    shape = _shape(op.inputs[0])
    count = int(np.prod([shape[a] for a in op.attrs["axis"]])) if op.attrs["axis"] else 1
    return _real_div(_spread(op, grad), scalar(max(count, 1), grad._dtype))


@batchable
def _max_min_reduction_grad(op, grad):
    x = op.inputs[0]
    kept = _kept_shape(op)
    y = array_ops._reshape(op.outputs[0], shape=kept)
    grad = array_ops._reshape(grad, shape=batch_dims(grad, op.outputs[0]) + kept)
    indicators = array_ops.cast(_equal_op(y, x), grad._dtype)
    selected = array_ops._reshape(_sum(indicators, axis=op.attrs["axis"], keepdims=False), shape=kept)
    return _mul(_real_div(indicators, selected), grad)


RegisterGradient("Max")(_max_min_reduction_grad)
RegisterGradient("Min")(_max_min_reduction_grad)


@RegisterGradient("Prod")
@batchable
def _prod_grad(op, grad):
    """TF's formula: the product of all other elements, from exclusive cumprods both ways."""
    x = op.inputs[0]
    shape = _shape(x)
    reduced = list(op.attrs["axis"])
    other = [i for i in range(len(shape)) if i not in reduced]
    perm = tuple(reduced + other)
    reduced_num = int(np.prod([shape[i] for i in reduced]))
    other_num = int(np.prod([shape[i] for i in other]))
    permuted = array_ops._transpose(x, perm=perm)
    flat = array_ops._reshape(permuted, shape=(reduced_num, other_num))
    left = _cumprod(flat, axis=0, exclusive=True, reverse=False)
    right = _cumprod(flat, axis=0, exclusive=True, reverse=True)
    # complex inputs: the conjugate products, as in TF
    others = array_ops._reshape(_mul(_conj_if_complex(left), _conj_if_complex(right)), shape=_shape(permuted))
    others = array_ops._transpose(others, perm=tuple(np.argsort(perm)))
    return _mul(_spread(op, grad), others)


def _cumulative(np_fn, identity):
    def forward(x, axis, exclusive, reverse):
        array = np.asarray(x)
        if reverse:
            array = np.flip(array, axis)
        out = np_fn(array, axis=axis, dtype=array.dtype)
        if exclusive and out.shape[axis]:  # an empty axis has no first element to set
            out = np.roll(out, 1, axis=axis)
            index = [slice(None)] * out.ndim
            index[axis] = 0
            out[tuple(index)] = identity
        return np.flip(out, axis) if reverse else out

    return forward


_cumsum = Op("Cumsum", _cumulative(np.cumsum, 0))
_cumprod = Op("Cumprod", _cumulative(np.cumprod, 1))


def _scan_axis(op_type, x, axis, name):
    axis = int(axis)
    normalized = axis + x.ndim if axis < 0 else axis  # TF's message shows a negative axis plus the rank
    if not 0 <= normalized < x.ndim:
        raise errors.kernel_error(
            op_type, f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), but got {normalized}", name or ""
        )
    return normalized


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    x = convert_to_tensor(x)
    axis = _scan_axis("Cumsum", x, axis, name)
    return _cumsum(x, name=name, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse))


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    x = convert_to_tensor(x)
    axis = _scan_axis("Cumprod", x, axis, name)
    return _cumprod(x, name=name, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse))


@RegisterGradient("Cumsum")
@batchable
def _cumsum_grad(op, grad):
    a = op.attrs
    axis = a["axis"] + len(batch_dims(grad, op.outputs[0]))
    return _cumsum(grad, axis=axis, exclusive=a["exclusive"], reverse=not a["reverse"])


@RegisterGradient("Cumprod")
@batchable
def _cumprod_grad(op, grad):
    a = op.attrs
    x = op.inputs[0]
    prod = _cumprod(x, axis=a["axis"], exclusive=a["exclusive"], reverse=a["reverse"])
    axis = a["axis"] + len(batch_dims(grad, op.outputs[0]))
    out = _cumsum(_mul(prod, grad), axis=axis, exclusive=a["exclusive"], reverse=not a["reverse"])
    return _div_no_nan(out, x)  # as TF: zeros in x give 0, not nan (second order of reduce_prod)


def _div_no_nan_forward(x, y):
    x, y = np.asarray(x), np.asarray(y)
    safe = np.where(y == 0, y.dtype.type(1), y)
    return np.where(y == 0, y.dtype.type(0), x / safe).astype(y.dtype)


_div_no_nan = Op("DivNoNan", _div_no_nan_forward, broadcasts=True)


@RegisterGradient("DivNoNan")
@batchable
def _div_no_nan_grad(op, grad):
    x, y = op.inputs
    x, y = _conj_if_complex(x), _conj_if_complex(y)  # TF's: conj(x), conj(y) for complex inputs
    return _binary_grads(op, lambda: _div_no_nan(grad, y), lambda: _mul(grad, _div_no_nan(_div_no_nan(_neg(x), y), y)))


# -- conj and the parts of complex numbers ---------------------------------------------------------
#
# TF's gradients of complex inputs are conjugated: for z = f(x), x's gradient is the upstream one
# times conj(f'(x)), so for a real loss L it is dL/dre(x) + i dL/di(x). Gradient functions call
# _conj_if_complex on the factors TF conjugates; real dtypes take no op (their tapes are unchanged).

_conj = Op("Conj", np.conj)


def _conj_if_complex(x):
    return _conj(x) if x._dtype.is_complex else x


def conj(x, name=None):
    """`tf.math.conj`: the complex conjugate; real and integer tensors come back as they are, as in TF."""
    x = convert_to_tensor(x)
    if x._dtype.is_complex:
        return _conj(x, name=name)
    if x._dtype.is_floating or x._dtype.is_integer:
        return x
    raise TypeError(f"Expected numeric or variant tensor, got dtype {x._dtype!r}.")


@RegisterGradient("Conj")
@batchable
def _conj_grad(op, grad):
    return _conj(grad)


def _complex_forward(real, imag):
    out = np.empty(np.broadcast_shapes(np.shape(real), np.shape(imag)), np.result_type(real, imag, np.complex64))
    out.real, out.imag = real, imag
    return out


_complex = Op("Complex", _complex_forward, broadcasts=True)
_real = Op("Real", lambda x: np.array(np.real(x)))  # copies: np.real of an array is a view
_imag = Op("Imag", lambda x: np.array(np.imag(x)))
_angle = Op("Angle", np.angle)


def complex(real, imag, name=None):  # noqa: A001 (TF's name)
    """`tf.complex`: real + i imag, both float32 (complex64) or both float64 (complex128), broadcasting."""
    real, imag = convert_to_tensor(real), convert_to_tensor(imag)
    kinds = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
    if real._dtype is not imag._dtype or real._dtype not in kinds:
        raise TypeError(
            f"The `real` and `imag` components have incorrect types: {real._dtype.name} {imag._dtype.name}. "
            "They must be consistent, and one of [tf.float32, tf.float64]"
        )
    return _complex(real, imag, name=name, out_dtype=kinds[real._dtype])


def real(input, name=None):  # noqa: A002 (TF's argument name)
    """`tf.math.real`: a real tensor comes back as it is; strings and bools raise TypeError."""
    x = convert_to_tensor(input)
    if x._dtype.is_complex:
        return _real(x, name=name, out_dtype=x._dtype.real_dtype)
    if x._dtype.is_numeric:
        return x
    raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {x._dtype}")


def imag(input, name=None):  # noqa: A002
    """`tf.math.imag`: zeros for a real tensor."""
    x = convert_to_tensor(input)
    if x._dtype.is_complex:
        return _imag(x, name=name, out_dtype=x._dtype.real_dtype)
    return array_ops.zeros_like(x)


def angle(input, name=None):  # noqa: A002
    """`tf.math.angle`: atan2(imag, real); for a real tensor, TF's where(x < 0, pi, 0) (no gradient)."""
    x = convert_to_tensor(input)
    if x._dtype.is_complex:
        return _angle(x, name=name, out_dtype=x._dtype.real_dtype)
    return where(less(x, 0), np.pi * array_ops.ones_like(x), array_ops.zeros_like(x))


@RegisterGradient("Complex")
@batchable
def _complex_grad(op, grad):
    """TF's: real(grad) for the real part, imag(grad) for the imaginary part, summed over broadcasting."""
    part = grad._dtype.real_dtype
    return _binary_grads(op, lambda: _real(grad, out_dtype=part), lambda: _imag(grad, out_dtype=part))


@RegisterGradient("Real")
@batchable
def _real_grad(op, grad):
    return _complex(grad, scalar(0, grad._dtype), out_dtype=op.inputs[0]._dtype)  # TF's: complex(grad, 0)


@RegisterGradient("Imag")
@batchable
def _imag_grad(op, grad):
    return _complex(scalar(0, grad._dtype), grad, out_dtype=op.inputs[0]._dtype)  # TF's: complex(0, grad)


@RegisterGradient("Angle")
@batchable
def _angle_grad(op, grad):
    """TF's: -complex(grad, 0) / complex(im(x), re(x))."""
    x = op.inputs[0]
    real_type = grad._dtype
    z = _reciprocal(_complex(_imag(x, out_dtype=real_type), _real(x, out_dtype=real_type), out_dtype=x._dtype))
    return _mul(_neg(_complex(grad, scalar(0, real_type), out_dtype=x._dtype)), z)


# -- matmul --------------------------------------------------------------------------------


def _matmul_forward(a, b, transpose_a, transpose_b):
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


_matmul = Op("MatMul", _matmul_forward, uniform=True)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, name=None, **_):
    for t, adj, letter in ((transpose_a, adjoint_a, "a"), (transpose_b, adjoint_b, "b")):
        if t and adj:
            raise ValueError(
                f"Only one of `transpose_{letter}` and `adjoint_{letter}` can be True. "
                f"Received `transpose_{letter}`={t}, `adjoint_{letter}`={adj}."
            )
    a, b = hinted(a, b)  # TF converts b with a's dtype as a hint only
    if a._dtype.is_complex and len(_shape(a)) <= 2 and len(_shape(b)) <= 2:  # MatMul transposes; TF conjugates first
        a = _conj(a) if adjoint_a else a
        b = _conj(b) if adjoint_b and b._dtype.is_complex else b
    elif a._dtype.is_complex:  # BatchMatMulV2's adj_x conjugates: TF conjugates a transposed operand first
        a = _conj(a) if transpose_a else a
        b = _conj(b) if transpose_b and b._dtype.is_complex else b
    sa, sb = _shape(a), _shape(b)
    if len(sa) > 2 or len(sb) > 2:  # TF's BatchMatMulV2, batch dimensions broadcasting
        return _batch_matmul_checked(a, b, bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b), name)
    attrs = {"transpose_a": bool(transpose_a or adjoint_a), "transpose_b": bool(transpose_b or adjoint_b)}
    _require_kernel(_matmul, a._dtype, {**attrs, "grad_a": False, "grad_b": False}, name)  # TF: before the dtype match
    check_same("MatMul", (a, b), name)
    if len(sa) != len(sb):
        raise errors.kernel_error(
            "MatMul", f"In[0] and In[1] has different ndims: {shape_text(sa)} vs. {shape_text(sb)}", name or ""
        )
    if len(sa) < 2:
        raise errors.kernel_error("MatMul", f"In[0] and In[1] ndims must be == 2: {len(sa)}", name or "")
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    inner_a = sa[-2] if ta else sa[-1]
    inner_b = sb[-1] if tb else sb[-2]
    if inner_a != inner_b:
        raise errors.kernel_error(
            "MatMul", f"Matrix size-incompatible: In[0]: {shape_text(sa)}, In[1]: {shape_text(sb)}", name or ""
        )
    return _matmul(a, b, name=name, transpose_a=ta, transpose_b=tb)


@RegisterGradient("MatMul")
@batchable
def _matmul_grad(op, grad):
    """TF's four cases; an input that needs no gradient is skipped (no wasted matmul)."""
    a, b = op.inputs
    if a._dtype.is_complex:  # TF's: the products of conj(a) and conj(b)
        a, b = _conj(a), _conj(b)
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    skip = op.skip_input_indices
    if batch_dims(grad, op.outputs[0]):  # a jacobian's rows: BatchMatMulV2 broadcasts a and b over them
        ga = (
            None
            if 0 in skip
            else _transposed_matmul(b, grad, tb, True)
            if ta
            else _transposed_matmul(grad, b, False, not tb)
        )
        gb = (
            None
            if 1 in skip
            else _transposed_matmul(grad, a, True, ta)
            if tb
            else _transposed_matmul(a, grad, not ta, False)
        )
        return ga, gb
    if not ta and not tb:
        ga = None if 0 in skip else _matmul(grad, b, transpose_a=False, transpose_b=True)
        gb = None if 1 in skip else _matmul(a, grad, transpose_a=True, transpose_b=False)
    elif not ta and tb:
        ga = None if 0 in skip else _matmul(grad, b, transpose_a=False, transpose_b=False)
        gb = None if 1 in skip else _matmul(grad, a, transpose_a=True, transpose_b=False)
    elif ta and not tb:
        ga = None if 0 in skip else _matmul(b, grad, transpose_a=False, transpose_b=True)
        gb = None if 1 in skip else _matmul(a, grad, transpose_a=False, transpose_b=False)
    else:
        ga = None if 0 in skip else _matmul(b, grad, transpose_a=True, transpose_b=True)
        gb = None if 1 in skip else _matmul(grad, a, transpose_a=True, transpose_b=True)
    return ga, gb


def _transposed_matmul(x, y, transpose_x, transpose_y):
    """MatMul's transposes (no conjugation) as a BatchMatMulV2, whose adjoints conjugate complex operands."""
    if x._dtype.is_complex:  # the adjoint of conj(x) is x's transpose
        x = _conj(x) if transpose_x else x
        y = _conj(y) if transpose_y else y
    return _batch_matmul(x, y, adj_x=transpose_x, adj_y=transpose_y)


def _adjoint(x):
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if np.iscomplexobj(x) else x


def _batch_matmul_forward(x, y, adj_x, adj_y):
    return np.matmul(_adjoint(x) if adj_x else x, _adjoint(y) if adj_y else y)


_batch_matmul = Op("BatchMatMulV2", _batch_matmul_forward, uniform=True)


_CPU_MATMUL_TYPES = "INT64 INT32 INT16 DOUBLE FLOAT BFLOAT16 HALF COMPLEX128 COMPLEX64".split()
_XLA_MATMUL_TYPES = {
    "MatMul": "FLOAT, DOUBLE, INT32, COMPLEX64, INT64, BFLOAT16, COMPLEX128, HALF",
    "BatchMatMulV2": "FLOAT, DOUBLE, INT32, UINT8, INT16, COMPLEX64, INT64, BFLOAT16, UINT16, COMPLEX128, HALF, UINT32, "
    "UINT64",
}


def _require_kernel(op, dtype, attrs, name):
    """The op definition allows unsigned types, but TF registers no CPU kernel for them."""
    if op.allowed is not None and dtype.name not in op.allowed:
        raise unsupported_dtype(op, dtype, name or "")
    if dtype.c_name.upper() in _CPU_MATMUL_TYPES:
        return
    node = ", ".join([f"T=DT_{dtype.c_name.upper()}"] + [f"{k}={str(v).lower()}" for k, v in sorted(attrs.items())])
    kernels = "".join(f"  device='CPU'; T in [DT_{t}]\n" for t in _CPU_MATMUL_TYPES)
    xla = ", ".join(f"DT_{t}" for t in _XLA_MATMUL_TYPES[op.type].split(", "))
    raise errors.op_error(
        op.type,
        f"Could not find device for node: {{{{node {op.type}}}}} = {op.type}[{node}]\n"
        f"All kernels registered for op {op.type}:\n  device='XLA_CPU_JIT'; T in [{xla}]\n{kernels}",
        name or "",
        errors.NotFoundError,
    )


def _batch_matmul_checked(x, y, adj_x, adj_y, name):
    """BatchMatMulV2 with its kernel's checks, in its order (real dtypes: adjoint is transpose)."""
    _require_kernel(_batch_matmul, x._dtype, {"adj_x": adj_x, "adj_y": adj_y, "grad_x": False, "grad_y": False}, name)
    check_same("BatchMatMulV2", (x, y), name)  # TF looks up the kernel of the first input's type first
    sx, sy = _shape(x), _shape(y)
    for i, s in enumerate((sx, sy)):
        if len(s) < 2:
            raise errors.kernel_error("BatchMatMulV2", f"In[{i}] ndims must be >= 2: {len(s)}", name or "")
    try:
        np.broadcast_shapes(sx[:-2], sy[:-2])
    except ValueError:
        raise errors.kernel_error(
            "BatchMatMulV2",
            f"In[0] and In[1] must have compatible batch dimensions: {shape_text(sx)} vs. {shape_text(sy)}",
            name or "",
        ) from None
    if (sx[-2] if adj_x else sx[-1]) != (sy[-1] if adj_y else sy[-2]):
        raise errors.kernel_error(
            "BatchMatMulV2", f"Matrix size-incompatible: In[0]: {shape_text(sx)}, In[1]: {shape_text(sy)}", name or ""
        )
    return _batch_matmul(x, y, name=name, adj_x=adj_x, adj_y=adj_y)


def _matmul_adjoint(a, b, adj_a, adj_b):
    """math_ops.matmul(a, b, adjoint_a=, adjoint_b=) inside gradients: MatMul for matrices, else BatchMatMulV2."""
    if a.ndim == 2 and b.ndim == 2:
        if a._dtype.is_complex:  # MatMul only transposes: TF conjugates an adjoint operand first
            a = _conj(a) if adj_a else a
            b = _conj(b) if adj_b else b
        return _matmul(a, b, transpose_a=adj_a, transpose_b=adj_b)
    return _batch_matmul(a, b, adj_x=adj_a, adj_y=adj_b)


@RegisterGradient("BatchMatMulV2")
@batchable
def _batch_matmul_grad(op, grad):
    """TF's four cases, then sums over broadcast batch dimensions."""
    x, y = op.inputs
    adj_x, adj_y = op.attrs["adj_x"], op.attrs["adj_y"]
    if not adj_x and not adj_y:
        gx, gy = _matmul_adjoint(grad, y, False, True), _matmul_adjoint(x, grad, True, False)
    elif not adj_x:
        gx, gy = _matmul_adjoint(grad, y, False, False), _matmul_adjoint(grad, x, True, False)
    elif not adj_y:
        gx, gy = _matmul_adjoint(y, grad, False, True), _matmul_adjoint(x, grad, False, False)
    else:
        gx, gy = _matmul_adjoint(y, grad, True, True), _matmul_adjoint(grad, x, True, True)
    batch = batch_dims(grad, op.outputs[0])
    return reduce_to_shape(gx, _shape(x), batch), reduce_to_shape(gy, _shape(y), batch)
