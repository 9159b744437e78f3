"""Structures of targets and sources, and output_gradients.

Sources may be nested lists, tuples and dicts of tensors and variables: gradients
come back in the sources' structure (dict keys in the sources' order, empty
containers kept). Several targets, or a non-scalar one, give the gradient of their
sum. output_gradients weights each target (flattened like the targets, dict keys
sorted); an empty list is the same as none; a None entry is not "ones": TF hands
None itself to the target's gradient function, which passes it on (a target that is
a source, Identity, adding a constant) or fails converting it to a tensor.

Guides: autodiff "Gradients with respect to a model", "Gradients of non-scalar
targets"; tape-api (gradient).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case
from conformance.casekit import leaves, map_leaves


def test_structures(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=3.0):
    return strategies.grid(dtype, shape, bound)


def _grid_same_shape(count, bound=2.0, max_dims=2):
    """`count` arrays of one float dtype and one shape."""
    return st.tuples(strategies.float_dtypes(), strategies.shapes(max_dims=max_dims)).flatmap(
        lambda ds: st.tuples(*(_grid(ds[0], ds[1], bound) for _ in range(count)))
    )


_leaf = _grid(shape=strategies.shapes(max_dims=2), bound=2.0)
_KINDS = ("tensors", "variables", "mixed")


def _sources(tf, values, kind, tape, count=None):
    """Each leaf as a trainable variable or a watched constant (alternating for "mixed")."""
    count = [0] if count is None else count
    if isinstance(values, dict):
        return {k: _sources(tf, v, kind, tape, count) for k, v in values.items()}
    if isinstance(values, (list, tuple)):
        return type(values)(_sources(tf, v, kind, tape, count) for v in values)
    count[0] += 1
    if kind == "variables" or (kind == "mixed" and count[0] % 2 == 0):
        return tf.Variable(values)
    x = tf.constant(values)
    tape.watch(x)
    return x


# -- structures of sources -------------------------------------------------------------------------


@case(
    ["structures.nested-sources", "tape.gradient-matches-source"],
    inputs={"values": strategies.structures(_leaf), "kind": st.sampled_from(_KINDS)},
    examples=[
        {"values": {"w": np.float32([[1.0, 2.0]]), "b": [np.float32(0.5)], "a": (np.float32(-1.0),)}, "kind": "mixed"}
    ],
)
def nested_sources(tf, values, kind):
    with tf.GradientTape() as tape:
        xs = _sources(tf, values, kind, tape)
        loss = tf.constant(0.0, dtype=leaves(xs)[0].dtype)
        for i, x in enumerate(leaves(xs)):
            loss = loss + tf.cast(tf.reduce_sum(x * x * (i + 1.0)), loss.dtype)
    return tape.gradient(loss, xs)


@case(
    ["structures.nested-sources", "structures.empty-containers"],
    inputs={"x0": _leaf, "shape_of_sources": st.sampled_from(["empty list", "empty containers", "nested empties"])},
    examples=[{"x0": np.float32(3.0), "shape_of_sources": "empty containers"}],
)
def empty_containers_in_sources(tf, x0, shape_of_sources):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    if shape_of_sources == "empty list":
        return tape.gradient(y, [])
    if shape_of_sources == "empty containers":
        return tape.gradient(y, {"c": {}, "a": [], "b": (x,)})
    return tape.gradient(y, [[], ((), [x]), {"k": ([],)}])


@case(
    ["structures.nested-sources", "watch.constants-unwatched", "watch.non-trainable", "watch.trainable-variables"],
    inputs={"values": _grid_same_shape(4)},
    examples=[{"values": (np.float32(1.0), np.float32(2.0), np.float32(3.0), np.float32(4.0))}],
)
def mixed_sources(tf, values):
    v = tf.Variable(values[0])
    t = tf.constant(values[1])
    c = tf.constant(values[2])
    frozen = tf.Variable(values[3], trainable=False)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = v * t + c * frozen + v * c
    return tape.gradient(y, {"variable": v, "watched": t, "constant": c, "frozen": frozen})


# -- several targets, non-scalar targets -----------------------------------------------------------


@case(
    ["structures.several-targets-sum", "structures.non-scalar-target-sum"],
    inputs={
        "x0": _leaf,
        "factors": strategies.structures(strategies.python_floats(-2.0, 2.0)),
        "as_variable": st.booleans(),
    },
    examples=[{"x0": np.float32([1.0, 2.0]), "factors": {"b": [1.0, 2.0], "a": 0.5}, "as_variable": False}],
)
def several_targets_sum(tf, x0, factors, as_variable):
    with tf.GradientTape(persistent=True) as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        tape.watch(x)
        targets = map_leaves(factors, lambda k: k * x * x)
        total = tf.zeros([], dtype=x.dtype)
        for y in leaves(targets):
            total = total + tf.reduce_sum(y)
    return tape.gradient(targets, x), tape.gradient(total, x)


@case(
    ["structures.non-scalar-target-sum", "tape.broadcasting"],
    inputs={
        "x0": _grid(shape=strategies.shapes(1, 1), bound=2.0),
        "m": st.integers(1, 4),
        "as_variable": st.booleans(),
    },
    examples=[{"x0": np.float32([1.0, 2.0]), "m": 2, "as_variable": True}],
)
def non_scalar_target(tf, x0, m, as_variable):
    with tf.GradientTape(persistent=True) as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        tape.watch(x)
        weights = tf.range(1.0, m + 1.0, dtype=x.dtype)
        y = tf.reshape(x, [-1, 1]) * weights * x[0]  # shape (n, m)
        s = tf.reduce_sum(y)
    return y.shape, tape.gradient(y, x), tape.gradient(s, x)


# -- output_gradients ------------------------------------------------------------------------------


@case(
    ["structures.output-gradients", "tape.gradient-matches-source"],
    inputs={"pair": _grid_same_shape(2), "as_list": st.booleans(), "as_variable": st.booleans()},
    examples=[{"pair": (np.float32([1.0, 2.0]), np.float32([2.0, 5.0])), "as_list": True, "as_variable": False}],
)
def output_gradients_weight_a_target(tf, pair, as_list, as_variable):
    x0, weights = pair
    with tf.GradientTape() as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        tape.watch(x)
        y = x * x * 3.0
    w = tf.constant(weights)
    return tape.gradient(y, x, output_gradients=[w] if as_list else w)


@case(
    ["structures.output-gradients", "structures.several-targets-sum"],
    inputs={"values": _grid_same_shape(3), "nested": st.booleans()},
    examples=[
        {"values": (np.float32([1.0, 2.0]), np.float32([1.0, 10.0]), np.float32([100.0, 1000.0])), "nested": True}
    ],
)
def output_gradients_of_several_targets(tf, values, nested):
    x0, g1, g2 = values
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y1 = x * x
        y2 = x * 3.0
        s = tf.reduce_sum(x)
    if nested:  # flattened like the targets: dict keys sorted
        targets = {"b": [y1], "a": (y2, s)}
        weights = {"a": (tf.constant(g2), tf.constant(2.0, dtype=x.dtype)), "b": [tf.constant(g1)]}
    else:
        targets = [y1, y2, s]
        weights = [g1, g2, 2.0 * np.ones((), dtype=x0.dtype)]
    return tape.gradient(targets, x, output_gradients=weights)


@case(
    ["structures.output-gradients"],
    inputs={"x0": _leaf, "empty": st.sampled_from(["[]", "()", "{}"])},
    examples=[{"x0": np.float32([1.0, 2.0]), "empty": "[]"}],
)
def output_gradients_empty(tf, x0, empty):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return tape.gradient(y, x, output_gradients={"[]": [], "()": (), "{}": {}}[empty])


@case(
    ["structures.output-gradients-none"],
    inputs={
        "pair": _grid_same_shape(2),
        "through": st.sampled_from(["source", "identity", "add constant", "variable", "multiply"]),
    },
    examples=[
        {"pair": (np.float32([1.0, 2.0]), np.float32([3.0, 1.0])), "through": "source"},
        {"pair": (np.float32([1.0, 2.0]), np.float32([3.0, 1.0])), "through": "multiply"},
    ],
)
def output_gradients_none_entry(tf, pair, through):
    x = tf.constant(pair[0])
    w = tf.constant(pair[1])
    v = tf.Variable(pair[0])
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        if through == "source":
            y = x
        elif through == "identity":
            y = tf.identity(x)
        elif through == "add constant":
            y = x + 1.0
        elif through == "variable":
            y = v
        else:
            y = x * 2.0
        other = w * 3.0
    return tape.gradient([y, other], [x, w, v], output_gradients=[None, tf.ones_like(w) * 2.0])


# -- what cannot be a target or a source -------------------------------------------------------------


@case(
    ["structures.invalid-entries"],
    inputs={"x0": _leaf, "where": st.sampled_from(["target", "in targets", "in sources", "nested in sources"])},
    examples=[{"x0": np.float32(1.0), "where": "in sources"}],
)
def none_as_target_or_source(tf, x0, where):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    if where == "target":
        return tape.gradient(None, x)
    if where == "in targets":
        return tape.gradient([y, None], x)
    if where == "in sources":
        return tape.gradient(y, [x, None])
    return tape.gradient(y, {"a": x, "b": [None]})
