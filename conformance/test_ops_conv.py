"""tf.nn.conv2d and 2-D pooling (NHWC): values, gradients wrt input and filter, padding rules, errors.

Inputs and filters are multiples of 1/8, so every sum of products is
exact in float32 and float64 and the order of accumulation cannot show. Shapes, strides,
paddings (SAME, VALID, explicit) and dilations are drawn; the gradient is taken with a
drawn upstream gradient.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import upstream_like


def test_ops_conv(case, check):
    check(case)


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float32", "float64")


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _eighths(dtype, shape, bound=2.0):
    return hnp.arrays(
        np.dtype(dtype), shape, elements=st.integers(int(-bound * 8), int(bound * 8)).map(lambda n: n / 8)
    )


def _strides():
    spatial = st.integers(1, 3)
    return spatial | st.tuples(spatial, spatial).map(list) | st.tuples(spatial, spatial).map(lambda s: [1, *s, 1])


def _paddings():
    pair = st.tuples(st.integers(0, 2), st.integers(0, 2)).map(list)
    explicit = st.tuples(pair, pair).map(lambda hw: [[0, 0], hw[0], hw[1], [0, 0]])
    return st.sampled_from(["SAME", "VALID"]) | explicit


@st.composite
def conv_inputs(draw, dilated=False, dtypes=FLOATS):
    """(x, filters, strides, padding, dilations) whose VALID output is not negative."""
    dtype = draw(st.sampled_from(dtypes))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dilations = draw(st.sampled_from([1, 2, [1, 2], [2, 1]])) if dilated else 1
    dh, dw = (dilations, dilations) if isinstance(dilations, int) else dilations
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h = draw(st.integers((kh - 1) * dh + 1, 6))
    w = draw(st.integers((kw - 1) * dw + 1, 6))
    x = draw(_eighths(dtype, (n, h, w, c)))
    filters = draw(_eighths(dtype, (kh, kw, c, o)))
    return x, filters, draw(_strides()), draw(_paddings()), dilations


# -- conv2d ----------------------------------------------------------------------------------


@case(
    ["ops.nn.conv2d", "ops.nn.conv2d-padding", "structures.output-gradients"],
    inputs={"drawn": conv_inputs(), "up": upstreams()},
    examples=[
        {
            "drawn": (
                np.arange(50, dtype=np.float32).reshape(2, 5, 5, 1) / 8,
                np.arange(6, dtype=np.float32).reshape(3, 2, 1, 1) / 8,
                2,
                "SAME",
                1,
            ),
            "up": [1.0, -0.5],
        }
    ],
)
def conv2d(tf, drawn, up):
    """Output and gradients for input and filters."""
    x, filters, strides, padding, dilations = drawn
    x, filters = tf.constant(x), tf.constant(filters)
    with tf.GradientTape() as tape:
        tape.watch([x, filters])
        y = tf.nn.conv2d(x, filters, strides, padding, dilations=dilations)
    return y, tape.gradient(y, [x, filters], output_gradients=upstream_like(tf, y, up))


@case(["ops.nn.conv2d", "ops.nn.conv2d-padding"], inputs={"drawn": conv_inputs(dilated=True)})
def conv2d_dilated(tf, drawn):
    """Dilated filters; TF's CPU backprop kernels refuse dilations > 1, so the gradient raises."""
    x, filters, strides, padding, dilations = drawn
    x, filters = tf.constant(x), tf.constant(filters)
    y = tf.nn.conv2d(x, filters, strides, padding, dilations=dilations)
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.nn.conv2d(x, filters, strides, padding, dilations=dilations)
    try:
        grad = tape.gradient(z, x)
    except Exception as e:  # noqa: BLE001 (the error is the observation)
        grad = f"{type(e).__name__}: {e}"
    return y, grad


@case(["ops.nn.conv2d"], inputs={"drawn": conv_inputs(dtypes=("float64",))})
def conv2d_second_order(tf, drawn):
    """The backprop ops are differentiable in turn: gradients of a gradient-norm (float64: these
    sums of products of products are not exact in float32, where the order of additions shows)."""
    x, filters, strides, padding, _ = drawn
    x, filters = tf.constant(x), tf.constant(filters)
    with tf.GradientTape() as outer:
        outer.watch([x, filters])
        with tf.GradientTape() as inner:
            inner.watch([x, filters])
            y = tf.nn.conv2d(x, filters, strides, padding)
            loss = tf.reduce_sum(y * y)
        gx, gw = inner.gradient(loss, [x, filters])
        penalty = tf.reduce_sum(gx * gx) + tf.reduce_sum(gw)
    return gx, gw, outer.gradient(penalty, [x, filters])


