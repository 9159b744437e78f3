"""Vectorised jacobians: one batched backward pass gives what one pass per row gives.

Every gradient marked `batchable` is run here on a batch of cotangents and compared,
row for row, with the unbatched pass (`experimental_use_pfor=False`), in float64.
A batchable op must never fall back to the row loop, and an unmarked one must.
"""

from __future__ import annotations

import numpy as np
import pytest

import shim as tf
from shim._core import backward
from shim.ops import math_ops  # divide_no_nan is not public yet; its gradient is

RNG = np.random.default_rng(7)


def _x(*shape):
    return tf.constant(RNG.uniform(0.5, 1.5, shape))


# name -> (function of the watched tensors, the tensors)
FUNCTIONS = {
    "add broadcast": (lambda x, y: x + y, (_x(3, 2), _x(2))),
    "sub": (lambda x, y: x - y, (_x(3, 1), _x(1, 4))),
    "mul broadcast": (lambda x, y: x * y, (_x(2, 3), _x(3))),
    "div": (lambda x, y: x / y, (_x(2, 3), _x(2, 1))),
    "pow": (lambda x, y: x**y, (_x(3), _x(3))),
    "maximum": (lambda x, y: tf.maximum(x, y), (_x(4), _x(4))),
    "minimum": (lambda x, y: tf.minimum(x, y), (_x(4), _x(1))),
    "squared difference": (lambda x, y: tf.math.squared_difference(x, y), (_x(2, 2), _x(2))),
    "where": (lambda x, y: tf.where(x > 1.0, x, y), (_x(5), _x(5))),
    "floormod": (lambda x, y: tf.math.floormod(x, y), (_x(3), _x(3) + 1.0)),
    "divide_no_nan": (lambda x, y: math_ops._div_no_nan(x, y), (_x(3), _x(3))),
    "unary chain": (
        lambda x: tf.sin(x) * tf.cos(x) + tf.exp(x) - tf.math.log(x) + tf.tanh(x) * tf.sigmoid(x),
        (_x(2, 3),),
    ),
    "more unary": (
        lambda x: (
            tf.sqrt(x)
            + tf.math.rsqrt(x)
            + tf.square(x)
            + tf.math.reciprocal(x)
            + tf.math.log1p(x)
            + tf.tan(x)
            + tf.abs(-x)
            + tf.sign(x) * x
            - x
        ),
        (_x(4),),
    ),
    "relu softplus": (lambda x: tf.nn.relu(x - 1.0) + tf.nn.softplus(x), (_x(3, 2),)),
    "reductions": (
        lambda x: tf.concat(
            [
                tf.reduce_sum(x, axis=0),
                tf.reduce_mean(x, axis=1),
                tf.reduce_max(x, axis=0),
                tf.reduce_min(x, axis=1),
                tf.reduce_prod(x, axis=0),
            ],
            0,
        ),
        (_x(3, 3),),
    ),
    "cumulative": (lambda x: tf.math.cumsum(x, axis=1) * tf.math.cumprod(x, axis=1, reverse=True), (_x(2, 3),)),
    "matmul flags": (
        lambda a, b: (
            tf.matmul(a, b)
            + tf.matmul(a, tf.transpose(b), transpose_b=True)
            + tf.matmul(tf.transpose(a), b, transpose_a=True)
            + tf.matmul(tf.transpose(a), tf.transpose(b), transpose_a=True, transpose_b=True)
        ),
        (_x(2, 3), _x(3, 2)),
    ),
    "batch matmul broadcast": (lambda a, b: tf.matmul(a, b), (_x(2, 2, 3), _x(3, 2))),
    "shapes": (
        lambda x: tf.squeeze(tf.expand_dims(tf.reshape(x, [3, 2]), 0)) * tf.broadcast_to(x[0:1, 0:1], [3, 2]),
        (_x(2, 3),),
    ),
    "layout": (lambda x: tf.transpose(tf.tile(x, [2, 1]), [1, 0]), (_x(2, 3),)),
    "stack unstack": (lambda x: tf.stack(tf.unstack(x, axis=1)[::-1], axis=0), (_x(2, 3),)),
    "slicing": (lambda x: x[:, ::2] * tf.slice(x, [0, 1], [2, 2]), (_x(2, 4),)),
    "cast and identity": (lambda x: tf.identity(tf.cast(tf.cast(x, tf.float32), tf.float64)), (_x(3),)),
    "gather rows and columns": (
        lambda x: tf.gather(x, [2, 0, 2]) * tf.transpose(tf.gather(x, [1, 1, 0], axis=1)),
        (_x(3, 3),),
    ),
    "gather batch_dims": (lambda x: tf.gather(x, [[1], [0], [2]], axis=1, batch_dims=1) * x, (_x(3, 3),)),
    "gather_nd and segment sum": (
        lambda x: tf.gather_nd(x, [[0, 1], [2, 2]]) + tf.math.unsorted_segment_sum(x * x, [1, -1, 1], 2)[:, 0],
        (_x(3, 3),),
    ),
    "gather_nd rows": (lambda x: tf.gather_nd(x, [[2], [0], [2]]) ** 2, (_x(3, 2),)),
}


