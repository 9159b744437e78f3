"""Tensor: an immutable numpy value with a dtype, printed and converted as TF does.

Operators (`+`, `@`, `[]`, ...) are attached by `shim.ops.operators`, where each
one calls the op it stands for; this module only knows values.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from . import convert, dtypes, provenance
from .dtypes import DType
from .shape import TensorShape

__all__ = ["Tensor", "EagerTensor", "convert_to_tensor", "is_tensor", "numpy_text"]

# Tensor ids are never reused (unlike id()), so a tape can key on them safely.
next_id = itertools.count(1).__next__


class Tensor:
    """`tf.Tensor`: the abstract type; every concrete tensor is an EagerTensor."""

    __slots__ = ()
    # Makes numpy hand `np.float32(2) * t` over to our reflected operators.
    __array_priority__ = 100
    OVERLOADABLE_OPERATORS: set = set()

    if TYPE_CHECKING:  # what every tensor has; the operators are installed by shim/ops/operators.py

        @property
        def dtype(self) -> DType: ...

        @property
        def shape(self) -> TensorShape: ...

        def __getitem__(self, key) -> Tensor: ...


class EagerTensor(Tensor):
    __slots__ = ("_value", "_dtype", "_id", "_origin", "__weakref__")  # _origin: only with explanations on

    def __init__(self, value, dtype: DType):
        self._value = value
        self._dtype = dtype
        self._id = next_id()

    # -- what a tensor is -------------------------------------------------
    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as numpy: a numpy scalar for rank 0 (bytes for strings), else an array."""
        if provenance.active:
            provenance.note_exit(self)
        value = self._value
        return value[()] if type(value) is np.ndarray and value.ndim == 0 else value

    _numpy = numpy

    def ref(self):
        return _Reference(self)

    experimental_ref = ref

    # -- numpy and Python interop ----------------------------------------
    def __array__(self, dtype=None, copy=None):
        if provenance.active:
            provenance.note_exit(self)
        array = np.asarray(self._value)
        return array if dtype is None else array.astype(dtype, copy=False)

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:  # at iter(), not at the first next(): TensorShape(t) relies on it
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))

    def __bool__(self) -> bool:
        value = self._value
        if type(value) is np.ndarray:
            return bool(value.size > 0 and value)  # an empty tensor is False, as in TF
        return bool(value)

    def __float__(self) -> float:
        return float(_scalar(self._value))

    def __int__(self) -> int:
        return int(_scalar(self._value))

    def __complex__(self) -> complex:
        return complex(_scalar(self._value))

    def __index__(self) -> int:
        return self.numpy().__index__()  # as TF: numpy's own errors for arrays and floats

    def __format__(self, format_spec: str) -> str:
        return format(self._value, format_spec)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return convert_to_tensor, (self._value,)

    # -- printing ----------------------------------------------------------
    def __str__(self) -> str:
        return f"tf.Tensor({numpy_text(self.numpy())}, shape={self.shape}, dtype={self._dtype.name})"

    def __repr__(self) -> str:
        return (
            f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, numpy={numpy_text(self.numpy(), is_repr=True)}>"
        )


def _scalar(value):
    if np.ndim(value) != 0:
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    return value


def numpy_text(value, is_repr: bool = False) -> str:
    """A value as TF prints it: numpy's own text, Python's repr for non-bytes scalars."""
    if is_repr:
        if np.isscalar(value) and not isinstance(value, bytes):
            text = repr(np.asarray(value).item())
        else:
            text = repr(value)
    else:
        text = str(value)
    return "\n" + text if "\n" in text else text


