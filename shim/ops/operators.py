"""Python operators on tensors and variables, each calling the op it stands for.

The conversions follow TF's operator wrappers: `t + v` and `t / v` convert v with
t's dtype as a hint; other forward operators convert Python values to t's dtype
(TypeError when they do not fit); reflected operators (`2.0 * t`) always do.
"""

from __future__ import annotations

from .._core import dtypes
from .._core.tensor import EagerTensor, convert_to_tensor
from .._core.variable import BaseResourceVariable
from . import array_ops, bitwise_ops, math_ops


def _reflected(fn):
    def method(self, other):
        return fn(convert_to_tensor(other, dtype=self.dtype), self)

    return method


def _forward(fn):
    def method(self, other):
        return fn(self, other)

    return method


def _binary(op_name, fn):
    """A binary operator as TF's wrapper runs it: when the op refuses the pair with a TypeError or
    ValueError, the right operand's reflected operator gets a turn (a numpy array computes `b / a`
    itself); if that fails too, the op's own error is raised."""
    reflected = f"__r{op_name}__"

    def method(self, other):
        try:
            return fn(self, other)
        except (TypeError, ValueError) as error:
            r_op = getattr(type(other), reflected, None)
            if r_op is None:
                raise
            try:
                out = r_op(other, self)
            except (TypeError, ValueError):
                raise error from None
            if out is NotImplemented:
                raise
            return out

    return method


def _eq(self, other):
    if other is None:
        return False
    return math_ops.equal_lenient(self, other)


def _ne(self, other):
    if other is None:
        return True
    return math_ops.not_equal_lenient(self, other)


def _mul_dispatch(x, y):
    """TF's `*`: with a bool tensor on either side, both multiply as int32 and the product is bool."""
    if (type(x) is EagerTensor and x._dtype is dtypes.bool_) or (type(y) is EagerTensor and y._dtype is dtypes.bool_):
        product = math_ops.multiply(array_ops.cast(x, dtypes.int32), array_ops.cast(y, dtypes.int32))
        return array_ops.cast(product, dtypes.bool_)
    return math_ops.multiply(x, y)


def _by_dtype(logical, bitwise):
    """TF's `&`, `|`, `^` and `~`: logical on bool tensors, bitwise on integers."""

    def dispatch(x, *y):
        return (logical if x.dtype is dtypes.bool_ else bitwise)(x, *y)

    return dispatch


_and = _by_dtype(math_ops.logical_and, bitwise_ops.bitwise_and)
_or = _by_dtype(math_ops.logical_or, bitwise_ops.bitwise_or)
_xor = _by_dtype(math_ops.logical_xor, bitwise_ops.bitwise_xor)

_BINARY = {
    "add": math_ops.add,
    "sub": math_ops.subtract,
    "mul": _mul_dispatch,
    "truediv": math_ops.truediv,
    "floordiv": math_ops.floordiv,
    "mod": math_ops.floormod,
    "pow": math_ops.pow,
    "matmul": math_ops.matmul,
}

OPERATORS = {
    "__neg__": math_ops.negative,
    "__abs__": math_ops.abs,
    "__invert__": _by_dtype(math_ops.logical_not, bitwise_ops.invert),
    "__lt__": _forward(math_ops.less),
    "__le__": _forward(math_ops.less_equal),
    "__gt__": _forward(math_ops.greater),
    "__ge__": _forward(math_ops.greater_equal),
    "__eq__": _eq,
    "__ne__": _ne,
    "__and__": _binary("and", _and),
    "__or__": _binary("or", _or),
    "__xor__": _binary("xor", _xor),
    "__rand__": _reflected(_and),
    "__ror__": _reflected(_or),
    "__rxor__": _reflected(_xor),
    "__getitem__": array_ops.getitem,
}
for _name, _fn in _BINARY.items():
    OPERATORS[f"__{_name}__"] = _binary(_name, _fn)
    OPERATORS[f"__r{_name}__"] = _reflected(_fn)


def _on_variable(method):
    def read_then(self, *args):
        return method(self._read(), *args)

    return read_then


for _name, _method in OPERATORS.items():
    setattr(EagerTensor, _name, _method)
    setattr(BaseResourceVariable, _name, _on_variable(_method))
