"""`tf.dtypes`: the DType class, `as_dtype`, the dtypes themselves, and `cast`."""

from ._core.dtypes import (  # noqa: F401
    DType,
    as_dtype,
    bfloat16,
    bool_ as bool,  # noqa: A001 (TF's name)
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .ops.array_ops import cast  # noqa: F401
from .ops.math_ops import complex  # noqa: F401, A004

half = float16
double = float64