class _Reference:
    """`tensor.ref()`: a hashable handle that compares by identity."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self) -> int:
        return id(self._obj)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Reference) and other._obj is self._obj

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._obj!r}>"


def make(value, dtype: DType) -> EagerTensor:
    """Wraps a numpy value that already has `dtype`'s numpy dtype.

    Rank-0 values are kept as numpy scalars (what numpy's own ops return), except
    strings, which stay 0-d object arrays so that every value has a `.shape`.
    """
    if type(value) is np.ndarray and value.ndim == 0 and value.dtype != object:
        value = value[()]
    return EagerTensor(value, dtype)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False) or getattr(x, "_is_indexed_slices", False)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> EagerTensor:
    """`tf.convert_to_tensor`: tensors pass through, variables are read, the rest converted."""
    if type(value) is EagerTensor or getattr(value, "_is_variable", False):
        if dtype is not None:
            _check_requested_dtype(value, dtypes.as_dtype(dtype), name)
        return value if type(value) is EagerTensor else value._read()
    if getattr(value, "_is_indexed_slices", False):
        return _densified(value, dtype, dtype_hint, name)
    if (dtype is not None or dtype_hint is not None) and isinstance(value, (list, tuple)) and _holds_tensor(value):
        # TF's autopacking conversion comes before the constant one for lists: the tensors in the list are
        # cast to the requested dtype, then packed (a hint that fails to apply is dropped, as for constants)
        if dtype is not None:
            return _packed(value, dtypes.as_dtype(dtype))
        try:
            return _packed(value, dtypes.as_dtype(dtype_hint))
        except (TypeError, ValueError):
            return convert_to_tensor(value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        return make(*convert.as_value(value, dtype))
    if dtype_hint is not None:
        try:
            return make(*convert.as_value(value, dtypes.as_dtype(dtype_hint)))
        except (TypeError, ValueError):
            pass
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        from ..ops import array_ops  # packing tensors is an op (it records gradients)

        return array_ops.pack_nested(value)
    if isinstance(value, TensorShape):
        return make(*convert.as_value(value.as_list(), dtypes.int32))
    return make(*convert.as_value(value))


def _packed(value, dtype: DType) -> EagerTensor:
    """A nested list holding tensors, packed; when its first tensor's dtype is not `dtype`, every tensor
    of another dtype is cast to it first (TF's _cast_nested_seqs_to_dtype), else none is."""
    from ..ops import array_ops

    if _first_tensor_dtype(value) is dtype:
        return array_ops.pack_nested(value)
    return array_ops.pack_nested(_cast_nested(value, dtype))


def _cast_nested(item, dtype: DType):
    from ..ops import array_ops

    if isinstance(item, (list, tuple)):
        return [_cast_nested(v, dtype) for v in item]
    if (isinstance(item, Tensor) or getattr(item, "_is_variable", False)) and item.dtype != dtype:
        return array_ops.cast(item, dtype)
    return item


def _first_tensor_dtype(value):
    """TF's _get_dtype_from_nested_lists: the dtype of the first tensor, depth first."""
    for item in value:
        if isinstance(item, (list, tuple)):
            found = _first_tensor_dtype(item)
            if found is not None:
                return found
        elif isinstance(item, Tensor) or getattr(item, "_is_variable", False):
            return item.dtype
    return None


def _densified(slices, dtype, dtype_hint, name):
    """An IndexedSlices through TF's registered conversion (a hint that fails is dropped, as in TF)."""
    from .indexed_slices import to_dense

    if dtype is None and dtype_hint is not None:
        try:
            return to_dense(slices, dtypes.as_dtype(dtype_hint), name)
        except (TypeError, ValueError):
            pass
    return to_dense(slices, None if dtype is None else dtypes.as_dtype(dtype), name)


def _check_requested_dtype(value, dtype: DType, name=None) -> None:
    if dtype is value._dtype:
        return
    if type(value) is not EagerTensor:  # a variable's own conversion function says it, unprefixed
        raise ValueError(
            f"Incompatible type conversion requested to type {dtype.name} for `tf.Variable of type "
            f"{value._dtype.name}. (Variable: {value!r})"
        )
    prefix = f"{name}: " if name else ""
    raise ValueError(
        f"{prefix}Tensor conversion requested dtype {dtype.name} for Tensor with dtype {value._dtype.name}: {value!r}"
    )


def _holds_tensor(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Tensor) or getattr(item, "_is_variable", False):
            return True
    return False
