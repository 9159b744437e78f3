"""Where the tape loses track: values that leave TensorFlow, stateful assigns, work done
before the tape, tf.stop_gradient, tape.stop_recording() and tape.reset().

Guides: autodiff "Cases where gradient returns None"; advanced autodiff "Controlling
gradient recording", "Stop gradient", "Reset or start recording from scratch".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_cutoffs(case, check):
    check(case)


_small = strategies.python_floats(-3.0, 3.0)
_vector = strategies.arrays("float32", strategies.shapes(min_dims=1, max_dims=1), -3.0, 3.0)
_NUMPY_FUNCTIONS = ("square", "sin", "exp", "tanh", "abs", "negative")


# -- a Variable plus a number is a Tensor ---------------------------------------------------


@case(
    ["cutoffs.variable-plus-number", "unconnected.none-default", "watch.explicit"],
    inputs={"start": _small, "offset": _small, "x0": _small},
    examples=[{"start": 1.5, "offset": 1.0, "x0": 0.0}],
)
def variable_plus_number(tf, start, offset, x0):
    x = tf.Variable(x0)
    b = tf.Variable(start) + offset
    with tf.GradientTape() as tape:
        f = (x + b) ** 2 + 2 * b
    grads = tape.gradient(f, [x, b])
    with tf.GradientTape() as explicit:
        explicit.watch(b)
        g = b**3
    return (
        type(b).__name__,
        isinstance(b, tf.Variable),
        tf.is_tensor(b),
        f,
        grads,
        tape.watched_variables(),
        explicit.gradient(g, b),
    )


# -- computing through numpy ----------------------------------------------------------------


@case(
    ["cutoffs.numpy-escape"],
    inputs={"x0": _vector, "function": st.sampled_from(_NUMPY_FUNCTIONS)},
    examples=[{"x0": np.float32([1.0]), "function": "square"}],
)
def numpy_function_on_variable(tf, x0, function):
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = getattr(np, function)(x)
        z = tf.constant(2.0) + y
    return type(y).__name__, str(y.dtype), y, type(z).__name__, z, tape.gradient(z, x)


@case(["cutoffs.numpy-escape"], inputs={"x0": _vector}, examples=[{"x0": np.float32([2.0, -1.0])}])
def numpy_method_inside_tape(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as tape:
        y = x.numpy() ** 2
        z = tf.reduce_sum(tf.constant(y) * x)
        w = tf.reduce_sum(tf.constant(y))
    return type(y).__name__, tape.gradient(z, x), tape.gradient(w, x)


# -- stateful objects -----------------------------------------------------------------------


@case(
    ["cutoffs.stateful-assign"],
    inputs={"a": _small, "b": _small, "method": st.sampled_from(["assign", "assign_add", "assign_sub"])},
    examples=[{"a": 3.0, "b": 0.0, "method": "assign_add"}],
)
def assign_inside_tape(tf, a, b, method):
    x0 = tf.Variable(a)
    x1 = tf.Variable(b)
    with tf.GradientTape() as tape:
        returned = getattr(x1, method)(x0 * 2.0)
        y = x1**2 + x0
    return type(returned).__name__, x1, y, tape.gradient(y, [x0, x1])


@case(["cutoffs.stateful-assign"], inputs={"a": _small, "b": _small}, examples=[{"a": 2.0, "b": 5.0}])
def assign_result_read_inside_tape(tf, a, b):
    x0 = tf.Variable(a)
    x1 = tf.Variable(b)
    with tf.GradientTape() as tape:
        r = x1.assign_sub(x0)
        y = r * 3.0
    return r, tape.gradient(y, [x0, x1]), tape.watched_variables()


@case(
    ["cutoffs.variable-replaced-in-loop", "cutoffs.variable-plus-number", "cutoffs.stateful-assign"],
    inputs={"a": _small, "steps": st.integers(1, 4), "step": _small},
    examples=[{"a": 1.0, "steps": 3, "step": 1.0}],
)
def variable_rebound_in_loop(tf, a, steps, step):
    x = tf.Variable(a)
    rebound = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            y = x**2 + 2 * x
        rebound.append((type(x).__name__, tape.gradient(y, x)))
        x = x + step
    x = tf.Variable(a)
    assigned = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            y = x**2 + 2 * x
        assigned.append((type(x).__name__, tape.gradient(y, x)))
        x.assign_add(step)
    return rebound, assigned


# -- values computed before the tape --------------------------------------------------------


@case(
    ["cutoffs.computed-before-tape", "watch.explicit"],
    inputs={"x0": _vector, "persistent": st.booleans()},
    examples=[{"x0": np.float32([1.0]), "persistent": False}],
)
def computed_before_tape(tf, x0, persistent):
    x = tf.Variable(x0)
    y = 2 * x + 1
    with tf.GradientTape(persistent=persistent) as tape:
        z = tf.reduce_sum(y**2)
    before = tape.gradient(z, x)
    with tf.GradientTape() as tape:
        y = 2 * x + 1
        z = tf.reduce_sum(y**2)
    inside = tape.gradient(z, x)
    c = tf.constant(x0)
    s = tf.sin(c)
    with tf.GradientTape() as tape:
        tape.watch([c, s])
        z = tf.reduce_sum(s * s)
    return before, inside, tape.gradient(z, [c, s])


# -- tf.stop_gradient -------------------------------------------------------------------------


@case(
    ["cutoffs.stop-gradient"],
    inputs={"x0": _vector, "w0": _vector},
    examples=[{"x0": np.float32([2.0]), "w0": np.float32([3.0])}],
)
def stop_gradient_part_of_expression(tf, x0, w0):
    x = tf.Variable(x0)
    w = tf.Variable(w0[:1])
    with tf.GradientTape(persistent=True) as tape:
        y = x * x + tf.stop_gradient(x * x * x) * w
        z = tf.reduce_sum(y)
        both = tf.stop_gradient(x * w) + x * tf.stop_gradient(w) + w**2
    return y, tape.gradient(z, [x, w]), tape.gradient(y, x), both, tape.gradient(both, [x, w])


@case(
    ["cutoffs.stop-gradient", "unconnected.zero"],
    inputs={"x0": strategies.arrays("float32", strategies.shapes(max_dims=2)), "dtype": strategies.float_dtypes()},
    examples=[{"x0": np.float32(2.0), "dtype": "float32"}],
)
def stop_gradient_value_and_gradient(tf, x0, dtype):
    x = tf.constant(x0, dtype=getattr(tf, dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        s = tf.stop_gradient(x)
        y = s * s
    return (
        s,
        tape.gradient(s, x),
        tape.gradient(y, x),
        tape.gradient(y, s),
        tape.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO),
    )


# -- tape.stop_recording() ----------------------------------------------------------------------


@case(["cutoffs.stop-recording"], inputs={"x0": _small}, examples=[{"x0": 4.0}])
def stop_recording_inside_tape(tf, x0):
    x = tf.constant(x0)
    v = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x**2
            u = v * 3.0
        z = x**3 + y
    return y, tape.gradient([z, u], [x, v]), tape.gradient(y, x), tape.watched_variables()


@case(["cutoffs.stop-recording", "higher_order.several-tapes"], inputs={"x0": _small}, examples=[{"x0": 2.0}])
def stop_recording_pauses_one_tape_only(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(x)
            with inner.stop_recording():
                y = x * x
            with outer.stop_recording():
                z = x * x * x
    return outer.gradient([y, z], x), inner.gradient([y, z], x)


@case(["cutoffs.watch-outside-recording", "cutoffs.stop-recording"], inputs={"x0": _small}, examples=[{"x0": 2.0}])
def watch_while_no_tape_records(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            tape.watch(x)
            y = x * x
        z = x * y
    paused = tape.gradient(z, x)
    with tf.GradientTape():
        with tf.GradientTape() as inner:
            with inner.stop_recording():
                inner.watch(x)
            z = x * x
    other_tape_recording = inner.gradient(z, x)
    later = tf.GradientTape()
    try:
        later.watch(x)
        before = "watched"
    except AttributeError as e:
        before = str(e)
    with later:
        pass
    later.watch(x)
    with later:
        z = x * x
    return paused, other_tape_recording, before, later.gradient(z, x)


def _try_stop_recording(tape):
    try:
        with tape.stop_recording():
            pass
    except Exception as e:  # noqa: BLE001 - the exception is the observation
        return type(e).__name__, str(e)
    return "entered"


@case(
    ["cutoffs.stop-recording"],
    inputs={"x0": _small, "persistent": st.booleans()},
    examples=[{"x0": 2.0, "persistent": False}],
)
def stop_recording_outside_context(tf, x0, persistent):
    x = tf.constant(x0)
    tape = tf.GradientTape(persistent=persistent)
    before = _try_stop_recording(tape)
    with tape:
        tape.watch(x)
        y = x * x
    after_exit = _try_stop_recording(tape)
    grad = tape.gradient(y, x)
    after_gradient = _try_stop_recording(tape)
    return before, after_exit, grad, after_gradient


# -- tape.reset() ---------------------------------------------------------------------------------


@case(["cutoffs.reset"], inputs={"x0": _small, "rewatch": st.booleans()}, examples=[{"x0": 3.0, "rewatch": False}])
def reset_inside_context(tf, x0, rewatch):
    x = tf.constant(x0)
    v = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x + v * v
        tape.reset()
        if rewatch:
            tape.watch(x)
        z = x * x * x + v * v * v
    return tape.gradient(y, [x, v]), tape.gradient(z, [x, v]), tape.watched_variables()


def _try_reset(tape):
    try:
        tape.reset()
    except Exception as e:  # noqa: BLE001 - the exception is the observation
        return type(e).__name__, str(e)
    return "reset"


@case(["cutoffs.reset"], inputs={"x0": _small}, examples=[{"x0": 3.0}])
def reset_outside_context(tf, x0):
    x = tf.constant(x0)
    tape = tf.GradientTape(persistent=True)
    before = _try_reset(tape)
    with tape:
        tape.watch(x)
        y = x * x
    after = _try_reset(tape)
    return before, after, tape.gradient(y, x)
