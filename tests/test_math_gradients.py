"""Float64 finite-difference checks of the math ops' gradients (tests/gradcheck.py).

Points stay inside each op's domain and away from its kinks (the conformance cases
check TF's choices there).
"""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_batched_jacobian, assert_gradients

import shim as tf

rng = np.random.default_rng(1)


def _uniform(low, high, shape=(2, 3)):
    return rng.uniform(low, high, shape)


UNARY = [
    ("acos", -0.9, 0.9),
    ("asin", -0.9, 0.9),
    ("atan", -3.0, 3.0),
    ("sinh", -3.0, 3.0),
    ("cosh", -3.0, 3.0),
    ("asinh", -3.0, 3.0),
    ("acosh", 1.2, 4.0),
    ("atanh", -0.9, 0.9),
    ("erf", -2.0, 2.0),
    ("erfc", -2.0, 2.0),
    ("expm1", -3.0, 3.0),
    ("log_sigmoid", -6.0, 6.0),
]


@pytest.mark.parametrize("name, low, high", UNARY, ids=[u[0] for u in UNARY])
def test_unary(name, low, high):
    assert_gradients(getattr(tf.math, name), _uniform(low, high))


@pytest.mark.parametrize("name", ["acos", "asin", "atan", "sinh", "cosh", "asinh", "atanh", "erf", "expm1"])
def test_unary_second_order(name):
    """The gradients are shim ops: differentiating them again matches finite differences too."""

    def first_derivative(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = getattr(tf.math, name)(x)
        return tape.gradient(y, x)

    assert_gradients(first_derivative, _uniform(-0.8, 0.8))


def _nonzero(low, high, shape):
    values = _uniform(low, high, shape)
    return np.where(np.abs(values) < 0.2, 0.5, values)


BINARY = [
    ("atan2", (-2.0, 2.0), (-2.0, 2.0)),
    ("divide_no_nan", (-2.0, 2.0), (-2.0, 2.0)),
    ("multiply_no_nan", (-2.0, 2.0), (-2.0, 2.0)),
    ("xlogy", (-2.0, 2.0), (0.2, 3.0)),
]


@pytest.mark.parametrize("name, xs, ys", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3), (3,)), ((1, 3), (2, 1))], ids=["same", "row", "outer"])
def test_binary(name, xs, ys, shapes):
    x = _nonzero(*xs, shapes[0])
    y = _nonzero(*ys, shapes[1])
    assert_gradients(getattr(tf.math, name), x, y)


def test_xlogy_second_order():
    """xlogy's gradient goes through Xdivy, whose own gradient is checked here."""

    def gradient_sum(x, y):
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = tf.math.xlogy(x, y)
        gx, gy = tape.gradient(z, [x, y])
        return gx + gy

    assert_gradients(gradient_sum, _nonzero(-2.0, 2.0, (2, 3)), _uniform(0.5, 3.0))


def test_add_n():
    assert_gradients(lambda a, b, c: tf.math.add_n([a, b, c]), _uniform(-1, 1), _uniform(-1, 1), _uniform(-1, 1))


def test_clip_by_value():
    """Points away from the bounds (the kinks); tensor bounds of x's shape and broadcast scalars."""
    x = np.array([[-2.0, -0.3, 0.2], [0.7, 1.4, 3.0]])
    assert_gradients(lambda x, lo, hi: tf.clip_by_value(x, lo, hi), x, np.full((2, 3), -0.5), np.full((2, 3), 1.0))
    assert_gradients(lambda x, lo, hi: tf.clip_by_value(x, lo, hi), x, np.array(-0.5), np.array(1.0))


@pytest.mark.parametrize("axes", [None, 0, [1]])
def test_clip_by_norm(axes):
    x = np.array([[3.0, -4.0, 1.0], [0.1, 0.2, -0.1]])
    assert_gradients(lambda x, c: tf.clip_by_norm(x, c, axes=axes), x, np.array(1.5))


