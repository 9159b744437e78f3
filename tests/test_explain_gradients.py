"""shim.debugging.explain_gradients: every reason code, on the seed notebooks' "why is it None"
examples and at least one more each. Each checks the reason, the line (marked `# cut: NAME`
below) and that the message names the source."""

from __future__ import annotations

import inspect
import logging
import pathlib
import threading

import numpy as np
import pytest

import shim as tf
from shim._core import provenance

explain = tf.debugging.explain_gradients


@pytest.fixture(autouse=True)
def explanations_on():
    tf.debugging.enable_gradient_explanations(True)
    yield
    tf.debugging.enable_gradient_explanations(False)


def line_of(mark: str) -> tuple[str, int]:
    """(this file, line) of the line ending in `# cut: <mark>`."""
    lines, start = inspect.getsourcelines(inspect.getmodule(line_of))
    for offset, text in enumerate(lines):
        if text.rstrip().endswith(f"# cut: {mark}"):
            return (__file__, start + offset if start else offset + 1)
    raise AssertionError(f"no line marked {mark!r}")


def check(found, reason: str, mark: str, names: str) -> None:
    assert found is not None, "expected an explanation, got None (a gradient flows)"
    assert found.reason == reason, found.message
    assert found.where == line_of(mark), (found.where, found.message)
    assert names in found.message and names in str(found)


# -- the seed notebooks' examples ------------------------------------------------------------


def test_seed_example_variables_constants_and_replaced_variables():
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)  # cut: seed-x1
    x2 = tf.Variable(2.0, name="x2") + 1.0  # cut: seed-x2
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:  # cut: seed-tape
        y = (x0**2) + (x1**2) + (x2**2)
    found = explain(tape, y, [x0, x1, x2, x3])
    assert found[0] is None
    check(found[1], "not_trainable", "seed-x1", "Variable 'x1:0'")
    check(found[2], "replaced_by_tensor", "seed-x2", "Tensor")
    check(found[3], "not_watched", "seed-tape", "Tensor")
    assert [g is None for g in tape.gradient(y, [x0, x1, x2, x3])] == [False, True, True, True]


def test_seed_example_x_equals_x_plus_one():
    x = tf.Variable(2.0, name="x")
    for epoch in range(2):
        with tf.GradientTape() as tape:
            y = x + 1
        if epoch == 0:
            assert explain(tape, y, x) is None
        else:
            check(explain(tape, y, x), "replaced_by_tensor", "seed-loop", "Tensor")
        x = x + 1  # cut: seed-loop


def test_seed_example_numpy_inside_the_tape():
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32, name="x")
    with tf.GradientTape() as tape:
        x2 = x**2
        y = np.mean(x2, axis=0)  # cut: seed-numpy
        y = tf.reduce_mean(y, axis=0)
    check(explain(tape, y, x), "left_via_numpy", "seed-numpy", "Variable 'x:0'")


def test_seed_example_integer_source():
    x = tf.constant(10)
    with tf.GradientTape() as g:  # cut: seed-int
        g.watch(x)
        y = x * x
    check(explain(g, y, x), "integer_dtype", "seed-int", "Tensor")


def test_seed_example_stateful_assign():
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(0.0, name="x1")
    with tf.GradientTape() as tape:
        x1.assign_add(x0)  # cut: seed-assign
        y = x1**2
    check(explain(tape, y, x0), "stateful_assign", "seed-assign", "Variable 'x0:0'")


# -- one more (or several) per reason ----------------------------------------------------------


def test_not_watched_without_watch_accessed_variables():
    v = tf.Variable(1.0, name="v")
    with tf.GradientTape(watch_accessed_variables=False) as tape:  # cut: unwatched-tape
        y = v * 3.0
    check(explain(tape, y, v), "not_watched", "unwatched-tape", "Variable 'v:0'")


def test_integer_dtype_cast_on_the_path():
    x = tf.Variable(2.5, name="xi")
    with tf.GradientTape() as tape:
        k = tf.cast(x, tf.int32)  # cut: cast-int
        y = tf.cast(k, tf.float32) * 2.0
    check(explain(tape, y, x), "integer_dtype", "cast-int", "Variable 'xi:0'")


def test_left_via_numpy_method():
    x = tf.Variable(2.0, name="xn")
    with tf.GradientTape() as tape:
        y = tf.constant((x * 3.0).numpy())  # cut: numpy-method
    check(explain(tape, y, x), "left_via_numpy", "numpy-method", "Variable 'xn:0'")


