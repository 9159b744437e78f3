"""Unit tests of the tape engine: recording rules, the backward pass, tape lifecycle.

Expected values are TF 2.21's, checked by running the same lines on TensorFlow.
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref

import numpy as np
import pytest

import shim as tf


def test_second_gradient_on_non_persistent_tape_raises_tf_message():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(
        RuntimeError,
        match=r"^A non-persistent GradientTape can only be used to compute one set of gradients \(or jacobians\)$",
    ):
        tape.gradient(y, x)


def test_gradient_inside_non_persistent_context_stops_recording():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
        tape.gradient(y, x)
        z = y * 3.0
    assert tape._tape is None and not tape._recording
    with pytest.raises(RuntimeError):
        tape.gradient(z, x)
    del z


def test_gradient_inside_persistent_context_warns_once_per_call_site_and_keeps_recording(caplog):
    tf._core.logging.reset_log_counts()
    x = tf.Variable(2.0)
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        with tf.GradientTape(persistent=True) as tape:
            y = x * x
            for _ in range(3):
                first = tape.gradient(y, x)  # one call site: warned once
            tape.gradient(y, x)  # another call site: warned again, as TF does
            z = first * 1.0
    warnings = [r for r in caplog.records if "persistent tape inside its context" in r.getMessage()]
    assert len(warnings) == 2
    assert float(tape.gradient(z, x)) == 2.0  # the gradient op itself was recorded


def test_integer_watch_logs_first_five_times_only(caplog):
    tf._core.logging.reset_log_counts()
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        for _ in range(7):
            with tf.GradientTape() as g:
                g.watch(tf.constant(1))
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32"] * 5


def test_watch_rejects_non_tensors_with_tf_message():
    with tf.GradientTape() as tape:
        with pytest.raises(
            ValueError,
            match=r"^Passed in object 2\.0 of type 'float', not tf\.Tensor or tf\.Variable or ExtensionType\.$",
        ):
            tape.watch([tf.constant(1.0), 2.0])


def test_target_that_is_the_source_gets_ones():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        pass
    assert float(tape.gradient(x, x)) == 1.0


def test_nested_structures_keep_their_shape():
    a, b = tf.Variable(1.0), tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = {"first": a * 2.0, "second": [tf.reduce_sum(b * b)]}
    grads = tape.gradient(y, {"a": a, "rest": (b, [a])})
    assert float(grads["a"]) == 2.0
    np.testing.assert_array_equal(grads["rest"][0].numpy(), [2.0, 4.0])
    assert float(grads["rest"][1][0]) == 2.0


def test_unconnected_zero_accepts_enum_and_string_and_rejects_others():
    x, y = tf.Variable([2.0, 2.0]), tf.Variable(3)
    with tf.GradientTape(persistent=True) as tape:
        z = x * 2.0
    zero = tape.gradient(z, y, unconnected_gradients="zero")
    assert zero.dtype == tf.int32 and int(zero) == 0
    assert tape.gradient(z, y, unconnected_gradients=tf.UnconnectedGradients.NONE) is None
    with pytest.raises(ValueError, match="^Unknown value for unconnected_gradients: 'foo'$"):
        tape.gradient(z, y, unconnected_gradients="foo")


def test_output_gradients_weight_the_targets():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = x * x
    g = tape.gradient(y, x, output_gradients=tf.constant([10.0, 100.0]))
    np.testing.assert_array_equal(g.numpy(), [20.0, 400.0])


def test_reset_forgets_earlier_ops():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        a = v * 1.0
        tape.reset()
        b = v * 2.0
    assert float(tape.gradient(b, v)) == 2.0
    with tf.GradientTape() as tape:
        a = v * 1.0
        tape.reset()
    assert tape.gradient(a, v) is None


def test_stop_recording_and_stop_gradient():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        a = v * 1.0
        with tape.stop_recording():
            b = a * 2.0
        c = b * 3.0 + a
    assert float(tape.gradient(c, v)) == 1.0
    with tf.GradientTape() as tape:
        d = tf.stop_gradient(v * 1.0) + v * 5.0
    assert float(tape.gradient(d, v)) == 5.0


def test_unregistered_gradient_raises_only_when_reached():
    x, img, delta = tf.Variable(2.0), tf.Variable([[[0.5, 0.0, 0.0]]]), tf.Variable(0.1)
    with tf.GradientTape(persistent=True) as tape:
        contrast = tf.image.adjust_contrast(img, delta)
        through = x * 2.0 + tf.reduce_sum(contrast)
        beside = x * 3.0
    assert tape.gradient(beside, img) is None
    with pytest.raises(LookupError, match="^gradient registry has no entry for: AdjustContrastv2$"):
        tape.gradient(through, x)


def test_register_gradient_twice_is_a_key_error():
    @tf.RegisterGradient("TfcompatTestOp")
    def _grad(op, grad):
        return grad

    with pytest.raises(KeyError, match="Registering two gradient with name 'TfcompatTestOp'"):
        tf.RegisterGradient("TfcompatTestOp")(_grad)


def test_integer_path_gives_none():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        back = tf.cast(tf.cast(v, tf.int32), tf.float32) * 2.0
    assert tape.gradient(back, v) is None


def test_float64_round_trip_keeps_source_dtype():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = tf.cast(v, tf.float64) * 2.0
    g = tape.gradient(y, v)
    assert g.dtype == tf.float32 and float(g) == 2.0


def test_third_order_through_three_tapes():
    x = tf.constant(2.0)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x**4
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    assert (float(d1), float(d2), float(d3)) == (32.0, 48.0, 48.0)


def test_long_chain_backward_is_iterative():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x
        for _ in range(100_000):
            y = y * 1.0
    assert float(tape.gradient(y, x)) == 1.0


def test_non_persistent_tape_releases_tensors_after_gradient():
    x = tf.Variable(np.ones(3, np.float32))
    with tf.GradientTape() as tape:
        y = x * 2.0
    ref = weakref.ref(y)
    tape.gradient(y, x)
    del y
    gc.collect()
    assert ref() is None


def test_tapes_are_thread_local():
    x = tf.Variable(1.0)
    done = threading.Event()

    def other_thread():
        for _ in range(50):
            _ = x * 3.0
        done.set()

    with tf.GradientTape() as tape:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        y = x * 2.0
    assert done.is_set()
    assert len(tape._tape.entries) == 2  # the read of x and the multiply; nothing from the thread
    assert float(tape.gradient(y, x)) == 2.0


def test_watched_variables_order_and_trainability():
    a, b = tf.Variable(1.0, name="a"), tf.Variable(1.0, name="b", trainable=False)
    with tf.GradientTape() as tape:
        _ = a * b
    assert [v.name for v in tape.watched_variables()] == ["a:0"]
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        _ = a * b
    assert tape.watched_variables() == ()


def test_jacobian_stacks_one_row_per_target_element_and_releases_the_tape():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = x * x
    jac = tape.jacobian(y, x)
    assert jac.shape == (3, 3)
    np.testing.assert_array_equal(jac.numpy(), np.diag([2.0, 4.0, 6.0]).astype(np.float32))
    with pytest.raises(RuntimeError, match="one set of gradients"):
        tape.jacobian(y, x)
