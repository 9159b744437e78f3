"""tf.scatter_nd, tf.tensor_scatter_nd_update and tf.tensor_scatter_nd_add.

Compared forward and backward over drawn shapes, index depths and (repeated) index
vectors: repeated positions add up in scatter_nd and tensor_scatter_nd_add, the last
update wins in tensor_scatter_nd_update (TF's CPU order), whose gradient still gives every
update its position's gradient. Invalid shapes and indices raise TensorFlow's exact errors.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import upstream_like


def test_ops_scatter(case, check):
    check(case)


FLOATS = ("float16", "float32", "float64")
_EIGHTHS = st.integers(-40, 40).map(lambda n: n / 8)  # exact in every float dtype


def upstreams():
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _problem(min_depth=1):
    """(shape, indices, updates): index vectors into the first `depth` dims of shape (repeats
    likely), updates of indices.shape[:-1] + shape[depth:]."""

    def for_shape(shape):
        def for_depth(depth):
            vector = st.tuples(*(st.integers(0, d - 1) for d in shape[:depth])).map(list)
            outer = strategies.shapes(1, 2, max_side=3)

            def for_outer(outer_shape):
                count = int(np.prod(outer_shape))
                indices = st.lists(vector, min_size=count, max_size=count).map(
                    lambda vs: np.array(vs, dtype=np.int32).reshape(outer_shape + (depth,))
                )
                updates = hnp.arrays(np.float64, outer_shape + tuple(shape[depth:]), elements=_EIGHTHS)
                return st.tuples(st.just(list(shape)), indices, updates)

            return outer.flatmap(for_outer)

        return st.integers(min_depth, len(shape)).flatmap(for_depth)

    return strategies.shapes(1, 3, max_side=3).flatmap(for_shape)


@case(
    ["ops.scatter-nd"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "problem": _problem(),
        "index_dtype": st.sampled_from(["int32", "int64"]),
        "up": upstreams(),
    },
    name="scatter_nd",
)
def case_scatter_nd(tf, dtype, problem, index_dtype, up):
    """Values (repeats add up) and the updates' gradient (a gather_nd of the upstream one)."""
    shape, indices, updates = problem
    updates = tf.constant(updates.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(updates)
        y = tf.scatter_nd(tf.constant(indices, index_dtype), updates, tf.constant(shape, index_dtype))
    return y, tape.gradient(y, updates, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.tensor-scatter-nd"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "problem": _problem(),
        "op": st.sampled_from(["tensor_scatter_nd_update", "tensor_scatter_nd_add"]),
        "up": upstreams(),
    },
    name="tensor_scatter_nd",
)
def case_tensor_scatter_nd(tf, dtype, problem, op, up):
    """Values and both gradients: the tensor's (zero where overwritten, for update) and the updates'."""
    shape, indices, updates = problem
    tensor = tf.reshape(tf.cast(tf.range(int(np.prod(shape))), dtype) / 8, shape)
    updates = tf.constant(updates.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([tensor, updates])
        y = getattr(tf, op)(tensor, indices, updates)
    return y, tape.gradient(y, [tensor, updates], output_gradients=upstream_like(tf, y, up))


@case(["ops.scatter-nd", "ops.tensor-scatter-nd"], inputs={"n": st.integers(1, 3)})
def scatter_lists_and_dtypes(tf, n):
    """Lists convert to the first tensor's dtype; integer, bool and string tensors; empty index lists."""
    x = tf.reshape(tf.range(6.0), (2, 3))
    return (
        tf.scatter_nd([[0]] * n, [1.0] * n, tf.constant([4], tf.int64)),
        tf.scatter_nd([[1], [1]], [[1, 2], [3, 4]], [3, 2]),
        tf.scatter_nd(tf.zeros([0, 1], tf.int32), tf.zeros([0]), [0]),
        tf.tensor_scatter_nd_update(x, [[1]] * n, [[7, 8, 9]] * n),
        tf.tensor_scatter_nd_update(tf.constant(["a", "b"]), [[0]], ["c"]),
        tf.tensor_scatter_nd_add(tf.constant([1, 2], tf.int64), [[0]] * n, [5] * n),
        tf.tensor_scatter_nd_update(tf.constant([True, False]), [[1]], [True]),
    )


@case(["ops.scatter-nd", "ops.tensor-scatter-nd"], inputs={"x": hnp.arrays(np.float64, (3, 2), elements=_EIGHTHS)})
def scatter_jacobians(tf, x):
    """Jacobians (a batch of upstream gradients at once) and second-order gradients."""
    t = tf.constant(x)
    u = tf.constant(x[:2] * 2)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([t, u])
        a = tf.scatter_nd([[2], [0]], u * u, [3, 2])
        b = tf.tensor_scatter_nd_update(t * t, [[1], [1]], u * u)
        c = tf.tensor_scatter_nd_add(t * t, [[0, 1], [2, 0]], u[0] * u[1])
    jacobians = [tape.jacobian(y, [t, u]) for y in (a, b, c)]
    with tf.GradientTape() as outer:
        outer.watch(u)
        with tf.GradientTape() as inner:
            inner.watch(u)
            y = tf.reduce_sum(tf.tensor_scatter_nd_update(t, [[1]], u[:1] ** 3))
        g = inner.gradient(y, u)
    return jacobians, g, outer.gradient(g, u)


def _bad_call(tf, which):
    x = tf.reshape(tf.range(6.0), (2, 3))
    calls = {
        "scatter_nd range": lambda: tf.scatter_nd([[5]], [1.0], [4]),
        "scatter_nd negative index": lambda: tf.scatter_nd(tf.constant([[-1]]), tf.constant([1.0]), tf.constant([4])),
        "scatter_nd outer": lambda: tf.scatter_nd([[0]], [1.0, 2.0], [4]),
        "scatter_nd deep": lambda: tf.scatter_nd([[0, 0, 0]], [1.0], [4]),
        "scatter_nd inner": lambda: tf.scatter_nd([[0]], [[1.0]], [4]),
        "scatter_nd vector": lambda: tf.scatter_nd([0], [1.0], [4]),
        "scatter_nd negative shape": lambda: tf.scatter_nd([[0]], [1.0], [-4]),
        "scatter_nd float indices": lambda: tf.scatter_nd([[0.0]], [1.0], [4]),
        "scatter_nd float shape": lambda: tf.scatter_nd([[0]], [1.0], [4.0]),
        "scatter_nd empty": lambda: tf.scatter_nd([[0]], [1.0], [0]),
        "scatter_nd scalar indices": lambda: tf.scatter_nd(0, 1.0, [4]),
        "update range": lambda: tf.tensor_scatter_nd_update(x, [[2]], [[7.0, 8, 9]]),
        "update inner": lambda: tf.tensor_scatter_nd_update(x, [[1]], [[7.0, 8]]),
        "update dtype": lambda: tf.tensor_scatter_nd_update(x, tf.constant([[1]]), tf.constant([[7, 8, 9]])),
        "update deep": lambda: tf.tensor_scatter_nd_update(x, [[0, 0, 0]], [1.0]),
        "add range": lambda: tf.tensor_scatter_nd_add(x, [[0, 1], [2, 1]], [10.0, 20.0]),
        "add negative": lambda: tf.tensor_scatter_nd_add(x, tf.constant([[0, 1], [-1, 1]]), tf.constant([10.0, 20.0])),
        "add outer": lambda: tf.tensor_scatter_nd_add(x, [[0, 1]], [10.0, 20.0]),
        "add scalar tensor": lambda: tf.tensor_scatter_nd_add(tf.constant(1.0), [[0]], [10.0]),
        "add scalar updates": lambda: tf.tensor_scatter_nd_add(x, [0, 1], 10.0),
        "add scalar indices": lambda: tf.tensor_scatter_nd_add(x, 0, [1.0]),
        "add empty": lambda: tf.tensor_scatter_nd_add(tf.zeros([0]), [[0]], [1.0]),
        "add float indices": lambda: tf.tensor_scatter_nd_add(x, [[0.0]], [[1.0, 2, 3]]),
        "add strings": lambda: tf.tensor_scatter_nd_add(tf.constant(["a", "b"]), [[0]], ["c"]),
        "add bools": lambda: tf.tensor_scatter_nd_add(tf.constant([True]), tf.constant([[0]], tf.int64), [True]),
    }
    return calls[which]()


_ERRORS = {
    "scatter-nd": [
        "scatter_nd range",
        "scatter_nd negative index",
        "scatter_nd outer",
        "scatter_nd deep",
        "scatter_nd inner",
        "scatter_nd vector",
        "scatter_nd negative shape",
        "scatter_nd float indices",
        "scatter_nd float shape",
        "scatter_nd empty",
        "scatter_nd scalar indices",
    ],
    "tensor-scatter-nd": [
        "update range",
        "update inner",
        "update dtype",
        "update deep",
        "add range",
        "add negative",
        "add outer",
        "add scalar tensor",
        "add scalar updates",
        "add scalar indices",
        "add empty",
        "add float indices",
        "add strings",
        "add bools",
    ],
}


def scatter_errors(tf, which):
    return _bad_call(tf, which)


for _op, _variants in _ERRORS.items():
    cases.add(
        scatter_errors,
        [f"ops.{_op}"],
        examples=[{"which": v} for v in _variants],
        name=f"{_op.replace('-', '_')}_errors",
        module=__name__,
    )