def _both_jacobians(fn, args, outer=False):
    with tf.GradientTape(persistent=True) as tape:
        for a in args:
            tape.watch(a)
        y = fn(*args)
    vectorised = tape.jacobian(y, list(args))
    looped = tape.jacobian(y, list(args), experimental_use_pfor=False)
    return vectorised, looped


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_one_batched_pass_equals_one_pass_per_row(name, monkeypatch):
    fn, args = FUNCTIONS[name]
    _, looped = _both_jacobians(fn, args)

    monkeypatch.setattr(backward, "_row_by_row", _refuse_rows)
    with tf.GradientTape(persistent=True) as tape:
        for a in args:
            tape.watch(a)
        y = fn(*args)
    vectorised = tape.jacobian(y, list(args))
    for v, r in zip(vectorised, looped):
        np.testing.assert_allclose(v.numpy(), r.numpy(), rtol=1e-12, atol=1e-12)


def _refuse_rows(*_):
    raise AssertionError("a batchable gradient ran row by row")


def test_hessian_by_nested_jacobians_is_batched_twice(monkeypatch):
    """jacobian of a jacobian: the second pass carries two batch dims through the first's ops."""
    x = tf.Variable(RNG.uniform(0.5, 1.5, (4,)))
    w = tf.constant(RNG.uniform(-1, 1, (4, 4)))
    for pfor in (False, True):
        if pfor:
            monkeypatch.setattr(backward, "_row_by_row", _refuse_rows)
        with tf.GradientTape(persistent=True) as outer:
            with tf.GradientTape(persistent=True) as inner:
                y = tf.tanh(tf.reshape(tf.matmul(w, tf.reshape(x, [4, 1])), [4])) * tf.sin(x)
            j = inner.jacobian(y, x, experimental_use_pfor=pfor)
        h = outer.jacobian(j, x, experimental_use_pfor=pfor)
        if not pfor:
            looped = h.numpy()
    assert h.shape == (4, 4, 4)
    np.testing.assert_allclose(h.numpy(), looped, rtol=1e-12)


def test_a_gradient_without_batch_support_runs_row_by_row():
    """A user's gradient (here a custom_gradient's) sees one row at a time, with TF's shapes."""
    seen = []

    @tf.custom_gradient
    def scaled_identity(x):
        def grad(upstream):
            seen.append(upstream.shape.as_list())
            return upstream * 3.0

        return tf.identity(x), grad

    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scaled_identity(x) * 2.0
    j = tape.jacobian(y, x)
    np.testing.assert_allclose(j.numpy(), np.eye(3) * 6.0)
    assert seen == [[3], [3], [3]]


def test_parallel_iterations_chunks_the_rows():
    x = tf.constant(RNG.uniform(0.5, 1.5, (7,)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.sin(x) * tf.reduce_sum(x)
    whole = tape.jacobian(y, x)
    for chunk in (2, 3, 7, 10):
        np.testing.assert_allclose(tape.jacobian(y, x, parallel_iterations=chunk).numpy(), whole.numpy(), rtol=1e-12)


def test_batch_jacobian_is_one_pass():
    x = tf.constant(RNG.uniform(-1, 1, (5, 3)))
    w = tf.constant(RNG.uniform(-1, 1, (3, 2)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(x, w))
    batched = tape.batch_jacobian(y, x)
    looped = tape.batch_jacobian(y, x, experimental_use_pfor=False)
    np.testing.assert_allclose(batched.numpy(), looped.numpy(), rtol=1e-12)
    expected = (1 - np.tanh(x.numpy() @ w.numpy()) ** 2)[:, :, None] * w.numpy().T[None]
    np.testing.assert_allclose(batched.numpy(), expected, rtol=1e-12)


def test_wide_tapes_split_the_rows_into_passes(monkeypatch):
    """The rows of one pass are bounded by the widest recorded tensor, so memory stays bounded."""
    from shim._core import tape as tape_module

    monkeypatch.setattr(tape_module, "_ELEMENTS_PER_PASS", 12)  # 6-element tensors: 2 rows per pass
    batches = []
    real_run = backward.run

    def counting_run(*args):
        batches.append(args[-1])
        return real_run(*args)

    monkeypatch.setattr(backward, "run", counting_run)
    x = tf.constant(RNG.uniform(0.5, 1.5, (2, 3)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reshape(tf.sin(x), [6])
    split = tape.jacobian(y, x)
    assert batches == [2, 2, 2]
    np.testing.assert_allclose(split.numpy(), tape.jacobian(y, x, experimental_use_pfor=False).numpy(), rtol=1e-12)
