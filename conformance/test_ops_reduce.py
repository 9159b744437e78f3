"""Reductions (sum, mean, max, min, prod, logsumexp, variance, std, Euclidean norm, all, any),
cumulative sums and products, and matrix products.

Forward values and gradients (with a drawn upstream gradient as output_gradients)
are compared with TensorFlow's over drawn shapes, axes (None, one, negative, several),
keepdims and dtypes; max and min are drawn with many ties, where TensorFlow shares the
gradient equally between the tied elements. Invalid axes raise TF's exact errors.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import op_named, upstream_like


def test_ops_reduce(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _arrays(elements, dtypes=FLOATS, min_dims=0, max_dims=3, max_side=4):
    """Arrays of a drawn dtype whose elements are drawn as float64 then cast (exactly: see callers)."""
    shapes = strategies.shapes(min_dims, max_dims, max_side=max_side)
    return st.tuples(st.sampled_from(dtypes), shapes).flatmap(
        lambda ds: hnp.arrays(np.float64, ds[1], elements=elements).map(lambda a: a.astype(ds[0]))
    )


def _with_axes(arrays):
    """(x, axis): axis None, one (maybe negative) or a tuple of distinct axes of x."""
    return arrays.flatmap(lambda x: st.tuples(st.just(x), strategies.axes_for(x.ndim)))


def _with_one_axis(arrays):
    """(x, axis) with one valid axis, maybe negative (x has rank >= 1)."""
    return arrays.flatmap(lambda x: st.tuples(st.just(x), st.integers(-x.ndim, x.ndim - 1)))


_EIGHTHS = st.integers(-40, 40).map(lambda n: n / 8)  # -5..5, exact in float16: sums round alike
# no float16 subnormals
_FLOATS = st.floats(-5.0, 5.0, allow_subnormal=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
_TIES = st.sampled_from([-1.0, 0.0, 0.5, 2.0])  # few values: ties are common
_SMALL = st.integers(-12, 12).map(lambda n: n / 8)  # products of up to 27 stay finite in float16
_AWAY_FROM_ZERO = st.integers(-12, 12).filter(lambda n: abs(n) >= 4).map(lambda n: n / 8)


# -- reductions ---------------------------------------------------------------------------


def reduction(tf, op, x_axis, keepdims, up):
    x, axis = x_axis
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, axis=axis, keepdims=keepdims)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


_TIED = np.array([[2.0, 2.0, -1.0], [0.5, 0.5, 0.5]], np.float32)
_ZEROS = np.array([[0.0, 1.5, -2.0], [0.0, 0.0, 1.0], [1.0, 2.0, 0.5]], np.float32)

# op, elements, max side, explicit examples' (x, axis)
_REDUCTIONS = [
    ("reduce_sum", _EIGHTHS, 4, []),
    ("reduce_mean", _FLOATS, 4, []),
    ("reduce_max", _TIES, 4, [(_TIED, None), (_TIED, 1), (_TIED, (0, 1))]),
    ("reduce_min", _TIES, 4, [(_TIED, None), (_TIED, -1), (_TIED, 0)]),
    ("reduce_prod", _SMALL, 3, [(_ZEROS, None), (_ZEROS, 1), (_ZEROS, 0)]),  # one zero, two zeros
]

for _name, _elements, _side, _examples in _REDUCTIONS:
    cases.add(
        reduction,
        [f"ops.{_name}", "structures.output-gradients"],
        inputs={
            "x_axis": _with_axes(_arrays(_elements, max_side=_side)),
            "keepdims": st.booleans(),
            "up": upstreams(),
        },
        examples=[{"x_axis": example, "keepdims": False, "up": [1.0, -0.5, 2.0]} for example in _examples],
        fixed={"op": _name},
        name=_name,
        module=__name__,
    )


@case(
    ["ops.reduce_sum", "ops.reduce_mean", "ops.reduce_max", "ops.reduce_min", "ops.reduce_prod"],
    inputs={
        "x_axis": _with_axes(
            st.tuples(st.sampled_from(strategies.INT_DTYPES), strategies.shapes(max_side=3)).flatmap(
                lambda ds: hnp.arrays(np.int64, ds[1], elements=st.integers(-9, 9)).map(lambda a: a.astype(ds[0]))
            )
        ),
        "keepdims": st.booleans(),
    },
    examples=[{"x_axis": (np.array([[-7, 3, 1], [7, 2, 2]], np.int32), 1), "keepdims": False}],
)
def int_reductions(tf, x_axis, keepdims):
    """Integer reductions: the mean truncates toward zero, sums and products wrap around."""
    x, axis = x_axis
    x = tf.constant(x)
    return [
        tf.reduce_sum(x, axis, keepdims),
        tf.reduce_mean(x, axis, keepdims),
        tf.reduce_max(x, axis, keepdims),
        tf.reduce_min(x, axis, keepdims),
        tf.reduce_prod(x, axis, keepdims),
    ]


@case(
    ["ops.reduce_sum", "ops.reduce_mean", "ops.reduce_max", "ops.reduce_min", "ops.reduce_prod"],
    inputs={
        "op": st.sampled_from(["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"]),
        "x": strategies.arrays("float32", strategies.shapes(0, 3)),
        "bad": st.sampled_from(["rank", "rank+1", "-rank-1", "duplicate", "duplicate-negative"]),
    },
)
def reduction_invalid_axis(tf, op, x, bad):
    """An axis out of range, or the same axis twice, raises."""
    rank = x.ndim
    axis = {
        "rank": rank,
        "rank+1": rank + 1,
        "-rank-1": -rank - 1,
        "duplicate": [0, 0],
        "duplicate-negative": [0, -rank],
    }[bad]
    return op_named(tf, op)(tf.constant(x), axis=axis)


@case(
    ["ops.reduce_sum", "ops.reduce_max"],
    inputs={"x": strategies.arrays("float32", (2, 3, 2)), "up": upstreams()},
)
def reduction_axis_forms(tf, x, up):
    """Axes as lists, numpy arrays, tensors, or empty (nothing reduced)."""
    x = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ys = [
            tf.reduce_sum(x, axis=[0, 2]),
            tf.reduce_sum(x, axis=np.array([-1])),
            tf.reduce_sum(x, axis=tf.constant([1, 0])),
            tf.reduce_sum(x, axis=[]),
            tf.reduce_max(x, axis=tf.constant(-2), keepdims=True),
        ]
    return ys, [tape.gradient(y, x, output_gradients=upstream_like(tf, y, up)) for y in ys]


@case(["ops.reduce_max", "ops.reduce_min", "ops.reduce_sum", "ops.reduce_prod"])
def reduction_of_empty(tf):
    """Reducing no elements gives the reduction's identity (-inf for max, inf for min)."""
    x = tf.zeros((0, 3))
    return [tf.reduce_max(x), tf.reduce_min(x, axis=0), tf.reduce_sum(x, axis=0), tf.reduce_prod(x)]


