"""Higher-order gradients: nested tapes (second and third derivatives at drawn points),
persistent outer tapes, gradients of gradients with respect to several sources, and
several tapes recording at once with different watched sets.

Guide: advanced autodiff "Higher-order gradients".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.casekit import SMOOTH_FUNCTIONS, smooth
from conformance.cases import case


def test_higher_order(case, check):
    check(case)


_point = strategies.arrays("float32", strategies.shapes(max_dims=1, max_side=3), -2.0, 2.0)
_small = strategies.python_floats(-2.0, 2.0)
# Eighths in [-2, 2], zeros included: products of them stay far from float32's subnormals.
_grid = strategies.grid("float32", strategies.shapes(min_dims=1, max_dims=2, max_side=3), bound=2.0)


@case(
    ["higher_order.nested-tapes"],
    inputs={"x0": _point, "function": st.sampled_from(SMOOTH_FUNCTIONS)},
    examples=[{"x0": np.float32(1.0), "function": "cube"}, {"x0": np.float32([0.5, -1.0]), "function": "tanh"}],
)
def second_derivative(tf, x0, function):
    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = smooth(tf, function, x)
        dy_dx = inner.gradient(y, x)
    return y, dy_dx, outer.gradient(dy_dx, x)


@case(
    ["higher_order.nested-tapes"],
    inputs={"x0": _point, "function": st.sampled_from(SMOOTH_FUNCTIONS)},
    examples=[{"x0": np.float32(2.0), "function": "quartic_poly"}],
)
def third_derivative(tf, x0, function):
    x = tf.Variable(x0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = smooth(tf, function, x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    return d1, d2, d3


@case(
    ["higher_order.nested-tapes", "persistence.persistent-reuse"],
    inputs={"x0": _small},
    examples=[{"x0": 2.0}],
)
def persistent_outer_tape(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            y = x**3 + x * x
        dy = inner.gradient(y, x)
        twice = dy * 2.0
    return dy, outer.gradient(dy, x), outer.gradient(twice, x), outer.gradient(y, x)


@case(
    ["higher_order.nested-tapes", "structures.nested-sources"],
    inputs={"x0": _small, "y0": _small},
    examples=[{"x0": 2.0, "y0": 3.0}],
)
def gradients_of_gradients_several_sources(tf, x0, y0):
    x = tf.Variable(x0)
    y = tf.Variable(y0)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            z = x**2 * y + y**3 + tf.sin(x * y)
        dz = inner.gradient(z, [x, y])
    hessian = [outer.gradient(g, [x, y]) for g in dz]
    return dz, hessian, outer.gradient(dz, [x, y])


@case(
    ["higher_order.nested-tapes", "structures.non-scalar-target-sum"],
    inputs={"x0": _grid},
    examples=[{"x0": np.float32([1.0, 2.0])}, {"x0": np.float32([0.0, 2.0, 0.5])}],
)
def second_derivative_of_vector(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(x**3) + tf.reduce_prod(x)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


@case(
    ["higher_order.nested-tapes", "watch.constants-unwatched"],
    inputs={"x0": _small, "gradient_inside_outer": st.booleans()},
    examples=[{"x0": 3.0, "gradient_inside_outer": False}],
)
def outer_tape_misses_inner_gradient(tf, x0, gradient_inside_outer):
    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        if gradient_inside_outer:
            dy = inner.gradient(y, x)
    if not gradient_inside_outer:
        dy = inner.gradient(y, x)
    return dy, outer.gradient(dy, x)


@case(
    ["higher_order.several-tapes"],
    inputs={"x0": _small, "y0": _small},
    examples=[{"x0": 2.0, "y0": 5.0}],
)
def two_tapes_different_watched_sets(tf, x0, y0):
    x = tf.constant(x0)
    y = tf.constant(y0)
    t1 = tf.GradientTape(persistent=True)
    t2 = tf.GradientTape(persistent=True)
    with t1, t2:
        t1.watch(x)
        t2.watch(y)
        z = x * y + x**2
        w = y**2
    return t1.gradient([z, w], [x, y]), t2.gradient([z, w], [x, y])


@case(
    ["higher_order.several-tapes", "watch.accessed-variables-off"],
    inputs={"a": _small, "b": _small},
    examples=[{"a": 2.0, "b": 3.0}],
)
def tapes_watching_different_variables(tf, a, b):
    v = tf.Variable(a)
    w = tf.Variable(b)
    with tf.GradientTape() as everything:
        with tf.GradientTape(watch_accessed_variables=False) as only_w:
            only_w.watch(w)
            z = v * w + w * w
    return only_w.gradient(z, [v, w]), everything.gradient(z, [v, w]), only_w.watched_variables()


@case(
    ["higher_order.several-tapes", "higher_order.nested-tapes"],
    inputs={"x0": _small, "y0": _small},
    examples=[{"x0": 2.0, "y0": 3.0}],
)
def inner_tape_watches_other_source(tf, x0, y0):
    x = tf.constant(x0)
    y = tf.constant(y0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(y)
            z = x * x * y * y
        dz_dy = inner.gradient(z, y)
    return dz_dy, outer.gradient(dz_dy, [x, y])


@case(
    ["higher_order.piecewise-linear"],
    inputs={
        "x0": _grid,
        "activation": st.sampled_from(["relu", "relu6", "leaky_relu", "elu", "selu"]),
        "jacobian": st.booleans(),
    },
    examples=[
        {"x0": np.float32([-1.0, 0.0, 2.0, 7.0]), "activation": "relu", "jacobian": False},
        {"x0": np.float32([-1.0, 0.0, 2.0]), "activation": "leaky_relu", "jacobian": True},
    ],
)
def activation_second_derivative(tf, x0, activation, jacobian):
    """Through relu, relu6 and leaky_relu the second derivative is zeros (connected), not None."""
    x = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            y = getattr(tf.nn, activation)(x * 3.0)
        first = inner.jacobian(y, x) if jacobian else inner.gradient(y, x)
    return first, outer.gradient(first, x), outer.gradient(first, x, unconnected_gradients="zero")
