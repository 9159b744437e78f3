"""Unit tests of forward mode (shim/_core/forwardprop.py) and its hook into the engine.

JVPs are checked against the engine's own reverse mode (jacobian times tangent) and against
float64 central differences; the exact rules of the hottest ops against the double VJP
that every other op uses; the hook against the thread's recorders it joins and leaves.
"""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest

import shim as tf
from shim._core import forwardprop, tape
from shim._core.tape import Entry

RNG = np.random.default_rng(7)


def _jvp(fn, x0, t0):
    x = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(t0)) as acc:
        y = fn(x)
    return acc.jvp(y)


def _jacobian_times_tangent(fn, x0, t0):
    x = tf.constant(x0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = fn(x)
    jacobian = g.jacobian(y, x).numpy().reshape(y.shape.num_elements(), -1)
    return (jacobian @ np.ravel(t0)).reshape(y.shape.as_list())


_FUNCTIONS = {
    "polynomial": lambda x: x**3 - 2.0 * x * x + x,
    "softmax": lambda x: tf.exp(x) / tf.reduce_sum(tf.exp(x), axis=-1, keepdims=True),
    "matmul_chain": lambda x: tf.tanh(tf.matmul(x, tf.transpose(x))) + tf.sigmoid(x[:, :1]),
    "reductions": lambda x: tf.stack([tf.reduce_max(x), tf.reduce_prod(x * 0.5 + 1.0), tf.reduce_mean(tf.sin(x))]),
    "shapes": lambda x: tf.reshape(tf.tile(tf.concat([x, -x], axis=0), [1, 2]), [-1])[::3],
    "selection": lambda x: tf.where(x > 0.0, tf.nn.relu(x) * x, tf.nn.softplus(x)) / (tf.abs(x) + 1.0),
}


@pytest.mark.parametrize("name", sorted(_FUNCTIONS))
def test_jvp_is_jacobian_times_tangent(name):
    x0 = RNG.normal(size=(3, 2))
    t0 = RNG.normal(size=(3, 2))
    got = _jvp(_FUNCTIONS[name], x0, t0)
    np.testing.assert_allclose(got.numpy(), _jacobian_times_tangent(_FUNCTIONS[name], x0, t0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "fn",
    [
        tf.sin,
        tf.exp,
        tf.tanh,
        tf.sqrt,
        tf.math.log,
        tf.math.reciprocal,
        tf.math.rsqrt,
        lambda x: tf.pow(x, x),
        tf.math.cumprod,
    ],
)
def test_jvp_matches_central_differences_in_float64(fn):
    x0 = RNG.uniform(0.5, 2.0, size=(4,))
    t0 = RNG.normal(size=(4,))
    h = 1e-6
    numeric = (fn(tf.constant(x0 + h * t0)).numpy() - fn(tf.constant(x0 - h * t0)).numpy()) / (2 * h)
    np.testing.assert_allclose(_jvp(fn, x0, t0).numpy(), numeric, rtol=1e-7, atol=1e-8)


# -- the exact rules give what the double VJP gives ----------------------------------------------


def _entry_of(fn, *inputs):
    """The entry a tape records for the one op `fn` runs on `inputs`."""
    recording = tape._Tape(persistent=True, watch_accessed=False)
    recording.watched.update(x._id for x in inputs)
    tape.state.tapes.append(recording)
    try:
        fn(*inputs)
    finally:
        tape.state.tapes.remove(recording)
    [entry] = recording.entries
    return entry


_RULE_CASES = {
    "AddV2": (lambda x, y: x + y, [(3, 1), (1, 4)]),
    "Sub": (lambda x, y: x - y, [(2, 3), (3,)]),
    "Mul": (lambda x, y: x * y, [(1, 3), (2, 1)]),
    "Neg": (lambda x: -x, [(2, 3)]),
    "Identity": (tf.identity, [(2,)]),
    "MatMul": (tf.matmul, [(2, 3), (3, 4)]),
    "MatMul_transposed": (lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), [(3, 2), (4, 3)]),
    "MatMul_transpose_b": (lambda a, b: tf.matmul(a, b, transpose_b=True), [(2, 3), (4, 3)]),
}


_RULE_PARAMS = [
    (name, untangented)
    for name, (_, shapes) in sorted(_RULE_CASES.items())
    for untangented in [None, *range(len(shapes))]
    if len(shapes) > 1 or untangented is None
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
@pytest.mark.parametrize(("name", "untangented"), _RULE_PARAMS)
def test_exact_rules_equal_the_double_vjp(name, dtype, untangented):
    fn, shapes = _RULE_CASES[name]
    values = [RNG.normal(size=s) + (1j * RNG.normal(size=s) if dtype.startswith("complex") else 0) for s in shapes]
    inputs = [tf.constant(v.astype(dtype)) for v in values]
    entry = _entry_of(fn, *inputs)
    assert entry.type == name.split("_")[0]
    tangents = [tf.constant(RNG.normal(size=s).astype(dtype)) for s in shapes]
    if untangented is not None:  # an input without a tangent gets zeros, as in TF
        tangents[untangented] = tf.zeros_like(inputs[untangented])
    [by_rule] = forwardprop._RULES[entry.type](entry, tangents)
    [by_double_vjp] = forwardprop._by_double_vjp(entry, tangents)
    assert by_rule.dtype == by_double_vjp.dtype and by_rule.shape == by_double_vjp.shape
    np.testing.assert_array_equal(by_rule.numpy(), by_double_vjp.numpy())


@pytest.mark.skipif(not hasattr(tf, "gather"), reason="no tf.gather")
def test_gradients_given_as_indexed_slices_pair_with_the_tangents_rows():
    params = RNG.normal(size=(4, 2))
    tangent = RNG.normal(size=(4, 2))
    indices = [[3, 0], [3, 1]]
    for x in (tf.constant(params), tf.Variable(params)):
        with tf.autodiff.ForwardAccumulator(x, tf.constant(tangent)) as acc:
            y = tf.gather(x, indices)
        np.testing.assert_array_equal(acc.jvp(y).numpy(), tangent[indices])


def test_variable_reads_use_the_pass_through_rule():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([3.0, 4.0])) as acc:
        read = v.read_value()
    assert acc.jvp(read).numpy().tolist() == [3.0, 4.0]
    assert acc.jvp(read) is not acc.jvp(v)  # an Identity of the tangent, as TF's special case


# -- the hook: joining and leaving the thread's recorders -------------------------------------


def test_no_accumulator_leaves_the_recorders_alone():
    assert tape.state.tapes == []
    acc = tf.autodiff.ForwardAccumulator(tf.constant(1.0), tf.constant(1.0))
    assert tape.state.tapes == []
    with acc:
        assert [type(r) for r in tape.state.tapes] == [forwardprop._Recorder]
    assert tape.state.tapes == []


def test_recorders_are_restored_when_an_op_has_no_gradient():
    images = tf.ones([2, 2, 3])
    with tf.GradientTape() as g:
        g.watch(images)
        with tf.autodiff.ForwardAccumulator(images, tf.ones([2, 2, 3])) as acc:
            recorders = list(tape.state.tapes)
            with pytest.raises(LookupError, match="^gradient registry has no entry for: AdjustContrastv2$"):
                tf.image.adjust_contrast(images, 2.0)
            assert tape.state.tapes == recorders
            y = images * 2.0
    assert acc.jvp(y).numpy().sum() == 24.0
    assert tape.state.tapes == []


def test_jvp_ops_reach_outer_recorders_only():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as outer_tape:
        outer_tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as outer:
            with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
                with tf.GradientTape(persistent=True) as inner_tape:
                    inner_tape.watch(x)
                    y = tf.sin(x) * x
    jvp = acc.jvp(y)  # sin(x) + x cos(x)
    second = 2 * np.cos(2.0) - 2.0 * np.sin(2.0)
    assert float(outer.jvp(jvp)) == pytest.approx(second, rel=1e-6)
    assert float(outer_tape.gradient(jvp, x)) == pytest.approx(second, rel=1e-6)
    assert inner_tape.gradient(jvp, x) is None
    assert acc.jvp(outer.jvp(y)) is None


def test_the_guides_hessian_vector_product():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as g:
            y = tf.reduce_sum(v**3.0)
        backward = g.gradient(y, v)
    assert backward.numpy().tolist() == [3.0, 12.0]
    assert acc.jvp(backward).numpy().tolist() == [6.0, 0.0]


def test_watch_while_only_an_accumulator_records_does_nothing():
    x = tf.constant(3.0)
    g = tf.GradientTape()
    with g:
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)):
            with g.stop_recording():
                g.watch(x)
        y = x * x
    assert g.gradient(y, x) is None


def test_tangents_of_dead_tensors_are_dropped():
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
        y = x * 3.0
        key = y._id
        kept = tf.exp(x)
    assert key in acc._recorder.watched
    del y
    gc.collect()
    assert key not in acc._recorder.watched
    assert acc.jvp(kept) is not None and acc.jvp(x) is not None


def test_accumulators_are_per_thread():
    x = tf.constant(2.0)
    results = {}

    def other_thread():
        results["y"] = x * x

    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        mine = x * x
    assert acc.jvp(results["y"]) is None
    assert float(acc.jvp(mine)) == 4.0


def test_an_existing_tangent_wins():
    """TF keeps the first tangent an output gets (its custom_gradient relies on it)."""
    x = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        y = x * 5.0
        recorder = acc._recorder
        recorder.accumulate(Entry("Identity", (x,), (y,), {}, ()))
    assert float(acc.jvp(y)) == 5.0