# -- cumulative sums and products -------------------------------------------------------------


def cumulative(tf, op, x_axis, exclusive, reverse, up):
    x, axis = x_axis
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, axis=axis, exclusive=exclusive, reverse=reverse)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


# cumprod's gradient divides by x: its elements stay away from zero
for _name, _elements in (("cumsum", _EIGHTHS), ("math.cumprod", _AWAY_FROM_ZERO)):
    cases.add(
        cumulative,
        [f"ops.{_name}", "structures.output-gradients"],
        inputs={
            "x_axis": _with_one_axis(_arrays(_elements, min_dims=1)),
            "exclusive": st.booleans(),
            "reverse": st.booleans(),
            "up": upstreams(),
        },
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


@case(
    ["ops.cumsum", "ops.math.cumprod"],
    inputs={
        "x": strategies.int_arrays(st.sampled_from(("int32", "int64")), low=-4, high=4),
        "exclusive": st.booleans(),
    },
)
def int_cumulative(tf, x, exclusive):
    x = tf.constant(x)
    if x.shape.rank == 0:
        return tf.cumsum(x)  # raises: a scalar has no axis to scan
    return tf.cumsum(x, axis=-1, exclusive=exclusive), tf.math.cumprod(x, exclusive=exclusive, reverse=True)


@case(
    ["ops.cumsum", "ops.math.cumprod"],
    inputs={
        "op": st.sampled_from(["cumsum", "math.cumprod"]),
        "x": strategies.arrays("float32", strategies.shapes(0, 3)),
        "bad": st.sampled_from(["rank", "-rank-1", "-rank-2"]),
    },
)
def cumulative_invalid_axis(tf, op, x, bad):
    rank = x.ndim
    axis = {"rank": rank, "-rank-1": -rank - 1, "-rank-2": -rank - 2}[bad]
    return op_named(tf, op)(tf.constant(x), axis=axis)


@case(
    ["ops.cumsum", "ops.math.cumprod", "ops.reduce_prod"],
    inputs={
        "shape": st.sampled_from([(0,), (0, 3), (2, 0), (2, 0, 3)]),
        "axis": st.integers(0, 2),
        "exclusive": st.booleans(),
        "reverse": st.booleans(),
    },
    examples=[{"shape": (0, 3), "axis": 0, "exclusive": True, "reverse": False}],
)
def empty_scans_and_products(tf, shape, axis, exclusive, reverse):
    """Empty inputs: empty scans (exclusive ones too) and products of nothing, and their gradients."""
    x = tf.Variable(np.ones(shape, np.float32))
    axis = axis % len(shape)
    with tf.GradientTape(persistent=True) as tape:
        outputs = [
            tf.cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse),
            tf.math.cumprod(x, axis=axis, exclusive=exclusive, reverse=reverse),
            tf.reduce_prod(x, axis=axis),
            tf.reduce_prod(x),
        ]
    return outputs, [tape.gradient(y, x) for y in outputs]


