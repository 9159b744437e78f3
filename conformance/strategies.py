"""Hypothesis strategies shared by every family, built on `hypothesis.extra.numpy`.

Inputs are data only (numpy arrays, Python scalars, dtype names, flags), so they
record as JSON and print as repro literals. Values stay in ranges where float32
kernels of different libraries agree to the comparator's tolerance; subnormals are
left out (TF's CPU kernels flush them to zero, a behaviour with cases of its own).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = ("float16", "float32", "float64")
COMMON_FLOATS = ("float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8")


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _elements(dtype: str, low: float, high: float, exclude: float | None = None):
    width = np.dtype(dtype).itemsize * 8
    values = st.floats(low, high, width=width, allow_subnormal=False, allow_nan=False, allow_infinity=False)
    if exclude is not None:
        values = values.filter(lambda v: abs(v - exclude) > 1e-2)
    return values


def arrays(dtype="float32", shape=None, low: float = -5.0, high: float = 5.0, exclude: float | None = None):
    """Float arrays of `dtype` (a name or a strategy of names) and `shape` (a tuple, a strategy, or any)."""
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)
    shape_st = shape if isinstance(shape, st.SearchStrategy) else (st.just(shape) if shape is not None else shapes())
    return st.tuples(dtypes, shape_st).flatmap(
        lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=_elements(ds[0], low, high, exclude))
    )


def scalars(dtype="float32", low: float = -5.0, high: float = 5.0, exclude: float | None = None):
    return arrays(dtype, (), low, high, exclude)


def int_arrays(dtype="int32", shape=None, low: int = -20, high: int = 20):
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)
    shape_st = shape if isinstance(shape, st.SearchStrategy) else (st.just(shape) if shape is not None else shapes())

    def build(ds):
        info = np.iinfo(ds[0])
        return hnp.arrays(np.dtype(ds[0]), ds[1], elements=st.integers(max(low, info.min), min(high, info.max)))

    return st.tuples(dtypes, shape_st).flatmap(build)


def grid(dtype="float32", shape=None, bound: float = 3.0):
    """Arrays whose values are multiples of 1/8 in [-bound, bound]: sums and products of a few
    are exact in every float dtype, so the order of accumulation cannot change a result."""
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)
    shape_st = shape if isinstance(shape, st.SearchStrategy) else (st.just(shape) if shape is not None else shapes())
    eighths = st.integers(int(-bound * 8), int(bound * 8)).map(lambda n: n / 8)
    return st.tuples(dtypes, shape_st).flatmap(lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=eighths))


def float_dtypes(names=COMMON_FLOATS):
    return st.sampled_from(names)


def python_floats(low: float = -5.0, high: float = 5.0):
    """Python floats (they become float32 tensors) with few digits, as people write them."""
    return st.integers(int(low * 8), int(high * 8)).map(lambda n: n / 8)


def broadcastable_pair(dtype="float32", low: float = -5.0, high: float = 5.0, max_dims: int = 3):
    """Two arrays of one dtype whose shapes broadcast together."""
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)

    def build(d):
        return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=max_dims, max_side=3).flatmap(
            lambda shapes: st.tuples(
                *(hnp.arrays(np.dtype(d), s, elements=_elements(d, low, high)) for s in shapes.input_shapes)
            )
        )

    return dtypes.flatmap(build)


def matmul_pair(dtype="float32", low: float = -3.0, high: float = 3.0):
    """(a, b) with a @ b defined: a is n x k, b is k x m."""
    dims = st.integers(1, 4)
    return st.tuples(dims, dims, dims).flatmap(
        lambda nkm: st.tuples(
            hnp.arrays(np.dtype(dtype), (nkm[0], nkm[1]), elements=_elements(dtype, low, high)),
            hnp.arrays(np.dtype(dtype), (nkm[1], nkm[2]), elements=_elements(dtype, low, high)),
        )
    )


def axes_for(rank: int):
    """None, an axis, or a tuple of distinct axes (negative ones too) for an array of `rank`."""
    if rank == 0:
        return st.none()
    single = st.integers(-rank, rank - 1)
    several = st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank, unique=True).map(tuple)
    return st.none() | single | several


def array_and_axis(dtype="float32", low: float = -5.0, high: float = 5.0):
    """(x, axis) for reductions."""
    return arrays(dtype, shapes(min_dims=0, max_dims=3), low, high).flatmap(
        lambda x: st.tuples(st.just(x), axes_for(x.ndim))
    )


def structures(leaves, max_leaves: int = 4):
    """Nested lists, tuples and dicts (string keys) whose leaves come from `leaves`."""
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, min_size=1, max_size=3)
            | st.lists(children, min_size=1, max_size=3).map(tuple)
            | st.dictionaries(st.sampled_from("abcd"), children, min_size=1, max_size=3)
        ),
        max_leaves=max_leaves,
    )


flags = st.booleans


_FULL = (2, 2, 3)  # every shape of compatible_shapes broadcasts with every other one


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to an output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def compatible_shapes():
    """Shapes of rank 0-3 whose dims are 1 or (2, 2, 3)'s: any two broadcast together."""
    return st.lists(st.booleans(), max_size=3).map(
        lambda keep: tuple(_FULL[3 - len(keep) + i] if k else 1 for i, k in enumerate(keep))
    )


def operands(low=-5.0, high=5.0, min_abs=0.0, elements=None):
    """float64 arrays of compatible_shapes (cast to a case's dtype inside it), away from float16's subnormals."""
    if elements is None:
        floats = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
        elements = floats.filter(lambda v: abs(v) >= min_abs and (v == 0 or abs(v) >= 1e-3))
    return hnp.arrays(np.float64, compatible_shapes(), elements=elements)


COMPLEX_DTYPES = ("complex64", "complex128")


def complex_operands(re=(-2.0, 2.0), im=(-2.0, 2.0), min_abs=0.0):
    """complex128 arrays of compatible_shapes (cast to a case's dtype inside it): real and imaginary
    parts drawn from their own ranges (to stay off branch cuts and poles), away from float32's subnormals."""

    def part(low, high):
        floats = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
        return floats.filter(lambda v: v == 0 or abs(v) >= 1e-3)

    elements = st.builds(complex, part(*re), part(*im)).filter(lambda z: abs(z) >= min_abs)
    return hnp.arrays(np.complex128, compatible_shapes(), elements=elements)


def complex_upstreams():
    """A few nonzero complex numbers on a grid of 1/8 (exact in complex64), repeated to an output's shape."""
    eighths = st.integers(-16, 16).map(lambda n: n / 8)
    return st.lists(st.builds(complex, eighths, eighths).filter(bool), min_size=1, max_size=4)
