"""tf.custom_gradient: a function whose gradient is the one it returns.

Guides: advanced autodiff "Custom gradients"; https://www.tensorflow.org/api_docs/python/tf/custom_gradient
(the log1pexp example: the naive gradient overflows to nan at x = 100, the custom one gives 1).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_custom_gradients(case, check):
    check(case)


_x = strategies.grid("float32", strategies.shapes(max_dims=2, max_side=3), bound=3.0)


def log1pexp_naive(tf, x):
    return tf.math.log(1 + tf.exp(x))


def make_log1pexp(tf):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    return log1pexp


@case(
    ["custom_gradient.replaces-gradient"],
    inputs={"x0": strategies.arrays("float32", strategies.shapes(max_dims=1), -20.0, 20.0)},
    examples=[{"x0": np.float32(0.0)}, {"x0": np.float32(100.0)}],
)
def log1pexp_stable_gradient(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        naive = log1pexp_naive(tf, x)
        custom = make_log1pexp(tf)(x)
    return naive, custom, tape.gradient(naive, x), tape.gradient(custom, x)


@case(["custom_gradient.replaces-gradient"], inputs={"x0": _x, "limit": st.sampled_from([0.25, 0.5, 2.0])})
def clipped_backward(tf, x0, limit):
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.maximum(tf.minimum(dy, limit), -limit)

        return y, backward

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clip_gradients(x * x * 3.0)
    return y, tape.gradient(y, x)


@case(["custom_gradient.gradient-count"], inputs={"x0": _x, "returned": st.integers(1, 3)})
def wrong_number_of_gradients(tf, x0, returned):
    @tf.custom_gradient
    def product(a, b):
        def grad(upstream):
            grads = [upstream * b, upstream * a, upstream]
            return grads[:returned] if returned > 1 else grads[0]

        return a * b, grad

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = product(x, 2.0)
    return tape.gradient(y, x)


@case(
    ["custom_gradient.variables"],
    inputs={
        "x0": _x,
        "w0": strategies.grid("float32", (), 2.0),
        "trainable": st.booleans(),
        "takes_variables": st.booleans(),
    },
)
def variables_read_inside(tf, x0, w0, trainable, takes_variables):
    w = tf.Variable(w0, trainable=trainable)

    def scaled_grads(upstream, variables=None):
        grads = upstream * w
        if variables is None:
            return grads
        return grads, [tf.reduce_sum(upstream * 7.0) for _ in variables]

    @tf.custom_gradient
    def scale(x):
        if takes_variables:
            return x * w, scaled_grads
        return x * w, lambda upstream: upstream * w

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    return y, tape.gradient(y, [x, w])


@case(["custom_gradient.variables"], inputs={"x0": _x, "extra": st.integers(0, 2)})
def wrong_number_of_variable_gradients(tf, x0, extra):
    w = tf.Variable(1.5)

    @tf.custom_gradient
    def scale(x):
        def grad(upstream, variables=None):
            return upstream * w, [tf.reduce_sum(upstream)] * (len(variables) + extra)

        return x * w, grad

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    return tape.gradient(y, [x, w])


@case(["custom_gradient.higher-order"], inputs={"x0": _x})
def differentiable_grad_fn(tf, x0):
    @tf.custom_gradient
    def cube(x):
        def grad(upstream):
            return upstream * 3.0 * x * x

        return x * x * x, grad

    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        dy = inner.gradient(y, x)
    return dy, outer.gradient(dy, x)


@case(["custom_gradient.structure"], inputs={"x0": _x, "which": st.sampled_from(["first", "second", "both"])})
def several_results(tf, x0, which):
    @tf.custom_gradient
    def pair(x):
        def grad(first, second):
            return first * 2.0 + second * 5.0

        return (x * 1.0, x * 2.0), grad

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = pair(x)
        target = {"first": a, "second": b, "both": [a, b]}[which]
    return tape.gradient(target, x)


@case(["custom_gradient.structure"], inputs={"x0": _x})
def keyword_arguments_are_not_inputs(tf, x0):
    @tf.custom_gradient
    def scaled(x, factor=None):
        def grad(upstream):
            return upstream * factor

        return x * factor, grad

    x = tf.constant(x0)
    factor = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, factor])
        y = scaled(x, factor=factor)
    return tape.gradient(y, [x, factor]), scaled.__name__