# -- matrix products --------------------------------------------------------------------------


def _matmul_operands(batch):
    """(a, b) float64 arrays with a @ b defined: (..., n, k) @ (..., k, m), batch dims broadcasting."""
    dims = st.integers(1, 4)
    batches = (
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3).map(
            lambda s: s.input_shapes
        )
        if batch
        else st.just(((), ()))
    )

    def build(spec):
        (n, k, m), (batch_a, batch_b) = spec
        return st.tuples(
            hnp.arrays(np.float64, batch_a + (n, k), elements=_EIGHTHS),
            hnp.arrays(np.float64, batch_b + (k, m), elements=_EIGHTHS),
        )

    return st.tuples(st.tuples(dims, dims, dims), batches).flatmap(build)


def matmul_product(tf, dtype, ab, transpose_a, transpose_b, adjoint, up):
    """tf.matmul(a, b) with the operands stored transposed when transpose_* (or adjoint_*) is set."""
    a, b = ab
    a = np.swapaxes(a, -1, -2) if transpose_a else a
    b = np.swapaxes(b, -1, -2) if transpose_b else b
    a, b = tf.constant(a.astype(dtype)), tf.constant(b.astype(dtype))
    if adjoint:
        flags = {"adjoint_a": transpose_a, "adjoint_b": transpose_b}
    else:
        flags = {"transpose_a": transpose_a, "transpose_b": transpose_b}
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        z = tf.matmul(a, b, **flags)
    return z, tape.gradient(z, [a, b], output_gradients=upstream_like(tf, z, up))


