"""shim: TensorFlow's eager API on numpy. `import shim as tf` and run TF code unchanged.

This module only re-exports; the engine lives in `shim._core`, the ops in `shim.ops`.
"""

from __future__ import annotations

from ._core import dtypes as _dtypes_module
from ._core.dtypes import (
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
from ._core.logging import get_logger
from ._core.module import Module, name_scope
from ._core.ops import NotDifferentiable, RegisterGradient, no_gradient
from ._core.shape import TensorShape
from ._core.custom_gradient import custom_gradient
from ._core.indexed_slices import IndexedSlices
from ._core.function import function
from ._core.tape import GradientTape, UnconnectedGradients
from ._core.tensor import Tensor, convert_to_tensor, is_tensor
from ._core.tensor_spec import TensorSpec
from ._core.variable import Variable
from .ops import operators as _operators  # noqa: F401 (attaches +, -, [], ... to tensors)
from .ops.array_ops import (
    broadcast_to,
    cast,
    concat,
    constant,
    expand_dims,
    eye,
    fill,
    gather,
    gather_nd,
    identity,
    linspace,
    ones,
    ones_like,
    rank,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    stop_gradient,
    tile,
    transpose,
    unstack,
    zeros,
    zeros_like,
)
from .ops.array_ops import range_ as range  # noqa: A001
from .ops.array_ops import slice_ as slice  # noqa: A001
from .ops.composite_ops import boolean_mask, meshgrid, one_hot, repeat
from .ops.einsum_ops import einsum
from .ops.layout_ops import pad, reverse, roll, split, strided_slice
from .ops.linalg_ops import norm, tensordot
from .ops.scatter_ops import scatter_nd, tensor_scatter_nd_add, tensor_scatter_nd_update
from .ops.math_ops import (
    abs,  # noqa: A001
    add,
    complex,  # noqa: A001
    cos,
    cumprod,
    cumsum,
    divide,
    equal,
    exp,
    floor,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,  # noqa: A001
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    round,  # noqa: A001
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    truediv,
    where,
)
from .ops.elementwise_ops import acos, acosh, add_n, asin, asinh, atan, atan2, atanh, cosh, sinh
from .ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value
from .ops.reduction_ops import reduce_all, reduce_any, reduce_logsumexp
from .ops.sort_ops import argmax, argmin, argsort, sort
from . import autodiff, bitwise, config, debugging, dtypes, errors, image, linalg, math, nest, nn, random  # noqa: E402
from . import keras  # noqa: E402

__version__ = "2.21.0"
newaxis = None


class _Version:
    VERSION = __version__
    GIT_VERSION = "shim"


version = _Version()
