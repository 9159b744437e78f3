"""Sources the target does not depend on: None by default, or zeros of the source's
dtype and shape with unconnected_gradients=ZERO ('zero'); other values raise.

Guide: autodiff "Getting a gradient of None", "Zeros instead of None".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_unconnected(case, check):
    check(case)


_any_float = strategies.arrays(
    strategies.float_dtypes(strategies.FLOAT_DTYPES), strategies.shapes(max_dims=3), -3.0, 3.0
)
_vector = strategies.arrays("float32", strategies.shapes(min_dims=1, max_dims=1), -3.0, 3.0)
_policies = st.sampled_from(["enum", "string"])


def _policy(tf, spelling, which):
    """UnconnectedGradients.<WHICH> spelled as the enum member or as its string value."""
    return getattr(tf.UnconnectedGradients, which.upper()) if spelling == "enum" else which


@case(
    ["unconnected.none-default"],
    inputs={
        "x0": _any_float,
        "y0": strategies.python_floats(),
        "variable": st.booleans(),
        "spelling": st.sampled_from(["default", "enum", "string"]),
    },
    examples=[{"x0": np.float32([2.0, 2.0]), "y0": 3.0, "variable": True, "spelling": "default"}],
)
def unconnected_source_gives_none(tf, x0, y0, variable, spelling):
    x = tf.Variable(x0) if variable else tf.constant(x0)
    y = tf.Variable(y0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = y**2
    if spelling == "default":
        return tape.gradient(z, [x, y])
    return tape.gradient(z, [x, y], unconnected_gradients=_policy(tf, spelling, "none"))


@case(
    ["unconnected.zero", "tape.gradient-matches-source"],
    inputs={"x0": _any_float, "y0": strategies.python_floats(), "variable": st.booleans(), "spelling": _policies},
    examples=[{"x0": np.float32([2.0, 2.0]), "y0": 3.0, "variable": True, "spelling": "enum"}],
)
def unconnected_zero_matches_source(tf, x0, y0, variable, spelling):
    x = tf.Variable(x0) if variable else tf.constant(x0)
    y = tf.Variable(y0)
    with tf.GradientTape() as tape:
        z = y**2
    return tape.gradient(z, {"x": x, "y": y}, unconnected_gradients=_policy(tf, spelling, "zero"))


@case(
    ["unconnected.zero", "unconnected.none-default", "dtypes.integer-watch-warning"],
    inputs={
        "dtype": st.sampled_from(["int32", "int64", "uint8", "bool", "string"]),
        "size": st.integers(1, 3),
        "zero": st.booleans(),
    },
    examples=[{"dtype": "int32", "size": 2, "zero": True}],
)
def unconnected_non_float_sources(tf, dtype, size, zero):
    values = np.arange(size)
    if dtype == "string":
        s = tf.constant(values.astype(str).astype(object))
    else:
        s = tf.constant(values.astype(dtype) if dtype != "bool" else values % 2 == 1)
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        tape.watch(s)
        z = y**2
    return tape.gradient(z, s, unconnected_gradients="zero" if zero else "none")


@case(
    ["unconnected.zero"],
    inputs={"x0": _vector, "zero": st.booleans()},
    examples=[{"x0": np.float32([1.0, -2.0]), "zero": True}],
)
def connected_but_zero_is_not_unconnected(tf, x0, zero):
    x = tf.Variable(x0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(x * 0.0)
        s = tf.reduce_sum(tf.sign(x))
        c = tf.stop_gradient(x) * 2.0
    policy = "zero" if zero else "none"
    return (
        tape.gradient(y, x, unconnected_gradients=policy),
        tape.gradient(s, x, unconnected_gradients=policy),
        tape.gradient(c, x, unconnected_gradients=policy),
    )


@case(
    ["unconnected.zero", "structures.nested-sources"],
    inputs={"a0": _vector, "b0": strategies.python_floats(), "spelling": _policies},
    examples=[{"a0": np.float32([1.0, 2.0]), "b0": 0.5, "spelling": "enum"}],
)
def partly_connected_nested_sources(tf, a0, b0, spelling):
    a = tf.Variable(a0)
    b = tf.Variable(b0)
    c = tf.constant(a0 * 2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(c)
        y = tf.reduce_sum(a * b)
    sources = {"pair": [a, c], "single": (b,)}
    return (
        tape.gradient(y, sources),
        tape.gradient(y, sources, unconnected_gradients=_policy(tf, spelling, "zero")),
    )


@case(
    ["unconnected.zero"],
    inputs={
        "value": st.sampled_from(["ZERO", "Zero", "zeros", "None", "", "NONE"])
        | st.sampled_from([0, 1, None, True, 0.0]),
        "persistent": st.booleans(),
    },
    examples=[{"value": "zeros", "persistent": False}],
)
def invalid_unconnected_value(tf, value, persistent):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=persistent) as tape:
        z = y**2
    try:
        tape.gradient(z, [x, y], unconnected_gradients=value)
    except ValueError as e:
        first = str(e)
    else:
        first = "no error"
    return first, tape.gradient(z, [x, y], unconnected_gradients="zero")


@case(["unconnected.zero", "unconnected.none-default"])
def unconnected_gradients_enum(tf):
    members = list(tf.UnconnectedGradients)
    return (
        [m.name for m in members],
        [m.value for m in members],
        repr(tf.UnconnectedGradients.ZERO),
        str(tf.UnconnectedGradients.NONE),
        tf.UnconnectedGradients("zero") is tf.UnconnectedGradients.ZERO,
        tf.UnconnectedGradients.ZERO == "zero",
    )