for _name, _batch in (("matmul", False), ("matmul_batch", True)):
    cases.add(
        matmul_product,
        ["ops.matmul", "structures.output-gradients"] + (["tape.broadcasting"] if _batch else []),
        inputs={
            "dtype": st.sampled_from(FLOATS),
            "ab": _matmul_operands(_batch),
            "transpose_a": st.booleans(),
            "transpose_b": st.booleans(),
            "adjoint": st.booleans(),
            "up": upstreams(),
        },
        name=_name,
        module=__name__,
    )


@case(
    ["ops.matmul"],
    inputs={"dtype": st.sampled_from(["int32", "int64", "int8", "uint8"]), "ab": _matmul_operands(True)},
)
def int_matmul(tf, dtype, ab):
    """Integer products (int8 is not a MatMul type: TF's op-definition error)."""
    a, b = ab
    return tf.matmul(tf.constant((a * 8).astype(dtype)), tf.constant((b * 8).astype(dtype)))


@case(
    ["ops.matmul", "conversion.incompatible-shapes", "conversion.no-implicit-promotion"],
    inputs={
        "shapes": st.sampled_from(
            [
                ((2, 3), (4, 5)),
                ((2, 2, 3), (2, 4, 5)),
                ((2, 3, 4), (3, 4, 5)),
                ((3,), (3, 5)),
                ((3,), (2, 3, 5)),
                ((2, 3), (3,)),
            ]
        ),
        "dtypes": st.sampled_from([("float32", "float32"), ("float32", "float64")]),
    },
)
def matmul_errors(tf, shapes, dtypes):
    a = tf.ones(shapes[0], dtype=dtypes[0])
    b = tf.ones(shapes[1], dtype=dtypes[1])
    return tf.matmul(a, b)


