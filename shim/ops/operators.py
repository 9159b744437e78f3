"""Python operators on tensors and variables, each calling the op it stands for.

The conversions follow TF's operator wrappers: `t + v` and `t / v` convert v with
t's dtype as a hint; other forward operators convert Python values to t's dtype
(TypeError when they do not fit); reflected operators (`2.0 * t`) always do.
"""

from __future__ import annotations

from .._core import dtypes
from .._core.tensor import EagerTensor, convert_to_tensor
from .._core.variable import BaseResourceVariable
from . import array_ops, math_ops


def _reflected(fn):
    def method(self, other):
        return fn(convert_to_tensor(other, dtype=self.dtype), self)

    return method


def _forward(fn):
    def method(self, other):
        return fn(self, other)

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
    "__invert__": math_ops.logical_not,
    "__lt__": _forward(math_ops.less),
    "__le__": _forward(math_ops.less_equal),
    "__gt__": _forward(math_ops.greater),
    "__ge__": _forward(math_ops.greater_equal),
    "__eq__": _eq,
    "__ne__": _ne,
    "__and__": _forward(math_ops.logical_and),
    "__or__": _forward(math_ops.logical_or),
    "__xor__": _forward(math_ops.logical_xor),
    "__rand__": _reflected(math_ops.logical_and),
    "__ror__": _reflected(math_ops.logical_or),
    "__rxor__": _reflected(math_ops.logical_xor),
    "__getitem__": array_ops.getitem,
}
for _name, _fn in _BINARY.items():
    OPERATORS[f"__{_name}__"] = _forward(_fn)
    OPERATORS[f"__r{_name}__"] = _reflected(_fn)


def _on_variable(method):
    def read_then(self, *args):
        return method(self._read(), *args)

    return read_then


for _name, _method in OPERATORS.items():
    setattr(EagerTensor, _name, _method)
    setattr(BaseResourceVariable, _name, _on_variable(_method))
