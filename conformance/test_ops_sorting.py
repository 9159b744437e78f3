"""Arg reductions and sorting: argmax, argmin, top_k, sort, argsort.

Values are drawn from a few numbers so that ties are common: TF breaks them by the lower
index everywhere. Forward values, index dtypes, the gradients of top_k and sort (the
upstream gradient scattered back where each value came from) and TF's errors for bad
axes, k and dtypes are compared. NaNs are left out of sorting: TF's order for them is
unspecified (it depends on its sort's internals).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case
from conformance.casekit import attempt, upstream_like


def test_ops_sorting(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "int16", "int32", "int64", "uint8")


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def tied(dtypes, min_dims=1, values=(-2.0, 0.0, 0.5, 3.0)):
    """Arrays of a drawn dtype whose elements come from a few values (ties are common)."""
    return st.tuples(st.sampled_from(dtypes), strategies.shapes(min_dims=min_dims, max_dims=3)).flatmap(
        lambda ds: hnp.arrays(np.float64, ds[1], elements=st.sampled_from(values)).map(lambda a: a.astype(ds[0]))
    )


def with_axis(arrays):
    """(x, axis): one valid axis of x, maybe negative."""
    return arrays.flatmap(lambda x: st.tuples(st.just(x), st.integers(-x.ndim, x.ndim - 1)))


# -- argmax, argmin -------------------------------------------------------------------------

_WITH_NAN = np.array([[np.nan, 1.0, 3.0], [np.nan, np.nan, np.nan], [np.nan, -np.inf, 2.0]], np.float32)


@case(
    ["ops.math.argmax", "ops.math.argmin"],
    inputs={
        "x_axis": with_axis(tied(FLOATS + ("int32", "int64", "uint8"))),
        "output_type": st.sampled_from(["int32", "int64"]),
    },
    examples=[{"x_axis": (_WITH_NAN, 1), "output_type": "int64"}, {"x_axis": (_WITH_NAN, 0), "output_type": "int32"}],
)
def arg_reductions(tf, x_axis, output_type):
    """The first index of the extreme value; nan never wins; not differentiable (None gradients)."""
    x, axis = x_axis
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        results = [
            tf.math.argmax(x, axis, output_type=output_type),
            tf.argmin(x, axis, output_type=output_type),
            tf.argmax(x),
            tf.math.argmin(x),
        ]
    return results, tape.gradient(results[0], x) if x.dtype.is_floating else None


@case(["ops.math.argmax", "ops.math.argmin"], inputs={"op": st.sampled_from(["argmax", "argmin"])})
def arg_reductions_edges(tf, op):
    """Bad axes (out of range, lists), empty axes, scalars, bools, int16 results (argmax only), bad output types."""
    fn = getattr(tf.math, op)
    x = tf.constant([[1.0, 3.0, 3.0], [2.0, -1.0, 2.0]])
    return [
        attempt(fn, x, 2),
        attempt(fn, x, -3),
        attempt(fn, x, [1]),
        attempt(fn, x, tf.constant(1, tf.int64)),
        attempt(fn, x, np.int32(-1)),
        attempt(fn, tf.constant(1.0)),
        attempt(fn, tf.zeros([0, 2])),
        attempt(fn, tf.zeros([2, 0]), 0),
        attempt(fn, tf.constant([True, False, True])),
        attempt(fn, [[1, 2], [4, 3]], 1),
        attempt(fn, x, 0, output_type=tf.int16),
        attempt(fn, x, 0, output_type=tf.float32),
    ]


# -- top_k ----------------------------------------------------------------------------------


@case(
    ["ops.math.top_k", "structures.output-gradients"],
    inputs={
        "x": tied(FLOATS),
        "k_fraction": st.floats(0, 1),
        "index_type": st.sampled_from(["int32", "int64", "int16"]),
        "up": upstreams(),
    },
)
def top_k(tf, x, k_fraction, index_type, up):
    """Values, indices (ties to the lower index) and the gradient scattered back to the picked positions
    (TF's gradient works for int32 indices only: it adds int32 offsets to them)."""
    k = int(round(k_fraction * x.shape[-1]))
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = tf.math.top_k(x, k, index_type=index_type)
    up = upstream_like(tf, result.values, up)
    return result.values, result.indices, attempt(tape.gradient, result.values, x, output_gradients=up)


@case(["ops.math.top_k"], inputs={"x": tied(INTS, values=(-128.0, 0.0, 3.0, 127.0))})
def top_k_integers(tf, x):
    values, indices = tf.math.top_k(x, x.shape[-1])
    return values, indices, tf.math.top_k(x).values


@case(["ops.math.top_k"])
def top_k_errors(tf):
    """k too large, negative, not a scalar or not an integer; scalars; bools; a bad index type; no rows."""
    x = tf.constant([[3.0, 1.0, 3.0], [2.0, 2.0, -1.0]])
    return [
        attempt(tf.math.top_k, x, 4),
        attempt(tf.math.top_k, x, -1),
        attempt(tf.math.top_k, x, tf.constant([1])),
        attempt(tf.math.top_k, x, 1.5),
        attempt(tf.math.top_k, tf.constant(1.0), 1),
        attempt(tf.math.top_k, tf.constant([True]), 1),
        attempt(tf.math.top_k, x, 2, index_type=tf.float32),
        attempt(tf.math.top_k, [1, 5, 5, 2], 2),
        attempt(tf.math.top_k, x, 0),
        attempt(tf.math.top_k, x, tf.constant(1.0)),
        attempt(tf.math.top_k, x, tf.constant(1, tf.int64)),
        attempt(tf.math.top_k, tf.zeros([0, 3]), 2),
    ]


# -- sort, argsort ----------------------------------------------------------------------------


@case(
    ["ops.sort", "ops.argsort", "structures.output-gradients"],
    inputs={
        "x_axis": with_axis(tied(FLOATS)),
        "direction": st.sampled_from(["ASCENDING", "DESCENDING"]),
        "up": upstreams(),
    },
)
def sort_and_argsort(tf, x_axis, direction, up):
    """Sorted values, stable indices, and sort's gradient (through top_k, transposes and negation)."""
    x, axis = x_axis
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sort(x, axis=axis, direction=direction)
    grad = tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))
    return y, tf.argsort(x, axis=axis, direction=direction, stable=True), grad