@case(
    ["ops.operator.matmul", "structures.output-gradients"],
    inputs={"dtype": st.sampled_from(FLOATS), "ab": _matmul_operands(True), "up": upstreams()},
)
def operator_matmul(tf, dtype, ab, up):
    """`a @ b`, and a nested list on either side of a tensor."""
    a, b = tf.constant(ab[0].astype(dtype)), tf.constant(ab[1].astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        z = a @ b
    others = []
    if len(ab[0].shape) == 2 and len(ab[1].shape) == 2:
        others = [a @ ab[1].astype(dtype).tolist(), ab[0].astype(dtype).tolist() @ b]
    return z, tape.gradient(z, [a, b], output_gradients=upstream_like(tf, z, up)), others


# -- more reductions: logsumexp, variance, std, Euclidean norm, all, any -----------------------

_NON_FINITE_ROWS = np.array([[1.0, 2.0, np.inf], [-np.inf, -np.inf, -np.inf], [0.0, -1.0, 3.0]], np.float32)
_EQUAL_ROWS = np.array([[0.0, 0.0, 0.0], [1.5, 1.5, 1.5], [3.0, -4.0, 0.0]], np.float32)  # zero norm, zero variance

# op, elements, explicit examples' (x, axis)
_MORE_REDUCTIONS = [
    ("math.reduce_logsumexp", _FLOATS, [(_NON_FINITE_ROWS, 1), (_NON_FINITE_ROWS, None), (_EQUAL_ROWS, 0)]),
    ("math.reduce_variance", _FLOATS, [(_EQUAL_ROWS, 1)]),
    ("math.reduce_std", _FLOATS, [(_EQUAL_ROWS, 1), (_EQUAL_ROWS, None)]),
    ("math.reduce_euclidean_norm", _EIGHTHS, [(_EQUAL_ROWS, 1), (_EQUAL_ROWS, (0, 1))]),
]

for _name, _elements, _examples in _MORE_REDUCTIONS:
    cases.add(
        reduction,
        [f"ops.{_name}", "structures.output-gradients"],
        inputs={"x_axis": _with_axes(_arrays(_elements)), "keepdims": st.booleans(), "up": upstreams()},
        examples=[{"x_axis": example, "keepdims": False, "up": [1.0, -0.5, 2.0]} for example in _examples],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


@case(
    ["ops.reduce_logsumexp", "ops.math.reduce_logsumexp"],
    inputs={"x_axis": _with_axes(_arrays(_FLOATS, dtypes=("float32",))), "keepdims": st.booleans()},
)
def reduce_logsumexp_top_level(tf, x_axis, keepdims):
    x, axis = x_axis
    return tf.reduce_logsumexp(tf.constant(x), axis, keepdims)


@case(
    ["ops.math.reduce_euclidean_norm"],
    inputs={
        "x_axis": _with_axes(
            st.tuples(
                st.sampled_from(("int8", "int16", "int32", "int64", "uint8")), strategies.shapes(max_side=3)
            ).flatmap(lambda ds: hnp.arrays(np.int64, ds[1], elements=st.integers(0, 3)).map(lambda a: a.astype(ds[0])))
        ),
        "keepdims": st.booleans(),
    },
)
def int_euclidean_norm(tf, x_axis, keepdims):
    """Integer norms: the square root of the integer sum of squares, truncated."""
    x, axis = x_axis
    return tf.math.reduce_euclidean_norm(tf.constant(x), axis, keepdims)


@case(
    ["ops.math.reduce_variance", "ops.math.reduce_std", "ops.math.reduce_logsumexp", "ops.math.reduce_euclidean_norm"]
)
def more_reductions_errors(tf):
    """Integers in variance and std (TypeError) and logsumexp (IsFinite), bools, bad axes; empty inputs."""
    results = []
    for fn, x, axis in [
        (tf.math.reduce_variance, tf.constant([1, 2]), None),
        (tf.math.reduce_std, tf.constant([1, 2]), None),
        (tf.math.reduce_variance, tf.constant([True]), None),
        (tf.math.reduce_variance, tf.constant([[1.0]]), 3),
        (tf.math.reduce_logsumexp, tf.constant([1, 2]), None),
        (tf.math.reduce_logsumexp, tf.constant([[1.0]]), 2),
        (tf.math.reduce_logsumexp, tf.zeros([0, 2]), 0),
        (tf.math.reduce_euclidean_norm, tf.constant([True]), None),
        (tf.math.reduce_euclidean_norm, tf.zeros([0, 2]), 0),
        (tf.math.reduce_euclidean_norm, tf.constant([1.0]), [0, 0]),
    ]:
        try:
            results.append(fn(x, axis))
        except Exception as e:  # the message is compared as text
            results.append(f"{type(e).__name__}: {e}")
    return results


@case(
    ["ops.reduce_all", "ops.reduce_any"],
    inputs={"x_axis": _with_axes(hnp.arrays(np.bool_, strategies.shapes(max_dims=3))), "keepdims": st.booleans()},
)
def logical_reductions(tf, x_axis, keepdims):
    x, axis = x_axis
    x = tf.constant(x)
    return [tf.reduce_all(x, axis, keepdims), tf.math.reduce_any(x, axis, keepdims), tf.math.reduce_all(x, axis)]


@case(["ops.reduce_all", "ops.reduce_any"])
def logical_reductions_edges(tf):
    """Empty inputs give the identities (True, False); other dtypes and bad axes raise; lists convert."""
    results = [
        tf.reduce_all(tf.zeros([0], tf.bool)),
        tf.reduce_any(tf.zeros([0, 2], tf.bool), 0),
        tf.reduce_all([True, False]),
    ]
    for fn, x, axis in [
        (tf.reduce_all, tf.constant([1.0, 0.0]), None),
        (tf.reduce_any, tf.constant([1, 0]), None),
        (tf.reduce_all, tf.constant([True]), 1),
        (tf.reduce_any, tf.constant([[True]]), [1, -1]),
    ]:
        try:
            results.append(fn(x, axis))
        except Exception as e:  # the message is compared as text
            results.append(f"{type(e).__name__}: {e}")
    return results