def test_clip_by_global_norm():
    def first_clipped_plus_norm(a, b, c):
        clipped, norm = tf.clip_by_global_norm([a, b], c)
        return clipped[0] * norm + tf.reduce_sum(clipped[1])

    assert_gradients(first_clipped_plus_norm, _uniform(-2, 2), _uniform(-2, 2, (4,)), np.array(0.7))


REDUCTIONS = ["reduce_logsumexp", "reduce_variance", "reduce_std", "reduce_euclidean_norm"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), ([0, 2], True), (-1, True)])
def test_reductions(name, axis, keepdims):
    x = _uniform(-2.0, 2.0, (2, 3, 2))
    assert_gradients(lambda x: getattr(tf.math, name)(x, axis=axis, keepdims=keepdims), x)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_top_k(k):
    x = rng.permutation(24).reshape(2, 3, 4) / 7.0  # distinct values: no ties
    assert_gradients(lambda x: tf.math.top_k(x, k).values, x)


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
def test_sort(axis, direction):
    x = rng.permutation(24).reshape(2, 3, 4) / 5.0 - 2.0
    assert_gradients(lambda x: tf.sort(x, axis=axis, direction=direction), x)


def test_top_k_second_order():
    """top_k's gradient is a segment sum of the upstream gradient: linear, so differentiable again."""

    def weighted_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.math.top_k(x * x, 2).values * tf.constant([1.0, 3.0], tf.float64))
        return tape.gradient(y, x)

    assert_gradients(weighted_gradient, rng.permutation(8).reshape(2, 4) / 3.0 + 0.5)


def test_segment_sum():
    ids = tf.constant([0, 0, 2, 3, 3])
    assert_gradients(lambda d: tf.math.segment_sum(d, ids), _uniform(-1, 1, (5, 2)))


def test_unsorted_segment_sum():
    ids = tf.constant([2, -1, 0, 2, 1])
    assert_gradients(lambda d: tf.math.unsorted_segment_sum(d, ids, 4), _uniform(-1, 1, (5, 3)))


# -- jacobians: the batchable gradients take a whole batch of rows at once ------------------------

JACOBIAN_FUNCTIONS = {
    "trigonometry": lambda x, y: tf.math.acos(x - 1.0) + tf.math.asin(x - 1.0) * tf.math.atan(y) + tf.math.atan2(x, y),
    "hyperbolic": lambda x, y: (
        tf.math.sinh(x) * tf.math.cosh(y) + tf.math.asinh(x) + tf.math.acosh(y + 1.0) + tf.math.atanh(x - 1.0)
    ),
    "erf expm1 log_sigmoid": lambda x, y: tf.math.erf(x) * tf.math.erfc(y) + tf.math.expm1(x) + tf.math.log_sigmoid(y),
    "no-nan ops": lambda x, y: tf.math.divide_no_nan(x, y) + tf.math.multiply_no_nan(x, y) + tf.math.xlogy(x, y),
    "add_n and clipping": lambda x, y: (
        tf.math.add_n([x, y, x * y]) + tf.clip_by_value(x, 0.8, 1.2) + tf.clip_by_norm(y, 1.0)
    ),
    "reductions": lambda x, y: tf.concat(
        [
            tf.math.reduce_logsumexp(x, axis=1),
            tf.math.reduce_std(y, axis=0),
            tf.math.reduce_variance(x, axis=1),
            tf.math.reduce_euclidean_norm(y, axis=0),
        ],
        0,
    ),
    "top_k and sort": lambda x, y: tf.concat(
        [tf.reshape(tf.math.top_k(x, 2).values, [-1]), tf.reshape(tf.sort(y, axis=0), [-1])], 0
    ),
    "segment sum": lambda x, y: tf.math.segment_sum(x * y, tf.constant([0, 0, 1])),
}


@pytest.mark.parametrize("name", sorted(JACOBIAN_FUNCTIONS))
def test_jacobians_are_one_batched_pass(name):
    assert_batched_jacobian(JACOBIAN_FUNCTIONS[name], *[rng.uniform(0.5, 1.5, (3, 3)) for _ in range(2)])
