"""`tf.TensorSpec`: the shape, dtype and optional name a tensor must have (a tf.function's
input_signature is made of them).

Compatibility follows TF: a spec is compatible with another spec or a tensor (not a
variable, a numpy array or a Python value) of the same dtype whose shape is compatible.
"""

from __future__ import annotations

from . import dtypes
from .shape import TensorShape
from .tensor import Tensor

__all__ = ["TensorSpec", "shape_is_subtype"]


class TensorSpec:
    """`tf.TensorSpec(shape, dtype=tf.float32, name=None)`."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of `tensor` (its own name is not kept: eager tensors have none)."""
        return cls(tensor.shape, tensor.dtype, name)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def value_type(self):
        return Tensor

    def is_compatible_with(self, spec_or_value) -> bool:
        return (
            isinstance(spec_or_value, (TensorSpec, Tensor))
            and self._dtype.is_compatible_with(spec_or_value.dtype)
            and self._shape.is_compatible_with(spec_or_value.shape)
        )

    def is_subtype_of(self, other) -> bool:
        """True if every tensor this spec describes is also described by `other`."""
        return (
            isinstance(other, TensorSpec)
            and (not self._name or self._name == other._name)
            and shape_is_subtype(self._shape, other._shape)
            and self._dtype == other._dtype
        )

    def __eq__(self, other) -> bool:
        return (
            type(self) is type(other)
            and self._shape == other._shape
            and self._dtype == other._dtype
            and self._name == other._name
        )

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype))  # as TF: the name is left out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


def shape_is_subtype(shape: TensorShape, other: TensorShape) -> bool:
    """TF's TensorShape.is_subtype_of: any shape fits an unknown rank; otherwise equal ranks
    and each dimension equal, or None in `other`."""
    if other.rank is None:
        return True
    if shape.rank != other.rank:
        return False
    return all(b is None or a == b for a, b in zip(shape.as_list(), other.as_list()))
