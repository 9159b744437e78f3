"""GradientTape basics: what is recorded and differentiated, and what a gradient looks like.

Polynomials and products of watched tensors and variables, gradients through
broadcasting, the gradient of a source with respect to itself, intermediate results
as sources, a target that is also a source, a source listed twice, and entering a
tape again.

Values come from a grid of eighths (`_grid`): products and sums of them are exact in
float32 and float64, so the order in which a backend adds gradient contributions
cannot change a result.

Guides: tape-api (tf.GradientTape); autodiff "Gradient tapes", "Intermediate results",
"Gradients of non-scalar targets".
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case


def test_tape_basics(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=3.0):
    return strategies.grid(dtype, shape, bound)


def _grid_pair(bound=3.0):
    """(a, b) of one float dtype whose shapes broadcast together."""

    def build(dtype):
        eighths = st.integers(int(-bound * 8), int(bound * 8)).map(lambda n: n / 8)
        return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3).flatmap(
            lambda s: st.tuples(*(hnp.arrays(np.dtype(dtype), shape, elements=eighths) for shape in s.input_shapes))
        )

    return strategies.float_dtypes().flatmap(build)


def _grid_same_shape(bound=3.0):
    """(a, b) of one float dtype and one shape."""
    return st.tuples(strategies.float_dtypes(), strategies.shapes(max_dims=2)).flatmap(
        lambda ds: st.tuples(_grid(ds[0], ds[1], bound), _grid(ds[0], ds[1], bound))
    )


_coefficients = st.lists(strategies.python_floats(-3.0, 3.0), min_size=3, max_size=3)


def _source(tf, value, as_variable, tape):
    """`value` as a trainable variable (watched by reading it) or a watched constant."""
    if as_variable:
        return tf.Variable(value)
    x = tf.constant(value)
    tape.watch(x)
    return x


# -- values of gradients ---------------------------------------------------------------------


@case(
    ["tape.records-and-differentiates", "tape.gradient-matches-source"],
    inputs={"x0": _grid(), "coefficients": _coefficients, "as_variable": st.booleans()},
    examples=[
        {"x0": np.float32(3.0), "coefficients": [0.0, 1.0, 0.0], "as_variable": False},
        {"x0": np.float32(-2.0), "coefficients": [0.0, 1.0, 0.0], "as_variable": True},
    ],
)
def polynomial(tf, x0, coefficients, as_variable):
    c3, c2, c1 = coefficients
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = c3 * x * x * x + c2 * x * x + c1 * x
    return y, tape.gradient(y, x)


@case(
    ["tape.records-and-differentiates", "tape.gradient-matches-source"],
    inputs={"x0": _grid(bound=2.0), "power": st.sampled_from([2.0, 3.0, 4.0])},
    examples=[{"x0": np.float32([1.0, 2.0]), "power": 2.0}],
)
def power_operator(tf, x0, power):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x**power
    return tape.gradient(y, x)


@case(
    ["tape.records-and-differentiates", "tape.gradient-matches-source"],
    inputs={"x0": _grid("float16", bound=2.0), "as_variable": st.booleans()},
    examples=[{"x0": np.float16([1.5, 2.0]), "as_variable": False}],
)
def float16_product(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x * x - x
    g = tape.gradient(y, x)
    return g.dtype, g.shape, g


@case(
    ["tape.records-and-differentiates", "tape.gradient-matches-source", "structures.nested-sources"],
    inputs={"pair": _grid_same_shape(), "as_variable": st.booleans()},
    examples=[{"pair": (np.float32([1.0, 2.0]), np.float32([3.0, -1.0])), "as_variable": True}],
)
def product_of_two(tf, pair, as_variable):
    with tf.GradientTape() as tape:
        a = _source(tf, pair[0], as_variable, tape)
        b = _source(tf, pair[1], as_variable, tape)
        z = a * b + a
    return tape.gradient(z, [a, b])


@case(
    ["tape.broadcasting", "tape.gradient-matches-source", "structures.non-scalar-target-sum"],
    inputs={"pair": _grid_pair(), "as_variable": st.booleans()},
    examples=[{"pair": (np.float32([[1.0], [2.0]]), np.float32([1.0, -1.0, 0.5])), "as_variable": False}],
)
def broadcasting(tf, pair, as_variable):
    with tf.GradientTape() as tape:
        a = _source(tf, pair[0], as_variable, tape)
        b = _source(tf, pair[1], as_variable, tape)
        z = a * b + a - b
    ga, gb = tape.gradient(z, [a, b])
    return ga, gb, ga.shape == a.shape, gb.shape == b.shape


# -- what can be a source ----------------------------------------------------------------------


@case(
    ["tape.gradient-of-source-itself", "tape.gradient-matches-source"],
    inputs={"x0": _grid(), "kind": st.sampled_from(["watched", "unwatched", "variable", "variable-read"])},
    examples=[{"x0": np.float32([1.0, 2.0]), "kind": "unwatched"}],
)
def gradient_of_source_itself(tf, x0, kind):
    x = tf.Variable(x0) if kind.startswith("variable") else tf.constant(x0)
    with tf.GradientTape() as tape:
        if kind == "watched":
            tape.watch(x)
        if kind == "variable-read":
            _ = x + 1.0
    return tape.gradient(x, x)


@case(
    ["tape.gradient-of-intermediate", "structures.nested-sources"],
    inputs={"x0": _grid(bound=2.0), "as_variable": st.booleans()},
    examples=[{"x0": np.float32(1.0), "as_variable": False}],
)
def intermediate_and_input_at_once(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = 2.0 * x
        f = y * y + y
    return tape.gradient(f, {"y": y, "x": x})


@case(
    ["tape.gradient-of-intermediate"],
    inputs={"x0": _grid(bound=2.0)},
    examples=[{"x0": np.float32([1.0, -0.5])}],
)
def intermediate_not_upstream(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * 3.0
    # y depends on x but not on z: d y / d z is None; d z / d y is 3.
    return tape.gradient(y, z), tape.gradient(z, y), tape.gradient(z, x)


@case(
    ["tape.target-also-source", "structures.several-targets-sum"],
    inputs={"x0": _grid(bound=2.0), "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False}],
)
def target_also_source(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x
    return tape.gradient([y, x], x)


@case(
    ["tape.source-repeated", "structures.nested-sources"],
    inputs={"x0": _grid(bound=2.0), "as_variable": st.booleans()},
    examples=[{"x0": np.float32(3.0), "as_variable": False}],
)
def source_given_twice(tf, x0, as_variable):
    with tf.GradientTape() as tape:
        x = _source(tf, x0, as_variable, tape)
        y = x * x
    return tape.gradient(y, [x, x, (x,), {"again": x}])


# -- entering a tape ---------------------------------------------------------------------------


@case(
    ["tape.reenter"],
    inputs={"x0": _grid(bound=2.0), "persistent": st.booleans()},
    examples=[{"x0": np.float32(3.0), "persistent": True}],
)
def entered_twice_records_on_one_tape(tf, x0, persistent):
    x = tf.constant(x0)
    tape = tf.GradientTape(persistent=persistent)
    with tape:
        tape.watch(x)
        y = x * x
    outside = y * 2.0  # between the two contexts: not recorded
    with tape:
        z = y * x
    return tape.gradient([z, outside], x)


@case(["tape.reenter-while-recording-raises"], inputs={"persistent": st.booleans()}, examples=[{"persistent": False}])
def enter_while_recording_raises(tf, persistent):
    tape = tf.GradientTape(persistent=persistent)
    with tape:
        with tape:
            pass
