"""Float64 finite-difference checks of tf.nn's gradients, and of their batched (jacobian) form.

Points are drawn away from each op's kinks (finite differences cannot see TF's choice
there; the conformance family ops_nn checks those). Every gradient marked batchable
must give, in one batched jacobian pass, what one pass per row gives.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_batched_jacobian, assert_gradients

import shim as tf

RNG = np.random.default_rng(11)


def _away_from(values, kinks, margin=0.05):
    """values nudged off the kinks, so a central difference never straddles one."""
    values = np.array(values, dtype=np.float64)
    for kink in kinks:
        close = np.abs(values - kink) < margin
        values[close] = kink + margin * np.where(values[close] >= kink, 2.0, -2.0)
    return values


def _x(*shape, low=-3.0, high=3.0, kinks=()):
    return _away_from(RNG.uniform(low, high, shape), kinks)


# name -> (function of shim tensors, float64 arguments)
ACTIVATIONS = {
    "relu6": (tf.nn.relu6, (_x(3, 4, low=-2.0, high=8.0, kinks=(0.0, 6.0)),)),
    "leaky_relu": (tf.nn.leaky_relu, (_x(3, 4, kinks=(0.0,)),)),
    "leaky_relu alpha": (lambda x: tf.nn.leaky_relu(x, alpha=1.5), (_x(5, kinks=(0.0,)),)),
    "elu": (tf.nn.elu, (_x(3, 4, kinks=(0.0,)),)),
    "selu": (tf.nn.selu, (_x(3, 4, kinks=(0.0,)),)),
    "gelu": (tf.nn.gelu, (_x(3, 4),)),
    "gelu approximate": (lambda x: tf.nn.gelu(x, approximate=True), (_x(3, 4),)),
    "silu": (tf.nn.silu, (_x(3, 4),)),
    "swish with beta": (lambda x, beta: tf.nn.swish(x, beta=beta), (_x(2, 3), np.array(1.7))),
    "softmax": (tf.nn.softmax, (_x(3, 4),)),
    "softmax axis 0": (lambda x: tf.nn.softmax(x, axis=0), (_x(3, 4),)),
    "log_softmax": (tf.nn.log_softmax, (_x(2, 3, 4),)),
    "log_softmax axis 1": (lambda x: tf.math.log_softmax(x, axis=1), (_x(2, 3, 4),)),
}


def _distribution(*shape):
    weights = RNG.uniform(0.1, 1.0, shape)
    return weights / weights.sum(axis=-1, keepdims=True)


LOSSES = {
    "softmax cross entropy": (
        lambda labels, logits: tf.nn.softmax_cross_entropy_with_logits(labels, logits),
        (_distribution(3, 4), _x(3, 4)),
    ),
    "softmax cross entropy axis 0": (
        lambda labels, logits: tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=0),
        (_distribution(3, 2).T.copy(), _x(2, 3)),
    ),
    "softmax cross entropy rank 3": (
        lambda labels, logits: tf.nn.softmax_cross_entropy_with_logits(labels, logits),
        (_distribution(2, 2, 3), _x(2, 2, 3)),
    ),
    "sparse softmax cross entropy": (
        lambda logits: tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2, 0, 1]), logits),
        (_x(3, 4),),
    ),
    "sparse softmax cross entropy rank 3": (
        lambda logits: tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([[2, 0], [1, 1]]), logits),
        (_x(2, 2, 3),),
    ),
    "sigmoid cross entropy": (
        lambda labels, logits: tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits),
        (RNG.uniform(0, 1, (3, 2)), _x(3, 2, kinks=(0.0,))),
    ),
    "l2_loss": (tf.nn.l2_loss, (_x(3, 2),)),
    "moments mean": (lambda x: tf.nn.moments(x, [0])[0], (_x(3, 2),)),
    "moments variance": (lambda x: tf.nn.moments(x, [0, 2])[1], (_x(2, 3, 2),)),
    "moments variance keepdims": (lambda x: tf.nn.moments(x, [1], keepdims=True)[1], (_x(2, 3),)),
    "batch_normalization": (
        lambda x, mean, variance, offset, scale: tf.nn.batch_normalization(x, mean, variance, offset, scale, 1e-3),
        (_x(4, 3), _x(3), RNG.uniform(0.5, 2.0, 3), _x(3), _x(3)),
    ),
    "batch_normalization without offset and scale": (
        lambda x, mean, variance: tf.nn.batch_normalization(x, mean, variance, None, None, 0.5),
        (_x(2, 3), _x(3), RNG.uniform(0.5, 2.0, 3)),
    ),
}


def _seeded_dropout(x, rate, noise_shape=None):
    tf.random.set_seed(1234)  # the same mask at every finite-difference point
    return tf.nn.dropout(x, rate, noise_shape=noise_shape, seed=5)


@pytest.mark.parametrize("rate", [0.0, 0.3, 0.8])
def test_dropout_gradient_matches_finite_differences(rate):
    assert_gradients(lambda x: _seeded_dropout(x, rate), _x(4, 5))
    assert_gradients(lambda x: _seeded_dropout(x, tf.constant(rate, tf.float64), [4, 1]), _x(4, 5))


def test_dropout_keeps_about_one_minus_rate_and_scales_them():
    y = _seeded_dropout(tf.ones([200, 50], tf.float64), 0.25).numpy()
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert abs(np.mean(y != 0) - 0.75) < 0.02


CONVOLUTIONS = {
    "same stride 1": dict(strides=1, padding="SAME"),
    "valid stride 2": dict(strides=2, padding="VALID"),
    "same strides 2 and 3": dict(strides=[2, 3], padding="SAME"),
    "explicit": dict(strides=[1, 2, 1, 1], padding=[[0, 0], [1, 2], [0, 1], [0, 0]]),
}


@pytest.mark.parametrize("name", sorted(CONVOLUTIONS))
def test_conv2d_gradients_match_finite_differences(name):
    kwargs = CONVOLUTIONS[name]
    assert_gradients(lambda x, w: tf.nn.conv2d(x, w, **kwargs), _x(2, 5, 6, 2), _x(3, 2, 2, 3))


@pytest.mark.parametrize("name", sorted(CONVOLUTIONS))
def test_conv2d_second_order_gradients_match_finite_differences(name):
    """Through the backprop ops: d/dx and d/dw of <c, d loss / dx> + <c, d loss / dw>."""
    kwargs = CONVOLUTIONS[name]

    def gradients_of_square_norm(x, w):
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = tf.nn.conv2d(x, w, **kwargs)
            loss = tf.reduce_sum(y * y)
        gx, gw = tape.gradient(loss, [x, w])
        return tf.concat([tf.reshape(gx, [-1]), tf.reshape(gw, [-1])], 0)

    assert_gradients(gradients_of_square_norm, _x(1, 4, 5, 2), _x(2, 3, 2, 2))


POOLS = {
    "max valid": (tf.nn.max_pool2d, dict(ksize=2, strides=1, padding="VALID")),
    "max same strided": (tf.nn.max_pool2d, dict(ksize=[3, 2], strides=2, padding="SAME")),
    "max explicit": (tf.nn.max_pool2d, dict(ksize=3, strides=[1, 2], padding=[[0, 0], [1, 2], [0, 1], [0, 0]])),
    "avg valid": (tf.nn.avg_pool2d, dict(ksize=2, strides=1, padding="VALID")),
    "avg same": (tf.nn.avg_pool2d, dict(ksize=3, strides=2, padding="SAME")),
    "max rank 3": (tf.nn.max_pool, dict(ksize=2, strides=1, padding="SAME")),
    "avg rank 3": (tf.nn.avg_pool, dict(ksize=3, strides=2, padding="SAME")),
}


def _distinct(*shape):
    """Values at least 0.05 apart: no window has a near tie for a finite difference to cross."""
    return RNG.permutation(np.arange(np.prod(shape)) * 0.05 - 1.0).reshape(shape)


@pytest.mark.parametrize("name", sorted(POOLS))
def test_pool_gradients_match_finite_differences(name):
    pool, kwargs = POOLS[name]
    shape = (2, 5, 2) if "rank 3" in name else (2, 5, 6, 2)
    assert_gradients(lambda x: pool(x, **kwargs), _distinct(*shape))


@pytest.mark.parametrize("name", ["max same strided", "avg same"])
def test_pool_second_order_gradients_match_finite_differences(name):
    pool, kwargs = POOLS[name]

    def gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = pool(x, **kwargs)
            loss = tf.reduce_sum(y * y * y)
        return tape.gradient(loss, x)

    assert_gradients(gradient, _distinct(1, 5, 6, 2))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradients_match_finite_differences(name):
    fn, args = LOSSES[name]
    assert_gradients(fn, *args)


@pytest.mark.parametrize("name", ["softmax cross entropy", "sparse softmax cross entropy rank 3"])
def test_loss_second_order_gradients_match_finite_differences(name):
    """Through the kernels' backprop outputs: the logits' gradient differentiated again."""
    fn, args = LOSSES[name]
    *fixed, logits = args

    def logits_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = fn(*[tf.constant(a) for a in fixed], x)
        return tape.gradient(
            loss, x, output_gradients=tf.constant(np.linspace(0.5, 1.5, loss.shape.num_elements()).reshape(loss.shape))
        )

    assert_gradients(logits_gradient, logits)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_batched_jacobian_equals_one_pass_per_row(name):
    fn, args = LOSSES[name]
    assert_batched_jacobian(fn, *args)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gradients_match_finite_differences(name):
    fn, args = ACTIVATIONS[name]
    assert_gradients(fn, *args)


@pytest.mark.parametrize("name", ["softmax", "log_softmax axis 1", "elu", "selu"])
def test_second_order_gradients_match_finite_differences(name):
    """The gradients are made of recorded ops: their own gradients are right too."""
    fn, args = ACTIVATIONS[name]

    def first_derivative(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        cotangent = np.linspace(-1.0, 1.0, np.size(args[0])).reshape(np.shape(args[0]))
        return tape.gradient(y, x, output_gradients=tf.constant(cotangent))

    assert_gradients(first_derivative, *args)


_BATCHABLE = ["relu6", "leaky_relu", "elu", "selu", "softmax", "softmax axis 0", "log_softmax", "log_softmax axis 1"]


@pytest.mark.parametrize("name", _BATCHABLE)
def test_batched_jacobian_equals_one_pass_per_row(name):
    fn, args = ACTIVATIONS[name]
    assert_batched_jacobian(fn, args[0])