def test_stateful_assign_of_a_computed_value():
    w = tf.Variable(1.5, name="w")
    acc = tf.Variable(0.0, name="acc")
    with tf.GradientTape() as tape:
        acc.assign(w * 2.0)  # cut: assign-computed
        loss = acc * acc
    check(explain(tape, loss, w), "stateful_assign", "assign-computed", "Variable 'w:0'")


def test_computed_before_tape():
    x = tf.constant(3.0)
    y0 = x * x  # cut: before
    with tf.GradientTape() as t:
        t.watch(x)
        z = y0 * 2.0
    check(explain(t, z, x), "computed_before_tape", "before", "Tensor")


def test_stop_gradient_nested_structure_of_sources():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.GradientTape() as t:
        z = a * 2.0 + tf.stop_gradient(b * 3.0)  # cut: stopgrad
    found = explain(t, z, {"first": a, "rest": [b]})
    assert found["first"] is None
    check(found["rest"][0], "stop_gradient", "stopgrad", "Variable 'b:0'")


def test_stop_recording():
    x = tf.Variable(2.0, name="xs")
    with tf.GradientTape() as t:
        a = x * x
        with t.stop_recording():  # cut: paused
            b = a * 2.0
        c = b + 1.0
    check(explain(t, c, x), "stop_recording", "paused", "Variable 'xs:0'")


def test_reset():
    x = tf.Variable(2.0, name="xr")
    with tf.GradientTape() as t:
        a = x * x
        t.reset()  # cut: reset
        c = x + 1.0
    check(explain(t, a, x), "reset", "reset", "Variable 'xr:0'")
    assert explain(t, c, x) is None


def test_not_watched_by_an_inner_tape_that_watches_nothing_itself():
    x = tf.Variable(2.0, name="xo")
    with tf.GradientTape() as outer:
        with tf.GradientTape(watch_accessed_variables=False) as inner:  # cut: inner
            y = x * 4.0
    assert explain(outer, y, x) is None
    check(explain(inner, y, x), "not_watched", "inner", "Variable 'xo:0'")


def test_other_tape():
    x = tf.Variable(2.0, name="xq")
    later = tf.GradientTape()
    with tf.GradientTape() as first:
        a = x * x  # cut: other
    with later:
        b = a + 1.0
    check(explain(later, b, x), "other_tape", "other", "Variable 'xq:0'")
    assert explain(first, a, x) is None


def test_no_path():
    x = tf.Variable(2.0, name="xp")
    u = tf.Variable(1.0, name="u")
    with tf.GradientTape() as t:  # cut: nopath
        y = x * 2.0
    check(explain(t, y, u), "no_path", "nopath", "Variable 'u:0'")


def test_non_persistent_after_gradient_and_inside_context():
    x = tf.Variable(1.0, name="xa")
    k = tf.Variable(1.0, name="k", trainable=False)  # cut: after
    with tf.GradientTape() as t:
        y = x * k
        inside = explain(t, y, k)
    assert t.gradient(y, [x, k])[1] is None
    check(inside, "not_trainable", "after", "Variable 'k:0'")
    check(explain(t, y, k), "not_trainable", "after", "Variable 'k:0'")


def test_zero_policy_zeros_are_explained_too():
    x = tf.Variable(1.0, name="xz")
    u = tf.Variable(1.0, name="uz")
    with tf.GradientTape(persistent=True) as t:  # cut: zero
        y = x * 2.0
    assert float(t.gradient(y, u, unconnected_gradients="zero")) == 0.0
    check(explain(t, y, u), "no_path", "zero", "Variable 'uz:0'")


def test_switch_logs_each_none_on_the_tensorflow_logger(caplog):
    x = tf.Variable(1.0, name="xl")
    u = tf.Variable(1.0, name="ul")
    with tf.GradientTape(persistent=True) as t:
        y = x * 2.0
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        t.gradient(y, [x, u])
        t.jacobian(y, [u])
    messages = [r.getMessage() for r in caplog.records if r.name == "tensorflow"]
    assert len(messages) == 2 and all("Variable 'ul:0'" in m for m in messages)


