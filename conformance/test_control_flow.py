"""Python control flow inside the tape: only the branch taken and the iterations run are
recorded; slicing and indexing in loops give gradients to the elements used.

Guide: autodiff "Control flow".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_control_flow(case, check):
    check(case)


_small = strategies.python_floats(-3.0, 3.0)
_vector = strategies.arrays("float32", strategies.shapes(min_dims=1, max_dims=1), -2.0, 2.0)
_matrix = strategies.arrays("float32", strategies.shapes(min_dims=2, max_dims=2), -2.0, 2.0)


@case(
    ["control_flow.python-branches"],
    inputs={"x0": _small, "threshold": _small},
    examples=[{"x0": 1.0, "threshold": 2.0}, {"x0": 3.0, "threshold": 2.0}],
)
def branch_on_variable_value(tf, x0, threshold):
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        if x < threshold:
            y = x**2
        else:
            y = x**3
    return y, tape.gradient(y, x)


@case(
    ["control_flow.python-branches", "unconnected.none-default"],
    inputs={"x0": _vector, "v0": _small},
    examples=[{"x0": np.float32([1.0, -2.0]), "v0": 2.0}],
)
def branch_picks_the_source(tf, x0, v0):
    x = tf.constant(x0)
    v = tf.Variable(v0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        if tf.reduce_sum(x) > 0:
            result = tf.reduce_sum(x * x)
        else:
            result = v * 3.0
    return result, tape.gradient(result, {"x": x, "v": v})


@case(
    ["control_flow.python-branches"],
    inputs={"x0": _vector},
    examples=[{"x0": np.float32([1.0, -2.0, 0.5])}],
)
def branch_per_element(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        parts = []
        for i in range(x0.shape[0]):
            if x[i] > 0:
                parts.append(x[i] * x[i])
            elif x[i] < -1:
                parts.append(tf.sin(x[i]))
            else:
                parts.append(tf.constant(0.0))
        y = parts[0]
        for part in parts[1:]:
            y = y + part
    return y, tape.gradient(y, x)


@case(
    ["control_flow.loops-and-slices"],
    inputs={"x0": strategies.python_floats(0.5, 1.5), "limit": strategies.python_floats(2.0, 20.0)},
    examples=[{"x0": 1.25, "limit": 10.0}],
)
def while_loop_until_threshold(tf, x0, limit):
    x = tf.Variable(x0)
    steps = 0
    with tf.GradientTape() as tape:
        y = x + 1.0
        while y < limit and steps < 6:
            y = y * x + 1.0
            steps += 1
    return steps, y, tape.gradient(y, x)


@case(
    ["control_flow.loops-and-slices"],
    inputs={"x0": _small, "n": st.integers(0, 5)},
    examples=[{"x0": 2.0, "n": 4}],
)
def for_loop_accumulates(tf, x0, n):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.constant(0.0)
        for i in range(n):
            total = total + x ** float(i + 1) / float(i + 1)
    return total, tape.gradient(total, x, unconnected_gradients="zero")


@case(
    ["control_flow.loops-and-slices"],
    inputs={"x0": _vector, "indices": st.lists(st.integers(0, 3), min_size=1, max_size=5)},
    examples=[{"x0": np.float32([1.0, 2.0, 3.0]), "indices": [0, 2, 2]}],
)
def indexing_in_loop(tf, x0, indices):
    x = tf.Variable(x0)
    n = x0.shape[0]
    with tf.GradientTape() as tape:
        y = tf.constant(0.0)
        for k, i in enumerate(indices):
            y = y + x[i % n] * float(k + 1)
    return y, tape.gradient(y, x)


@case(
    ["control_flow.loops-and-slices"],
    inputs={"x0": _matrix},
    examples=[{"x0": np.float32([[1.0, 2.0], [3.0, 4.0]])}],
)
def slices_in_loop(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(0.0)
        for i in range(x0.shape[0]):
            row = x[i, :]
            y = y + tf.reduce_sum(row[: i + 1] ** 2)
        y = y + tf.reduce_sum(x[:, -1])
    return y, tape.gradient(y, x)


@case(
    ["control_flow.loops-and-slices"],
    inputs={"x0": _matrix},
    examples=[{"x0": np.float32([[1.0, 2.0], [3.0, 4.0]])}],
)
def iterating_over_tensor_rows(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = tf.constant(0.0)
        for weight, row in enumerate(x):
            y = y + float(weight + 1) * tf.reduce_sum(row * row)
    return y, tape.gradient(y, x)


@case(
    ["control_flow.python-branches", "control_flow.loops-and-slices"],
    inputs={"x0": _vector},
    examples=[{"x0": np.float32([0.5, -1.0, 2.0])}],
)
def loop_with_break_on_value(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(1.0)
        used = 0
        for i in range(x0.shape[0]):
            if x[i] < 0:
                break
            y = y * (x[i] + 1.0)
            used += 1
    return used, y, tape.gradient(y, x)