_CONV_ERRORS = {
    "lowercase padding": {"padding": "same"},
    "unknown padding": {"padding": "FULL"},
    "EXPLICIT string": {"padding": "EXPLICIT"},
    "explicit batch padding": {"padding": [[1, 1], [1, 2], [0, 1], [0, 0]]},
    "explicit of size 3": {"padding": [[0, 0], [1, 2], [0, 1]]},
    "explicit not pairs": {"padding": [[0, 0], 1, [0, 1], [0, 0]]},
    "explicit triple": {"padding": [[0, 0], [1, 2, 3], [0, 1], [0, 0]]},
    "negative explicit": {"padding": [[0, 0], [-1, 2], [0, 1], [0, 0]]},
    "batch stride": {"strides": [2, 1, 1, 1]},
    "3 strides": {"strides": [2, 2, 2]},
    "depth dilation": {"dilations": [1, 1, 1, 2]},
    "depth mismatch": {"filters": [3, 3, 2, 2]},
    "filter rank 3": {"filters": [3, 3, 3]},
    "input rank 3": {"x": [5, 5, 3]},
    "filter too large": {"filters": [7, 7, 3, 2], "padding": "VALID"},
    "empty output": {"filters": [7, 7, 3, 2], "padding": "VALID", "strides": 2},
    "integers": {"dtype": "int32"},
    "float64 filter": {"filter_dtype": "float64"},
}


@case(["ops.nn.conv2d-errors"], inputs={"which": st.sampled_from(sorted(_CONV_ERRORS))})
def conv2d_errors(tf, which):
    """TF's errors for bad paddings, strides, dilations, shapes and dtypes (and what is accepted)."""
    spec = {"x": [1, 5, 5, 3], "filters": [3, 3, 3, 2], "strides": 1, "padding": "SAME", "dilations": None}
    spec.update(_CONV_ERRORS[which])
    dtype = spec.get("dtype", "float32")
    x = tf.ones(spec["x"], dtype=dtype)
    filters = tf.ones(spec["filters"], dtype=spec.get("filter_dtype", dtype))
    return tf.nn.conv2d(x, filters, spec["strides"], spec["padding"], dilations=spec["dilations"])


# -- pooling ---------------------------------------------------------------------------------


def _windows():
    spatial = st.integers(1, 3)
    return spatial | st.tuples(spatial, spatial).map(list) | st.tuples(spatial, spatial).map(lambda s: [1, *s, 1])


@st.composite
def pool_inputs(draw, dtypes=FLOATS, ties=False, explicit=False):
    """(x, ksize, strides, padding) with windows that fit a VALID input; few distinct values when `ties`."""
    dtype = draw(st.sampled_from(dtypes))
    ksize = draw(_windows())
    kh, kw = (ksize, ksize) if isinstance(ksize, int) else ksize[-3:-1] if len(ksize) == 4 else ksize
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    shape = (n, draw(st.integers(kh, 6)), draw(st.integers(kw, 6)), c)
    if ties:
        x = draw(hnp.arrays(np.dtype(dtype), shape, elements=st.sampled_from([-1.0, 0.0, 2.0, 3.0])))
    else:
        x = draw(_eighths(dtype, shape))
    paddings = st.sampled_from(["SAME", "VALID"])
    if explicit:
        pair = st.tuples(st.integers(0, kh - 1), st.integers(0, kh - 1)).map(list)
        pair_w = st.tuples(st.integers(0, kw - 1), st.integers(0, kw - 1)).map(list)
        paddings = paddings | st.tuples(pair, pair_w).map(lambda hw: [[0, 0], hw[0], hw[1], [0, 0]])
    return x, ksize, draw(_windows()), draw(paddings)


def pooled(tf, op, drawn, up):
    x, ksize, strides, padding = drawn
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = getattr(tf.nn, op)(x, ksize, strides, padding)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


