"""IndexedSlices in the backward pass: TF's aggregation order, and jacobians through gathers.

The conformance family `indexed_slices` compares all of this with TensorFlow; these
tests pin what needs no TensorFlow: the order TF's tape concatenates IndexedSlices in
(values recorded from TF 2.21), and that a jacobian's batched pass through gathers gives
what one pass per row gives, without running any gradient row by row.
"""

from __future__ import annotations

import numpy as np
import pytest

import shim as tf
from shim._core import backward
from shim._core.tape_order import unordered_map_order

RNG = np.random.default_rng(11)

# tape.gradient([tf.gather(v, [i]) for i in range(n)], v).indices on TF 2.21: the order in
# which its C++ tape ran the n gathers (libstdc++'s hash map order, rehashed at 14, 30, 60 ops).
TF_ORDER_OF_N_TARGETS = {
    5: [4, 3, 2, 1, 0],
    14: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0],
    30: [*range(1, 17), *range(29, 16, -1), 0],
    62: [*range(3, 33), *range(49, 62), *range(48, 32, -1), 2, 1, 0],
}


@pytest.mark.parametrize("n", sorted(TF_ORDER_OF_N_TARGETS))
def test_several_targets_aggregate_in_tf_order(n):
    v = tf.Variable(np.zeros([n, 1], np.float32))
    with tf.GradientTape() as tape:
        targets = [tf.gather(v, [i]) for i in range(n)]
    grad = tape.gradient(targets, v)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.indices.numpy().tolist() == TF_ORDER_OF_N_TARGETS[n]


def test_one_target_aggregates_in_tf_queue_order():
    """TF queues a ready op at the front and runs the back one: the first addend's gather first."""
    v = tf.Variable(np.zeros([3, 2], np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(tf.gather(v, tf.constant([1], tf.int64)))
    grad = tape.gradient(y, v)
    assert grad.indices.numpy().tolist() == [0, 1]
    assert grad.indices.dtype == tf.int64  # mixed int32 and int64 indices: all int64


def test_unordered_map_order_without_rehash_is_reverse_insertion():
    assert unordered_map_order([0, 1, 2]) == [2, 1, 0]
    assert unordered_map_order([]) == []


def _refuse_rows(*_):
    raise AssertionError("a batchable gradient ran row by row")


def test_jacobians_through_variable_gathers_are_batched(monkeypatch):
    v = tf.Variable(RNG.uniform(0.5, 1.5, (4, 3)))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.gather(v, [3, 0, 3]) * tf.gather(v * 2.0, [1, 1, 2]) + tf.gather_nd(v, [[0], [0], [2]])
    looped = tape.jacobian(y, v, experimental_use_pfor=False)
    monkeypatch.setattr(backward, "_row_by_row", _refuse_rows)
    vectorised = tape.jacobian(y, v)
    assert type(vectorised) is type(looped)  # dense, as TF's (which converts, logging that it does)
    np.testing.assert_allclose(vectorised.numpy(), looped.numpy(), rtol=1e-12)
    assert vectorised.shape == (3, 3, 4, 3)


def test_hessian_through_a_gather_is_batched_twice(monkeypatch):
    x = tf.Variable(RNG.uniform(0.5, 1.5, (4,)))
    results = []
    for pfor in (False, True):
        if pfor:
            monkeypatch.setattr(backward, "_row_by_row", _refuse_rows)
        with tf.GradientTape(persistent=True) as outer:
            with tf.GradientTape(persistent=True) as inner:
                y = tf.gather(x, [2, 0, 2]) ** 3 * tf.gather(x, [1, 1, 3])
            j = inner.jacobian(y, x, experimental_use_pfor=pfor)
        results.append(outer.jacobian(j, x, experimental_use_pfor=pfor).numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-12)


def test_dense_after_sparse_is_dense_and_exact():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.gather(x, [2, 2])) + tf.reduce_sum(x * 0.5)
    grad = tape.gradient(y, x)
    assert type(grad) is not tf.IndexedSlices
    np.testing.assert_array_equal(grad.numpy(), [[0.5, 0.5], [0.5, 0.5], [2.5, 2.5]])


def test_sgd_updates_only_the_gathered_rows():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(v, [2, 2]))
    tf.keras.optimizers.SGD(0.5).apply_gradients([(tape.gradient(loss, v), v)])
    np.testing.assert_array_equal(v.numpy(), [[1.0, 2.0], [3.0, 4.0], [4.0, 5.0]])
