"""TensorFlow's dtypes as data: one table, one DType object per row.

Each DType knows its numpy dtype, its kind, and the C++ name TensorFlow uses in
error messages ("float", "double", "half"), since users compare those texts.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DType", "as_dtype"]

# name, numpy dtype name, TF's C++ name, kind (f=float, c=complex, i=signed int,
# u=unsigned int, b=bool, s=string), byte size
_TABLE = (
    ("float16", "float16", "half", "f", 2),
    ("bfloat16", "bfloat16", "bfloat16", "f", 2),
    ("float32", "float32", "float", "f", 4),
    ("float64", "float64", "double", "f", 8),
    ("int8", "int8", "int8", "i", 1),
    ("int16", "int16", "int16", "i", 2),
    ("int32", "int32", "int32", "i", 4),
    ("int64", "int64", "int64", "i", 8),
    ("uint8", "uint8", "uint8", "u", 1),
    ("uint16", "uint16", "uint16", "u", 2),
    ("uint32", "uint32", "uint32", "u", 4),
    ("uint64", "uint64", "uint64", "u", 8),
    ("bool", "bool", "bool", "b", 1),
    ("string", "object", "string", "s", 0),
    ("complex64", "complex64", "complex64", "c", 8),
    ("complex128", "complex128", "complex128", "c", 16),
)


def _bfloat16():
    # ml_dtypes is imported on first use only: `import shim` stays light.
    import ml_dtypes

    return np.dtype(ml_dtypes.bfloat16)


class DType:
    """A TensorFlow dtype: `tf.float32`, `tf.int32`, ..."""

    __slots__ = ("name", "c_name", "_kind", "size", "_np", "trainable")

    def __init__(self, name: str, np_name: str, c_name: str, kind: str, size: int):
        self.name = name
        self.c_name = c_name
        self._kind = kind
        self.size = size
        self._np = None if name == "bfloat16" else np.dtype(np_name)
        # Tapes record ops on floating and complex values only, as TF's tape does.
        self.trainable = kind in "fc"

    @property
    def np_dtype(self) -> np.dtype:
        if self._np is None:
            self._np = _bfloat16()
        return self._np

    @property
    def as_numpy_dtype(self):
        return object if self._kind == "s" else self.np_dtype.type

    @property
    def as_datatype_enum(self) -> int:
        return _ENUMS[self.name]

    is_quantized = property(lambda self: False)

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    is_floating = property(lambda self: self._kind == "f")
    is_complex = property(lambda self: self._kind == "c")
    is_integer = property(lambda self: self._kind in "iu")
    is_unsigned = property(lambda self: self._kind == "u")
    is_bool = property(lambda self: self._kind == "b")
    is_numeric = property(lambda self: self._kind in "fciu")
    is_numpy_compatible = property(lambda self: True)

    @property
    def min(self):
        return self._limits("minimum").min

    @property
    def max(self):
        return self._limits("maximum").max

    def _limits(self, which: str):
        if self._kind in "bsc":
            raise TypeError(f"Cannot find {which} value of {self} with type {self}.")
        if self._kind == "f":
            import ml_dtypes  # its finfo covers bfloat16 as well as numpy's floats

            return ml_dtypes.finfo(self.np_dtype)
        return np.iinfo(self.np_dtype)

    def is_compatible_with(self, other) -> bool:
        return self == other

    def __eq__(self, other) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except (TypeError, ValueError):
            return False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: {self.name!r}>"

    def __reduce__(self):
        return as_dtype, (self.name,)


_BY_NAME: dict[str, DType] = {row[0]: DType(*row) for row in _TABLE}
float16 = _BY_NAME["float16"]
bfloat16 = _BY_NAME["bfloat16"]
float32 = _BY_NAME["float32"]
float64 = _BY_NAME["float64"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
bool_ = _BY_NAME["bool"]
string = _BY_NAME["string"]
complex64 = _BY_NAME["complex64"]
complex128 = _BY_NAME["complex128"]

# TF's other spellings of the same dtypes.
_ALIASES = {"half": float16, "float": float32, "double": float64, "bool_": bool_}

# numpy dtype -> DType, keyed by numpy's own dtype name ("bfloat16" included).
_BY_NUMPY_NAME = {("object" if d is string else d.name): d for d in _BY_NAME.values()}
_BY_NUMPY_NAME.update({"str": string, "bytes": string})


def as_dtype(type_value) -> DType:
    """Converts a DType, a name, a DataType enum, a numpy type or dtype, float/bool/object to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, np.dtype):
        found = _from_numpy_type(type_value.type)
        if found is not None:
            return found
    found = None
    if isinstance(type_value, str):
        found = _BY_NAME.get(type_value) or _ALIASES.get(type_value)
    elif isinstance(type_value, int) and not isinstance(type_value, bool):
        found = _BY_ENUM.get(type_value)
    elif isinstance(type_value, type):
        if type_value.__module__ == "builtins":
            found = _PYTHON_TYPES.get(type_value)  # type: ignore[arg-type]  # keyed by the builtin types
        else:
            found = _from_numpy_type(type_value)
    if found is not None:
        return found
    if hasattr(type_value, "dtype"):
        try:
            found = _from_numpy_type(np.dtype(type_value.dtype).type)
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return found
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")


# TF's tables take float (float32), bool and object (string) among Python types, not int or str.
_PYTHON_TYPES = {float: float32, bool: bool_, object: string}
_ENUMS = {
    "float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7, "complex64": 8,
    "int64": 9, "bool": 10, "bfloat16": 14, "uint16": 17, "complex128": 18, "float16": 19, "uint32": 22,
    "uint64": 23,
}  # fmt: skip
_BY_ENUM = {number: _BY_NAME[name] for name, number in _ENUMS.items()}


def _from_numpy_type(np_type):
    """A numpy scalar type (np.float32, np.str_, ...) as TF's _NP_TO_TF knows it."""
    if np_type in (np.str_, np.bytes_, np.object_):
        return string
    try:
        name = np.dtype(np_type).name
    except TypeError:
        return None
    if name in ("object", "str", "bytes"):
        return None
    return _BY_NUMPY_NAME.get(name)