for _op, _ties, _explicit in (
    ("max_pool2d", True, True),
    ("max_pool", True, True),
    ("avg_pool2d", False, False),
    ("avg_pool", False, False),
):
    cases.add(
        pooled,
        [f"ops.nn.{_op}", "ops.nn.pool-padding", "structures.output-gradients"],
        inputs={"drawn": pool_inputs(ties=_ties, explicit=_explicit), "up": upstreams()},
        examples=[
            {
                "drawn": (
                    np.array([1.0, 3.0, 3.0, 2.0, 3.0, 1.0, 0.0, 3.0, 2.0, 2.0, 1.0, 1.0]).reshape(1, 3, 4, 1),
                    3,
                    1,
                    "SAME",
                ),
                "up": [1.0, -0.5, 2.0],
            }
        ],
        fixed={"op": _op},
        name=_op,
        module=__name__,
    )


@case(
    ["ops.nn.max_pool2d", "ops.nn.avg_pool2d"],
    inputs={"drawn": pool_inputs(ties=True), "op": st.sampled_from(["max_pool2d", "avg_pool2d"])},
)
def pool_second_order(tf, drawn, op):
    """MaxPoolGrad and AvgPoolGrad are differentiable in turn (MaxPoolGradGrad, AvgPool)."""
    x, ksize, strides, padding = drawn
    x = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = getattr(tf.nn, op)(x, ksize, strides, padding)
            loss = tf.reduce_sum(y * y)
        g = inner.gradient(loss, x)
        penalty = tf.reduce_sum(g * g)
    return g, outer.gradient(penalty, x)


@case(
    ["ops.nn.max_pool2d"],
    inputs={"x": strategies.int_arrays(st.sampled_from(["int32", "int64"]), (1, 4, 4, 2), low=-5, high=5)},
)
def max_pool_integers(tf, x):
    """MaxPool takes integers (AvgPool does not)."""
    return tf.nn.max_pool2d(tf.constant(x), 2, 2, "VALID"), tf.nn.avg_pool2d(tf.constant(x), 2, 2, "VALID")


@case(
    ["ops.nn.max_pool", "ops.nn.avg_pool"],
    inputs={
        "x": strategies.grid("float32", (2, 5, 2)),
        "op": st.sampled_from(["max_pool", "avg_pool"]),
        "ksize": st.integers(1, 3),
        "strides": st.sampled_from([1, 2, [2], [1, 2, 1]]),
    },
)
def pool_rank_3(tf, x, op, ksize, strides):
    """tf.nn.max_pool/avg_pool pool rank-3 inputs in 1-D."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = getattr(tf.nn, op)(x, ksize, strides, "SAME")
    return y, tape.gradient(y, x)


_POOL_ERRORS = {
    "lowercase padding": {"padding": "same"},
    "explicit padding": {"padding": [[0, 0], [1, 1], [0, 0], [0, 0]]},
    "batch window": {"ksize": [2, 2, 2, 1]},
    "batch stride": {"strides": [2, 1, 1, 1]},
    "window too large": {"ksize": 5},
    "3 ksize": {"ksize": [2, 2, 2]},
    "zero ksize": {"ksize": 0},
    "zero stride": {"strides": 0},
    "rank 3": {"x": [3, 4, 1]},
    "integers": {"dtype": "int32"},
    "float16": {"dtype": "float16"},
}


@case(
    ["ops.nn.pool-errors"],
    inputs={"which": st.sampled_from(sorted(_POOL_ERRORS)), "op": st.sampled_from(["max_pool2d", "avg_pool2d"])},
)
def pool_errors(tf, which, op):
    spec = {"x": [1, 3, 4, 1], "ksize": 2, "strides": 1, "padding": "VALID", "dtype": "float32"}
    spec.update(_POOL_ERRORS[which])
    return getattr(tf.nn, op)(tf.zeros(spec["x"], spec["dtype"]), spec["ksize"], spec["strides"], spec["padding"])


@case(["ops.nn.pool-errors"], inputs={"rank": st.sampled_from([2, 6]), "op": st.sampled_from(["max_pool", "avg_pool"])})
def pool_any_rank_errors(tf, rank, op):
    return getattr(tf.nn, op)(tf.zeros([2] * rank), 1, 1, "VALID")