def test_switch_off_logs_nothing_and_notes_nothing(caplog):
    tf.debugging.enable_gradient_explanations(False)
    x = tf.Variable(1.0)
    u = tf.Variable(1.0)
    with tf.GradientTape() as t:
        y = x * 2.0
    assert not hasattr(y, "_origin") or getattr(y, "_origin", None) is None
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        assert t.gradient(y, [x, u])[1] is None
    assert not [r for r in caplog.records if r.name == "tensorflow"]
    assert not any(type(r) is provenance.Provenance for r in tf._core.tape.state.tapes)


def test_threads_get_their_own_recorder():
    results = {}

    def work():
        x = tf.Variable(1.0, name="xt", trainable=False)  # cut: thread
        with tf.GradientTape() as t:
            y = x * 2.0
        results["found"] = explain(t, y, x)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    check(results["found"], "not_trainable", "thread", "Variable 'xt:0'")


# -- a second example for the reasons above that had one ---------------------------------------


def test_replaced_by_tensor_inside_a_nested_structure_of_sources():
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(0.5, name="b")
    w = w * 0.9  # cut: decayed
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w) + b
    found = explain(tape, loss, {"params": (w, b)})
    assert found["params"][1] is None
    check(found["params"][0], "replaced_by_tensor", "decayed", "Tensor")


def test_computed_before_an_inner_tape():
    x = tf.Variable(1.5, name="xh")
    with tf.GradientTape() as outer:
        first = x * x  # cut: before-inner
        with tf.GradientTape() as inner:
            second = first * 3.0
    assert explain(outer, second, x) is None
    check(explain(inner, second, x), "computed_before_tape", "before-inner", "Variable 'xh:0'")


def test_stop_gradient_on_the_variable_itself():
    v = tf.Variable(3.0, name="vs")
    with tf.GradientTape() as tape:
        y = tf.stop_gradient(v) * 2.0  # cut: stop-var
    check(explain(tape, y, v), "stop_gradient", "stop-var", "Variable 'vs:0'")


def test_stop_recording_seen_from_a_jacobian():
    x = tf.Variable([1.0, 2.0], name="xj")
    with tf.GradientTape(persistent=True) as t:
        with t.stop_recording():  # cut: paused-jac
            y = x * 2.0
    assert t.jacobian(y, x) is None
    check(explain(t, y, x), "stop_recording", "paused-jac", "Variable 'xj:0'")


def test_reset_of_a_persistent_tape():
    x = tf.Variable(2.0, name="xrp")
    with tf.GradientTape(persistent=True) as t:
        a = x * 3.0
        t.reset()  # cut: reset-persistent
    check(explain(t, a, x), "reset", "reset-persistent", "Variable 'xrp:0'")


def test_other_tape_when_nested_tapes_take_turns():
    x = tf.Variable(2.0, name="xn2")
    with tf.GradientTape() as outer:
        inner = tf.GradientTape()
        with inner:
            pass
        with outer.stop_recording():
            with tf.GradientTape() as third:
                b = x * 5.0  # cut: third
    assert explain(third, b, x) is None
    check(explain(inner, b, x), "other_tape", "third", "Variable 'xn2:0'")


def test_environment_variable_turns_it_on(tmp_path):
    import os
    import subprocess
    import sys

    script = tmp_path / "explained.py"
    script.write_text(
        "import shim as tf\n"
        "x = tf.Variable(1.0, name='q', trainable=False)\n"
        "with tf.GradientTape() as t:\n"
        "    y = x * 2.0\n"
        "print(t.gradient(y, x))\n"
    )
    root = str(pathlib.Path(__file__).resolve().parents[1])  # shim importable without an install
    env = {
        **os.environ,
        provenance.ENV_SWITCH: "1",
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "None"
    assert "Variable 'q:0' gets no gradient" in done.stderr and "explained.py:2" in done.stderr


def test_switched_off_the_tape_still_explains_what_it_knows():
    tf.debugging.enable_gradient_explanations(False)
    frozen = tf.Variable(1.0, name="frozen", trainable=False)  # cut: off-frozen
    x = tf.Variable(1.0, name="xoff")
    c = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:  # cut: off-tape
        y = x * frozen * c
    found = explain(tape, y, [x, frozen, c])
    assert found[0] is None
    check(found[1], "not_trainable", "off-frozen", "Variable 'frozen:0'")
    check(found[2], "not_watched", "off-tape", "Tensor")
