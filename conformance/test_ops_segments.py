"""Segment sums and bincount: tf.math.segment_sum, tf.math.unsorted_segment_sum, tf.math.bincount.

Forward values (segments without rows give zeros; negative ids are dropped by the unsorted
sum), gradients (the upstream gradient gathered back by id), and TF's errors for unsorted,
negative or out-of-range ids, mismatched shapes and dtypes are compared with TensorFlow's.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case
from conformance.casekit import attempt, upstream_like


def test_ops_segments(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _rows(n, dtypes=FLOATS):
    """n rows of a drawn dtype and row shape, multiples of 1/8 (sums are exact in any order)."""
    return st.tuples(st.sampled_from(dtypes), strategies.shapes(max_dims=2, max_side=3)).flatmap(
        lambda ds: hnp.arrays(np.float64, (n,) + ds[1], elements=st.integers(-24, 24).map(lambda v: v / 8)).map(
            lambda a: a.astype(ds[0])
        )
    )


def sorted_segments():
    """(data, sorted ids, ids dtype): 1-5 rows, ids non-decreasing from a small start, gaps allowed."""
    return st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            _rows(n),
            st.lists(st.integers(0, 2), min_size=n, max_size=n).map(lambda steps: np.cumsum(steps).tolist()),
            st.sampled_from(["int32", "int64"]),
        )
    )


def unsorted_segments():
    """(data, ids in [-1, 4) in any order, num_segments >= 4, ids dtype)."""
    return st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            _rows(n),
            st.lists(st.integers(-1, 3), min_size=n, max_size=n),
            st.integers(4, 5),
            st.sampled_from(["int32", "int64"]),
        )
    )


# -- segment_sum -------------------------------------------------------------------------------


@case(
    ["ops.math.segment_sum", "structures.output-gradients"], inputs={"segments": sorted_segments(), "up": upstreams()}
)
def segment_sum(tf, segments, up):
    """Rows summed by sorted id (as many output rows as the last id + 1); the gradient gathers by id."""
    data, ids, ids_dtype = segments
    data, ids = tf.constant(data), tf.constant(ids, ids_dtype)
    with tf.GradientTape() as tape:
        tape.watch(data)
        y = tf.math.segment_sum(data, ids)
    return y, tape.gradient(y, data, output_gradients=upstream_like(tf, y, up))


@case(["ops.math.segment_sum"])
def segment_sum_errors(tf):
    """Unsorted or negative ids, ids of the wrong size or rank, float ids, bools, scalars; integers and no rows."""
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return [
        attempt(tf.math.segment_sum, d, tf.constant([1, 0, 2])),
        attempt(tf.math.segment_sum, d, tf.constant([3, 0, 2])),
        attempt(tf.math.segment_sum, d, tf.constant([-1, 0, 2])),
        attempt(tf.math.segment_sum, d, [-1, 0, 2]),
        attempt(tf.math.segment_sum, d, tf.constant([0, 0])),
        attempt(tf.math.segment_sum, d, tf.constant([[0, 0, 1]])),
        attempt(tf.math.segment_sum, d, tf.constant([0.0, 0.0, 2.0])),
        attempt(tf.math.segment_sum, tf.constant([True]), [0]),
        attempt(tf.math.segment_sum, tf.constant(1.0), tf.constant(0)),
        attempt(tf.math.segment_sum, tf.constant([1, 2, 3]), [0, 1, 1]),
        attempt(tf.math.segment_sum, tf.zeros([0, 2]), tf.zeros([0], tf.int32)),
    ]


# -- unsorted_segment_sum -------------------------------------------------------------------------


@case(
    ["ops.math.unsorted_segment_sum", "structures.output-gradients"],
    inputs={"segments": unsorted_segments(), "up": upstreams()},
)
def unsorted_segment_sum(tf, segments, up):
    """Rows summed by id in any order; negative ids are dropped (their rows get a zero gradient)."""
    data, ids, num_segments, ids_dtype = segments
    data, ids = tf.constant(data), tf.constant(ids, ids_dtype)
    with tf.GradientTape() as tape:
        tape.watch(data)
        y = tf.math.unsorted_segment_sum(data, ids, num_segments)
    return y, tape.gradient(y, data, output_gradients=upstream_like(tf, y, up))


@case(["ops.math.unsorted_segment_sum"])
def unsorted_segment_sum_errors(tf):
    """Ids past num_segments, ids of another shape than data's start."""
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return [
        attempt(tf.math.unsorted_segment_sum, d, [0, 5, -1], 3),
        attempt(tf.math.unsorted_segment_sum, d, [0, 1], 3),
        attempt(tf.math.unsorted_segment_sum, d, tf.constant([0, 1, 1]), 1),
        attempt(tf.math.unsorted_segment_sum, d, tf.constant([[0], [1], [1]]), 2),
    ]


# -- bincount -----------------------------------------------------------------------------------


@case(
    ["ops.math.bincount"],
    inputs={
        "arr": hnp.arrays(np.int32, strategies.shapes(min_dims=1, max_dims=2, min_side=0), elements=st.integers(0, 6)),
        "weighted": st.booleans(),
        "minlength": st.none() | st.integers(0, 9),
        "maxlength": st.none() | st.integers(0, 9),
        "axis": st.sampled_from([None, 0, -1]),
        "binary_output": st.booleans(),
    },
)
def bincount(tf, arr, weighted, minlength, maxlength, axis, binary_output):
    """Counts (or weights) per value, over the flattened array or per row (axis=-1), sized by the largest
    value, minlength and maxlength; values past maxlength are dropped."""
    arr = tf.constant(arr)
    weights = tf.cast(arr, tf.float32) * 0.5 + 0.25 if weighted and not binary_output else None
    return tf.math.bincount(
        arr, weights=weights, minlength=minlength, maxlength=maxlength, axis=axis, binary_output=binary_output
    )


@case(["ops.math.bincount"])
def bincount_edges(tf):
    """Output dtypes, lists and float arrays (cast to int32), empty input, bad values, shapes, axes and dtypes;
    no gradient is registered for weights."""
    arr = tf.constant([1, 1, 3, 0])
    weights = tf.constant([0.5, 1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(weights)
        y = tf.math.bincount(arr, weights=weights)
    return [
        y,
        attempt(tape.gradient, y, weights),
        attempt(tf.math.bincount, arr, dtype=tf.float32),
        attempt(tf.math.bincount, arr, dtype=tf.int64),
        attempt(tf.math.bincount, [1, 1, 3]),
        attempt(tf.math.bincount, tf.constant([1.5, 2.7])),
        attempt(tf.math.bincount, tf.constant([], tf.int32)),
        attempt(tf.math.bincount, tf.constant([1, 2], tf.int64)),
        attempt(tf.math.bincount, tf.constant([1, -1, 3])),
        attempt(tf.math.bincount, tf.constant([-5])),
        attempt(tf.math.bincount, tf.constant([1, 2]), weights=tf.constant([1.0, 2.0, 3.0])),
        attempt(tf.math.bincount, tf.constant([1, 2]), weights=tf.constant([1.0, 2.0]), binary_output=True),
        attempt(tf.math.bincount, tf.constant([[1, 2], [0, 0]]), axis=1),
        attempt(tf.math.bincount, tf.constant([[[1]]]), axis=-1),
        attempt(tf.math.bincount, tf.constant([1, 2], tf.uint8)),
        attempt(tf.math.bincount, tf.constant([1, 4]), dtype=tf.bool),
        attempt(tf.math.bincount, tf.constant([1, 2]), minlength=-3),
    ]
