"""Integer, boolean and string dtypes on the tape: None gradients, casts that cut the
path, and the "must be floating" warning TF logs when such a tensor is watched.

TF logs that warning with log_first_n(..., 5), counted per line of the caller of
tape.watch; the harness forgets the counts before each example, so a case starts
as a fresh process would.

Guide: autodiff "Took gradients through an integer or string".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_dtypes(case, check):
    check(case)


_int_dtype = st.sampled_from(strategies.INT_DTYPES)
_small_ints = strategies.int_arrays(_int_dtype, strategies.shapes(max_dims=2), 0, 9)
_NON_FLOAT = ("int8", "int16", "int32", "int64", "uint8", "bool", "string")


def _non_float_value(dtype, values):
    """`values` (small non-negative ints) as a numpy array of the dtype name."""
    values = np.asarray(values)
    if dtype == "string":
        return values.astype(str).astype(object)
    if dtype == "bool":
        return values % 2 == 1
    return values.astype(dtype)


@case(
    ["dtypes.integer-gradient-none", "watch.trainable-variables"],
    inputs={"x0": _small_ints},
    examples=[{"x0": np.int32(1)}],
)
def integer_variable_gradient_none(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = x * x
    return x.trainable, tape.gradient(y, x), tape.watched_variables()


@case(
    ["dtypes.integer-gradient-none", "dtypes.integer-watch-warning", "tape.gradient-of-source-itself"],
    inputs={"x0": _small_ints},
    examples=[{"x0": np.int32([1, 2])}],
)
def integer_constant_watched(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 2
    return tape.gradient(y, x), tape.gradient(x, x)


@case(
    ["dtypes.integer-gradient-none", "dtypes.integer-watch-warning"],
    inputs={"dtype": st.sampled_from(_NON_FLOAT), "values": st.lists(st.integers(0, 9), min_size=1, max_size=4)},
    examples=[{"dtype": "string", "values": [1, 2]}],
)
def non_float_watched_then_unused(tf, dtype, values):
    s = tf.constant(_non_float_value(dtype, values))
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        tape.watch(s)
        y = w * w
    return tape.gradient(y, [s, w])


@case(
    ["dtypes.integer-watch-warning"],
    inputs={"count": st.integers(1, 8), "dtype": st.sampled_from(_NON_FLOAT)},
    examples=[{"count": 7, "dtype": "int32"}],
)
def watch_warning_first_five(tf, count, dtype):
    tensors = [tf.constant(_non_float_value(dtype, [i])) for i in range(count)]
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
    return count


@case(
    ["dtypes.integer-watch-warning"],
    inputs={"first": st.integers(0, 7), "second": st.integers(0, 7)},
    examples=[{"first": 5, "second": 2}],
)
def watch_warning_counted_per_calling_line(tf, first, second):
    with tf.GradientTape() as tape:
        for i in range(first):
            tape.watch(tf.constant(i))
        for i in range(second):
            tape.watch(tf.constant(i, dtype=tf.int64))
    return first, second


@case(
    ["dtypes.integer-gradient-none", "dtypes.integer-watch-warning"],
    inputs={"x0": _small_ints},
    examples=[{"x0": np.int32([1, 2])}],
)
def integer_source_through_cast(tf, x0):
    x = tf.constant(x0)
    w = tf.Variable(1.5)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        f = tf.cast(x, tf.float32) * w
        total = tf.reduce_sum(f)
    return (
        f,
        tape.gradient(total, [x, w]),
        tape.gradient(total, x, unconnected_gradients=tf.UnconnectedGradients.ZERO),
        tape.gradient(total, f),
    )


@case(
    ["dtypes.integer-gradient-none"],
    inputs={
        "x0": strategies.arrays("float32", strategies.shapes(max_dims=2), -4.0, 4.0),
        "through": st.sampled_from(["int32", "int64", "uint8", "bool", "float16", "float64"]),
    },
    examples=[{"x0": np.float32(1.5), "through": "int32"}],
)
def float_source_through_cast(tf, x0, through):
    x = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as tape:
        middle = tf.cast(x, getattr(tf, through))
        back = tf.cast(middle, tf.float32)
        y = tf.reduce_sum(back * 2.0)
    return middle, tape.gradient(y, x), tape.gradient(y, middle), tape.gradient(middle, x)


@case(
    ["dtypes.integer-gradient-none"],
    inputs={"text": st.sampled_from(["abc", "", "tape"]), "x0": strategies.python_floats()},
    examples=[{"text": "abc", "x0": 2.0}],
)
def string_variable(tf, text, x0):
    s = tf.Variable(text)
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        r = tf.identity(s)
        y = x * x
    return s.trainable, r, tape.gradient(y, [s, x]), tape.watched_variables()
