"""Threads, memory and depth: the shim under the conditions a long training job creates.

Figures quoted in the README's reliability section come from these tests (threads, depth,
freed tapes) and from benchmarks/bench_memory.py (steps without memory growth).
"""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import numpy as np
import pytest

import shim as tf

THREADS = 8


@pytest.fixture
def fast_thread_switches():
    """Switch threads every microsecond, so interleavings that can go wrong do."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def run_threads(target, count=THREADS):
    errors = []

    def guarded(i):
        try:
            target(i)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


# -- threads ---------------------------------------------------------------------------------


def test_each_thread_has_its_own_tape_stack(fast_thread_switches):
    """A tape records only its own thread's ops: every thread's gradient is its own function's."""
    results = {}
    barrier = threading.Barrier(THREADS)

    def work(i):
        x = tf.Variable(float(i + 1))
        with tf.GradientTape() as tape:
            barrier.wait()  # all tapes open at once
            y = x ** (i + 1)
            barrier.wait()
        watched = tape.watched_variables()
        results[i] = (float(tape.gradient(y, x)), watched)

    run_threads(work)
    for i, (grad, watched) in results.items():
        assert grad == pytest.approx((i + 1) * float(i + 1) ** i)
        assert len(watched) == 1  # no other thread's variable was watched


def test_a_tape_never_records_another_threads_ops(fast_thread_switches):
    shared = tf.Variable(2.0)
    started, finish = threading.Event(), threading.Event()
    seen = {}

    def recorder(_):
        with tf.GradientTape(persistent=True) as tape:
            started.set()
            finish.wait()
        seen["entries"] = len(tape._tape.entries)

    def other(_):
        started.wait()
        for _ in range(200):
            shared * 3.0  # a trainable variable read while the other thread's tape is open
        finish.set()

    t1 = threading.Thread(target=recorder, args=(0,))
    t2 = threading.Thread(target=other, args=(1,))
    t1.start(), t2.start()
    t1.join(), t2.join()
    assert seen["entries"] == 0


def test_concurrent_assign_add_loses_no_update(fast_thread_switches):
    counter = tf.Variable(0.0, dtype=tf.float64)
    rows = tf.Variable(np.zeros((4, 2)))
    steps = 2000

    def work(_):
        for _ in range(steps):
            counter.assign_add(1.0)
            rows.scatter_add(tf.IndexedSlices(tf.ones((1, 2), tf.float64), tf.constant([1])))

    run_threads(work)
    assert float(counter.numpy()) == THREADS * steps
    assert rows.numpy()[1].tolist() == [THREADS * steps] * 2


def _train_small_model(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 4)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)) + 0.1
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(8, activation="tanh"), tf.keras.layers.Dense(1)]
    )
    model.set_weights(
        [
            w.astype(np.float32)
            for w in (rng.standard_normal((4, 8)) * 0.3, np.zeros(8), rng.standard_normal((8, 1)) * 0.3, np.zeros(1))
        ]
    )
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
    loss_fn = tf.keras.losses.MeanSquaredError()
    for _ in range(30):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return model.get_weights()


def test_eight_threads_train_eight_models_as_one_thread_would(fast_thread_switches):
    alone = {seed: _train_small_model(seed) for seed in range(THREADS)}
    together = {}

    def work(i):
        together[i] = _train_small_model(i)

    run_threads(work)
    for seed in range(THREADS):
        for a, b in zip(alone[seed], together[seed]):
            np.testing.assert_array_equal(a, b)


# -- memory ----------------------------------------------------------------------------------


def test_a_non_persistent_tape_frees_everything_once_gradient_returns():
    x = tf.Variable(np.ones((50, 50), np.float32))
    with tf.GradientTape() as tape:
        hidden = tf.tanh(tf.matmul(x, x))
        loss = tf.reduce_sum(hidden * hidden)
    hidden_ref, records = weakref.ref(hidden), weakref.ref(tape._tape)
    del hidden
    assert hidden_ref() is not None  # the tape holds it until gradient
    tape.gradient(loss, x)
    assert records() is None and hidden_ref() is None  # freed by reference counting alone, no gc needed


def test_training_steps_leave_no_reference_cycles():
    x = tf.constant(np.ones((8, 4), np.float32))
    w = tf.Variable(np.full((4, 2), 0.1, np.float32))
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        with tf.GradientTape(persistent=True) as outer:
            with tf.GradientTape() as inner:
                y = tf.reduce_sum(tf.sin(w))
            g = inner.gradient(y, w)
            z = tf.reduce_sum(g)
        outer.gradient(z, w)
        outer.jacobian(g, w)
        del outer

    step()  # first-call caches (registries, loggers) are not leaks
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            step()
    finally:
        gc.enable()
    assert gc.collect() == 0


def test_conversions_leave_no_reference_cycles():
    """Nested lists are converted by recursion; a recursive closure would leave a cycle per call."""

    def convert():
        tf.constant([[1.0, 2.0], [3.0, 4.0]])
        tf.constant([[1, 2]], dtype=tf.int64)
        tf.convert_to_tensor([tf.constant(1.0), tf.constant(2.0, tf.float64)], dtype=tf.float64)
        tf.reduce_sum(tf.reshape(tf.ones([4]), [2, 2]), axis=[0, 1])

    convert()
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            convert()
    finally:
        gc.enable()
    assert gc.collect() == 0


# -- depth -----------------------------------------------------------------------------------


def test_a_chain_of_100000_ops_differentiates_without_recursion():
    x = tf.Variable(1.0, dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = x
        for _ in range(100_000):
            y = y * 1.0000001
    grad = tape.gradient(y, x)
    assert float(grad) == pytest.approx(1.0000001**100_000, rel=1e-9)


def test_sources_nested_100_deep():
    x = tf.Variable(3.0)
    sources = x
    for depth in range(100):
        sources = [sources] if depth % 2 else {"level": sources}
    with tf.GradientTape() as tape:
        y = x * x
    grads = tape.gradient(y, sources)
    inner = grads
    for depth in reversed(range(100)):
        inner = inner[0] if depth % 2 else inner["level"]
    assert float(inner) == 6.0
    assert tf.nest.flatten(grads)[0] is inner
