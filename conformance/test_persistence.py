"""Persistent and non-persistent tapes: how many gradient calls each allows, and what
happens when gradient is called inside the tape's own context.

A non-persistent tape is released by its gradient call: a second call raises, and a
call inside the context also stops the recording (what follows is not recorded, and
tape.watch has no tape left to watch on). A persistent tape keeps recording, so the
gradient ops themselves are recorded, and TF logs a warning, once per calling line
(log_first_n(..., 1) keyed by the caller's file and line).

Guides: autodiff "Gradient tapes"; tape-api (gradient); tensorflow/python/eager/backprop.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_persistence(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=3.0):
    return strategies.grid(dtype, shape, bound)


_x = _grid(bound=2.0)


def _source(tf, value, as_variable, tape):
    """`value` as a trainable variable (watched by reading it) or a watched constant."""
    if as_variable:
        return tf.Variable(value)
    x = tf.constant(value)
    tape.watch(x)
    return x


# -- how many gradient calls ----------------------------------------------------------------------


@case(
    ["persistence.second-gradient-raises"],
    inputs={"x0": _x, "as_variable": st.booleans(), "same_call": st.booleans()},
    examples=[{"x0": np.float32(1.0), "as_variable": False, "same_call": False}],
)
def second_gradient_raises(tf, x0, as_variable, same_call):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = 2.0 * x
        f = y * y
    tape.gradient(f, y)
    return tape.gradient(f, y if same_call else x)


@case(
    ["persistence.persistent-reuse", "tape.gradient-of-intermediate"],
    inputs={"x0": _x, "as_variable": st.booleans(), "auto": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False, "auto": True}],
)
def persistent_several_gradients(tf, x0, as_variable, auto):
    with tf.GradientTape(persistent=True, watch_accessed_variables=auto) as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        tape.watch(x)
        y = x * x
        z = y * y
    dz_dx = tape.gradient(z, x)
    dy_dx = tape.gradient(y, x)
    dz_dy = tape.gradient(z, y)
    again = tape.gradient(z, x)
    return dz_dx, dy_dx, dz_dy, again, tape.gradient([y, z], [x, y])


@case(
    ["persistence.persistent-reuse", "watch.accessed-variables-off"],
    inputs={"x0": _grid(shape=()), "w0": _grid(shape=())},
    examples=[{"x0": np.float32(2.0), "w0": np.float32(5.0)}],
)
def persistent_unwatched_variable(tf, x0, w0):
    x = tf.Variable(x0)
    w = tf.Variable(w0)
    with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
        tape.watch(x)
        y = x**2
        z = w**3
    return tape.gradient(y, x), tape.gradient(z, w), tape.gradient(y, x)


# -- gradient inside the tape's context --------------------------------------------------------------


@case(
    ["persistence.gradient-inside-context", "persistence.persistent-reuse"],
    inputs={"x0": _x, "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False}],
)
def inside_persistent_context_keeps_recording(tf, x0, as_variable):
    with tf.GradientTape(persistent=True) as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x * x
        g = tape.gradient(y, x)  # 3 x^2, recorded as it is computed
        z = g * x
    return g, tape.gradient(z, x), tape.gradient(g, x), tape.gradient(y, x)


@case(
    ["persistence.gradient-inside-context", "persistence.warning-per-call-site"],
    inputs={"x0": _x, "calls": st.integers(1, 3), "other_line": st.booleans()},
    examples=[{"x0": np.float32(1.0), "calls": 3, "other_line": True}],
)
def inside_persistent_context_warns_per_line(tf, x0, calls, other_line):
    x = tf.constant(x0)
    results = []
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        for _ in range(calls):
            results.append(tape.gradient(y, x))  # one line: one warning however often
        if other_line:
            results.append(tape.gradient(y, x))  # another line: warned again
    results.append(tape.gradient(y, x))  # outside the context: no warning
    return results


@case(
    ["persistence.gradient-inside-context"],
    inputs={"x0": _x, "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False}],
)
def inside_non_persistent_context_stops_recording(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x
        g = tape.gradient(y, x)
        z = y * x  # not recorded: the tape was released
    kept = tape.watched_variables()
    with tape:  # entered again after the release: a fresh tape
        tape.watch(x)
        w = x * 3.0
    return g, kept, tape.gradient([w, z], x)


@case(
    ["persistence.gradient-inside-context", "persistence.second-gradient-raises"],
    inputs={"x0": _x, "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": True}],
)
def inside_non_persistent_context_then_again(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x
        tape.gradient(y, x)
        z = y * x
    return tape.gradient(z, x)


@case(
    ["persistence.gradient-inside-context", "watch.needs-a-tape"],
    inputs={"x0": _x, "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False}],
)
def inside_non_persistent_context_then_watch(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x
        tape.gradient(y, x)
        tape.watch(y)


# -- jacobians use the tape up the same way ----------------------------------------------------------


@case(
    ["persistence.jacobian-once", "tape.jacobian"],
    inputs={
        "x0": _grid(shape=strategies.shapes(max_dims=2, max_side=3)),
        "as_variable": st.booleans(),
        "first": st.sampled_from(["gradient", "jacobian"]),
    },
)
def jacobian_on_used_tape_raises(tf, x0, as_variable, first):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x + 1.0
    if first == "gradient":
        tape.gradient(y, x)
    else:
        tape.jacobian(y, x)
    return tape.jacobian(y, x)


@case(
    ["persistence.jacobian-once", "persistence.persistent-reuse", "tape.jacobian"],
    inputs={
        "x0": _grid(shape=strategies.shapes(max_dims=2, max_side=3)),
        "persistent": st.booleans(),
        "use_pfor": st.booleans(),
        "unconnected": st.sampled_from(["none", "zero"]),
    },
)
def jacobian_values_and_pfor_switch(tf, x0, persistent, use_pfor, unconnected):
    x = tf.constant(x0)
    other = tf.constant(1.0, dtype=x.dtype)
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch([x, other])
        y = tf.reduce_sum(x) * x * 0.5
    first = tape.jacobian(y, [x, other], unconnected_gradients=unconnected, experimental_use_pfor=use_pfor)
    again = tape.jacobian(y, x) if persistent else None
    return first, again
