"""tape.jacobian and tape.batch_jacobian: shapes, values, unconnected sources, errors, hessians.

Guides: advanced autodiff "Jacobians", "Batch Jacobian", "Hessian";
tape-api, jacobian and batch_jacobian.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case


def test_jacobians(case, check):
    check(case)


def _batch_and_features():
    """(x, w, b) for a Dense-like layer: x is batch x n, w is n x m, b has m entries (eighths)."""
    eighths = st.integers(-16, 16).map(lambda n: n / 8)
    dims = st.integers(1, 4)
    return st.tuples(dims, dims, dims).flatmap(
        lambda bnm: st.tuples(
            hnp.arrays(np.float32, (bnm[0], bnm[1]), elements=eighths),
            hnp.arrays(np.float32, (bnm[1], bnm[2]), elements=eighths),
            hnp.arrays(np.float32, (bnm[2],), elements=eighths),
        )
    )


@case(
    ["jacobians.batch-shape"],
    inputs={
        "layer": _batch_and_features(),
        "activation": st.sampled_from(["linear", "relu", "tanh"]),
        "persistent": st.booleans(),
    },
)
def dense_layer_batch_jacobian(tf, layer, activation, persistent):
    x0, w0, b0 = layer
    x, w, b = tf.constant(x0), tf.Variable(w0), tf.Variable(b0)
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(x)
        y = tf.matmul(x, w) + b
        if activation == "relu":
            y = tf.nn.relu(y)
        elif activation == "tanh":
            y = tf.tanh(y)
    return tape.batch_jacobian(y, x)


@case(["jacobians.batch-shape"], inputs={"x0": strategies.grid("float32", strategies.shapes(2, 3, max_side=3), 2.0)})
def elementwise_batch_jacobian_of_higher_rank(tf, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x + tf.reduce_sum(x, axis=-1, keepdims=True)
    return tape.batch_jacobian(y, x)


@case(
    ["jacobians.batch-errors", "persistence.jacobian-once"],
    inputs={
        "target_shape": st.sampled_from([(3,), (3, 2), (2, 2)]),
        "source_shape": st.sampled_from([(3,), (3, 1), (2, 4)]),
        "persistent": st.booleans(),
        "use_pfor": st.booleans(),
        "twice": st.booleans(),
    },
)
def batch_jacobian_errors(tf, target_shape, source_shape, persistent, use_pfor, twice):
    source = tf.ones(source_shape)
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(source)
        target = tf.ones(target_shape) * tf.reduce_sum(source)
    first = tape.batch_jacobian(target, source, experimental_use_pfor=use_pfor)
    return first, tape.batch_jacobian(target, source) if twice else None


@case(["jacobians.batch-unconnected-zeros"], inputs={"unconnected": st.sampled_from(["none", "zero"])})
def batch_jacobian_unconnected_is_zeros(tf, unconnected):
    x = tf.ones((2, 3))
    other = tf.ones((2, 4), dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([x, other])
        y = x * 2.0
    return tape.batch_jacobian(y, other, unconnected_gradients=unconnected)


@case(
    ["jacobians.nested-sources", "tape.jacobian"],
    inputs={
        "x0": strategies.grid("float32", strategies.shapes(max_dims=2, max_side=3), 2.0),
        "unconnected": st.sampled_from(["none", "zero"]),
        "as_dict": st.booleans(),
    },
)
def jacobian_of_nested_sources(tf, x0, unconnected, as_dict):
    x = tf.constant(x0)
    w = tf.Variable([[1.0, -2.0]])
    unused = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x) * w
    sources = {"x": x, "more": [w, unused]} if as_dict else (x, [w, unused])
    return tape.jacobian(y, sources, unconnected_gradients=unconnected)


@case(["jacobians.hessian", "higher_order.nested-tapes"], inputs={"x0": strategies.grid("float32", (3,), 2.0)})
def hessian_by_jacobian_of_gradient(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(x * x * x) + x[0] * x[1]
        g = inner.gradient(y, x)
    return g, outer.jacobian(g, x)


@case(["jacobians.hessian"], inputs={"layer": _batch_and_features()})
def newton_step_on_a_layer(tf, layer):
    x0, w0, b0 = layer
    x, w = tf.constant(x0), tf.Variable(w0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_mean((tf.matmul(x, w) - b0) ** 2)
        grads = inner.gradient(loss, w)
    hessian = outer.jacobian(grads, w)
    n = int(np.prod(w.shape))
    return loss, grads, tf.reshape(hessian, [n, n])


# Functions of one watched tensor x (rank 2), each through ops whose gradients a vectorised
# jacobian runs on all rows at once.
_THROUGH_OPS = {
    "broadcast arithmetic": lambda tf, x: x * x[:1] - x / (tf.abs(x) + 1.0) + 2.0,
    "reductions": lambda tf, x: tf.concat(
        [tf.reduce_sum(x, axis=0), tf.reduce_mean(x, axis=1), tf.reduce_max(x, axis=0), tf.reduce_prod(x, axis=1)], 0
    ),
    "matmul and transpose": lambda tf, x: tf.matmul(x, tf.transpose(x)) + tf.matmul(x, x, transpose_a=True)[0, 0],
    "layout": lambda tf, x: tf.stack([tf.tile(x, [1, 2]), tf.concat([x, -x], axis=1)], axis=1),
    "slicing": lambda tf, x: tf.reshape(x[::-1, ::2], [-1]) * tf.expand_dims(x, 0)[:, -1, :1],
    "selection": lambda tf, x: tf.where(x > 0.0, tf.maximum(x, 0.5), tf.minimum(x * x, 1.0)),
    "activations": lambda tf, x: tf.nn.relu(x) + tf.tanh(x) * tf.sigmoid(x) + tf.nn.softplus(x) * tf.sin(x),
    "scans": lambda tf, x: tf.math.cumsum(x, axis=1, reverse=True) * tf.math.cumprod(x, axis=0),
}


@case(
    ["jacobians.vectorised", "tape.jacobian"],
    inputs={
        "x0": strategies.grid("float32", strategies.shapes(2, 2, max_side=3), 2.0),
        "function": st.sampled_from(sorted(_THROUGH_OPS)),
        "use_pfor": st.booleans(),
        "parallel_iterations": st.sampled_from([None, 1, 2, 5]),
    },
)
def jacobian_through_common_ops(tf, x0, function, use_pfor, parallel_iterations):
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = _THROUGH_OPS[function](tf, x)
    return tape.jacobian(y, x, parallel_iterations=parallel_iterations, experimental_use_pfor=use_pfor)


@case(
    ["jacobians.vectorised", "tape.jacobian"],
    inputs={
        "target_shape": st.sampled_from([(), (0,), (2, 0), (1,), (2, 1)]),
        "source_shape": st.sampled_from([(), (0,), (3,), (1, 2)]),
        "use_pfor": st.booleans(),
    },
)
def jacobian_of_scalar_and_empty_shapes(tf, target_shape, source_shape, use_pfor):
    source = tf.Variable(tf.ones(source_shape) * 0.5)
    with tf.GradientTape(persistent=True) as tape:
        target = tf.ones(target_shape) * tf.reduce_sum(tf.exp(source))
    return tape.jacobian(target, source, experimental_use_pfor=use_pfor)


@case(["jacobians.hessian", "higher_order.nested-tapes"], inputs={"x0": strategies.grid("float32", (3,), 2.0)})
def hessian_by_nested_jacobians(tf, x0):
    x = tf.Variable(x0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.sin(x) * tf.reduce_sum(x * x)
        j = inner.jacobian(y, x)
    return j, outer.jacobian(j, x)


@case(["jacobians.hessian", "higher_order.nested-tapes"], inputs={"layer": _batch_and_features()})
def gradient_of_a_batch_jacobian(tf, layer):
    x0, w0, b0 = layer
    x, w = tf.constant(x0), tf.Variable(w0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.tanh(tf.matmul(x, w) + b0)
        j = inner.batch_jacobian(y, x)
        size = tf.reduce_sum(j * j)
    return j, outer.gradient(size, w)


@case(
    ["jacobians.parallel-iterations"],
    inputs={
        "method": st.sampled_from(["jacobian", "batch_jacobian"]),
        "parallel_iterations": st.sampled_from([None, -1, 0, 1, 2, 3, 100]),
        "use_pfor": st.booleans(),
        "persistent": st.booleans(),
    },
)
def parallel_iterations_limits(tf, method, parallel_iterations, use_pfor, persistent):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(x)
        y = x * x
    compute = getattr(tape, method)
    return compute(y, x, parallel_iterations=parallel_iterations, experimental_use_pfor=use_pfor)


@case(
    ["jacobians.vectorised", "unconnected.zero"],
    inputs={
        "unconnected": st.sampled_from(["none", "zero"]),
        "use_pfor": st.booleans(),
        "several_sources": st.booleans(),
    },
)
def jacobian_of_an_empty_target(tf, unconnected, use_pfor, several_sources):
    x, other = tf.ones((0,)), tf.ones((2,))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, other])
        y = x * 2.0
    sources = [x, other] if several_sources else other
    return tape.jacobian(y, sources, unconnected_gradients=unconnected, experimental_use_pfor=use_pfor)