@case(
    ["ops.sort", "ops.argsort"],
    inputs={"x_axis": with_axis(tied(INTS, values=(-128.0, -1.0, 0.0, 3.0, 127.0)))},
)
def sort_integers(tf, x_axis):
    """Integers, extremes included (ascending order maps x to -x - 1, or max - x when unsigned)."""
    x, axis = x_axis
    x = tf.constant(x)
    return [tf.sort(x, axis), tf.argsort(x, axis), tf.sort(x, axis, "DESCENDING"), tf.argsort(x, axis, "DESCENDING")]


@case(["ops.sort", "ops.argsort"])
def sort_errors(tf):
    """A bad direction, a non-scalar or out-of-range axis, a scalar input, bools and strings; empty inputs."""
    x = tf.constant([[3.0, 1.0], [0.0, 2.0]])
    return [
        attempt(tf.sort, x, direction="UP"),
        attempt(tf.argsort, x, axis=[0]),
        attempt(tf.sort, x, axis=2),
        attempt(tf.argsort, x, axis=-3),
        attempt(tf.sort, tf.constant(1.0)),
        attempt(tf.sort, tf.constant([True, False])),
        attempt(tf.argsort, tf.constant(["b", "a"])),
        attempt(tf.sort, [3, 1, 2]),
        attempt(tf.sort, tf.zeros([2, 0])),
        attempt(tf.argsort, tf.zeros([0, 2]), axis=0),
    ]
