"""`tf.random`: seedable draws from numpy's Generator (values need not equal TF's)."""

from __future__ import annotations

import numpy as np

from .._core import dtypes
from .._core.dtypes import as_dtype
from .._core.tensor import make
from .array_ops import _shape_arg

_global_seed: int | None = None
_global_rng = np.random.default_rng()
_op_counter = 0


def set_seed(seed) -> None:
    """`tf.random.set_seed`: later draws are reproducible, as in TF (though not TF's numbers)."""
    global _global_seed, _global_rng, _op_counter
    _global_seed = None if seed is None else int(seed)
    _global_rng = np.random.default_rng(_global_seed)
    _op_counter = 0


def _rng(seed):
    global _op_counter
    if seed is None:
        return _global_rng
    _op_counter += 1
    return np.random.default_rng([int(seed), _global_seed or 0, _op_counter])


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    dtype = as_dtype(dtype)
    values = _rng(seed).standard_normal(_shape_arg(shape)) * float(stddev) + float(mean)
    return make(np.asarray(values).astype(dtype.np_dtype), dtype)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    dtype = as_dtype(dtype)
    shape = _shape_arg(shape)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        values = _rng(seed).integers(int(minval), int(maxval), size=shape)
    else:
        maxval = 1.0 if maxval is None else float(maxval)
        values = _rng(seed).uniform(float(minval), maxval, size=shape)
    return make(np.asarray(values).astype(dtype.np_dtype), dtype)
