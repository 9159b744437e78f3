"""More elementwise math of tf.math: inverse and hyperbolic trigonometry, erf, erfc, expm1,
log_sigmoid, atan2, divide_no_nan, multiply_no_nan, xlogy, add_n and the clipping ops.

Forward values and gradients (with a drawn upstream gradient as output_gradients) are
compared with TensorFlow's over drawn shapes, dtypes and values in each op's domain;
explicit examples sit on the kinks and poles (the ends of acos's domain, zeros that the
no-nan ops guard), where TF's formulas decide the value. Bad dtypes and shapes raise
TF's exact errors.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import casekit, cases, strategies
from conformance.cases import case
from conformance.casekit import attempt, op_named, upstream_like


def test_ops_elementwise(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")


# -- unary ops ----------------------------------------------------------------------------


# name, domain (low, high), explicit examples' x (the ends of the domain: infinite gradients, nan outside)
_UNARY = [
    ("math.acos", -0.875, 0.875, [-1.0, 1.0, 0.0, 1.5]),
    ("math.asin", -0.875, 0.875, [-1.0, 1.0, 0.0, -1.5]),
    ("math.atan", -5.0, 5.0, [0.0, 100.0]),
    ("math.sinh", -5.0, 5.0, None),
    ("math.cosh", -5.0, 5.0, [0.0]),
    ("math.asinh", -5.0, 5.0, [0.0]),
    ("math.acosh", 1.0625, 8.0, [1.0, 0.5, 2.0]),
    ("math.atanh", -0.875, 0.875, [-1.0, 1.0, 0.0, 2.0]),
    ("math.erf", -2.5, 2.5, [0.0, 6.0]),  # past 2.5, float16 gradients turn subnormal
    ("math.erfc", -2.5, 2.5, [0.0, -6.0]),
    ("math.expm1", -5.0, 5.0, [0.0, 1e-4]),
    ("math.log_sigmoid", -8.0, 8.0, [0.0, -100.0, 100.0]),
]

for _name, _low, _high, _example in _UNARY:
    cases.add(
        casekit.unary,
        [f"ops.{_name}", "structures.output-gradients"],
        inputs={
            "x": strategies.arrays(strategies.float_dtypes(FLOATS), low=_low, high=_high),
            "up": strategies.upstreams(),
        },
        examples=[{"x": np.array(_example, np.float32), "up": [1.0, -0.5]}] if _example else [],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


@case(
    ["ops.math.acos", "ops.math.erf", "ops.math.expm1", "ops.math.log_sigmoid", "ops.math.sinh"],
    inputs={"op": st.sampled_from([name for name, *_ in _UNARY]), "dtype": st.sampled_from(["int32", "bool"])},
)
def unary_bad_dtype(tf, op, dtype):
    """Integers and bools are not in the ops' dtypes (log_sigmoid fails in Softplus, or in Neg for bools)."""
    return op_named(tf, op)(tf.constant([1, 0], dtype=dtype))


@case(["ops.aliases"], inputs={"x": strategies.arrays("float32", low=-0.875, high=0.875)})
def top_level_trig_aliases(tf, x):
    """tf.acos ... tf.sinh are tf.math's ops."""
    x = tf.constant(x)
    return [(name, getattr(tf, name)(x)) for name in ("acos", "asin", "atan", "sinh", "cosh", "asinh", "atanh")]


# -- binary ops -----------------------------------------------------------------------------


_ZERO_OR = st.sampled_from([0.0, 0.0, -1.5, 0.5, 2.0])  # zeros are common: the no-nan ops' guard
_NON_FINITE = np.array([0.0, 0.0, 0.0, 1.0, 2.0, np.nan, np.inf, 0.0])  # against the next line
_NON_FINITE_Y = np.array([0.0, np.nan, -1.0, 0.0, 3.0, 0.0, 0.0, np.inf])

# name, x's values, y's values, explicit examples (x, y)
_BINARY = [
    ("math.atan2", strategies.operands(), strategies.operands(min_abs=0.25), (_NON_FINITE, _NON_FINITE_Y)),
    (
        "math.divide_no_nan",
        strategies.operands(elements=_ZERO_OR),
        strategies.operands(elements=_ZERO_OR),
        (_NON_FINITE, _NON_FINITE_Y),
    ),
    (
        "math.multiply_no_nan",
        strategies.operands(elements=_ZERO_OR),
        strategies.operands(elements=_ZERO_OR),
        (_NON_FINITE, _NON_FINITE_Y),
    ),
    (
        "math.xlogy",
        strategies.operands(elements=_ZERO_OR),
        strategies.operands(0.125, 5.0),
        (_NON_FINITE, _NON_FINITE_Y),
    ),
]

for _name, _x, _y, _example in _BINARY:
    cases.add(
        casekit.binary,
        [f"ops.{_name}", "tape.broadcasting", "structures.output-gradients"],
        inputs={"dtype": st.sampled_from(FLOATS), "x": _x, "y": _y, "up": strategies.upstreams()},
        examples=[{"dtype": "float32", "x": _example[0], "y": _example[1], "up": [1.0, -1.5]}],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


@case(
    ["ops.math.divide_no_nan", "ops.math.multiply_no_nan", "ops.math.xlogy", "ops.math.atan2"],
    inputs={"op": st.sampled_from(["math.divide_no_nan", "math.multiply_no_nan", "math.xlogy", "math.atan2"])},
)
def binary_conversions_and_errors(tf, op):
    """Python numbers, lists, integer tensors (divide_no_nan computes in floats), mixed dtypes, bad shapes."""
    fn = op_named(tf, op)
    f32, f64 = tf.constant([1.0, 4.0]), tf.constant([2.0, 0.0], tf.float64)
    return [
        attempt(fn, 2, 3),
        attempt(fn, [1.0], [2]),
        attempt(fn, 1.0, f64),
        attempt(fn, f32, f64),
        attempt(fn, f32, 2),
        attempt(fn, tf.constant([3, 4]), tf.constant([2, 0])),
        attempt(fn, tf.constant([3, 4], tf.int8), tf.constant([2, 0], tf.int8)),
        attempt(fn, f32, tf.constant([1.0, 2.0, 3.0])),
        attempt(fn, tf.constant([True]), tf.constant([False])),
    ]


# -- add_n ----------------------------------------------------------------------------------


def _summands(dtypes):
    """1-4 arrays of one drawn dtype and shape (multiples of 1/8: sums are exact in any order)."""
    return st.tuples(st.sampled_from(dtypes), strategies.shapes(max_dims=3), st.integers(1, 4)).flatmap(
        lambda d: st.lists(
            hnp.arrays(np.float64, d[1], elements=st.integers(-24, 24).map(lambda n: n / 8)).map(
                lambda a: a.astype(d[0])
            ),
            min_size=d[2],
            max_size=d[2],
        )
    )


@case(
    ["ops.math.add_n", "structures.output-gradients"],
    inputs={"xs": _summands(FLOATS), "up": strategies.upstreams()},
    examples=[{"xs": [np.array([1.0, 2.0], np.float32)], "up": [0.5]}],
)
def add_n(tf, xs, up):
    """The sum and every summand's gradient (the upstream gradient itself); one summand comes back as it is."""
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        total = tf.math.add_n(xs)
    return total, tf.add_n(xs), tape.gradient(total, xs, output_gradients=upstream_like(tf, total, up))


@case(["ops.math.add_n"], inputs={"xs": _summands(("int32", "int64", "uint8", "int8"))})
def add_n_integers(tf, xs):
    return tf.math.add_n([(x * 8).astype(x.dtype) for x in xs])


@case(["ops.math.add_n"])
def add_n_errors(tf):
    """An empty list, a None, mixed dtypes and shapes (no broadcasting), bools, a tensor (its rows are summed)."""
    a = tf.constant([1.0, 2.0])
    return [
        attempt(tf.math.add_n, []),
        attempt(tf.math.add_n, [a, None]),
        attempt(tf.math.add_n, [a, tf.constant([1.0, 2.0], tf.float64)]),
        attempt(tf.math.add_n, [a, tf.constant([1.0, 2.0, 3.0])]),
        attempt(tf.math.add_n, [a, a, tf.constant(1.0)]),
        attempt(tf.math.add_n, [[1, 2], [1.0, 2.0]]),
        attempt(tf.math.add_n, [a, [3.0, 4.0]]),
        attempt(tf.math.add_n, [tf.constant([True]), tf.constant([False])]),
        attempt(tf.math.add_n, tf.constant([[1.0, 2.0], [3.0, 4.0]])),
        attempt(tf.math.add_n, (a, a)),
    ]


# -- clipping -------------------------------------------------------------------------------

_BOUNDED = st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])  # values at the bounds: ties are common


@case(
    ["ops.clip_by_value", "structures.output-gradients"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "x": strategies.operands(elements=_BOUNDED),
        "low": st.sampled_from([-1.0, -0.5, 0.0]),
        "high": st.sampled_from([0.5, 1.0]),
        "tensor_bounds": st.booleans(),
        "up": strategies.upstreams(),
    },
)
def clip_by_value(tf, dtype, x, low, high, tensor_bounds, up):
    """Gradients pass to x inside [low, high] (ties with a bound included), else to the bound taken."""
    x = tf.constant(x.astype(dtype))
    lo, hi = tf.constant(low, dtype), tf.constant(high, dtype)
    with tf.GradientTape() as tape:
        tape.watch([x, lo, hi])
        y = tf.clip_by_value(x, lo, hi) if tensor_bounds else tf.clip_by_value(x, low, high)
    return y, tape.gradient(y, [x, lo, hi], output_gradients=upstream_like(tf, y, up))


@case(["ops.clip_by_value"])
def clip_by_value_conversions_and_errors(tf):
    """Integer tensors with integer bounds; float bounds for them, bounds of another dtype, bounds that would
    broadcast x to a larger shape raise; low > high gives high; an IndexedSlices is clipped in its values."""
    x = tf.constant([-2.0, 0.0, 3.0])
    slices = tf.IndexedSlices(tf.constant([[-2.0, 5.0]]), tf.constant([1]), tf.constant([3, 2]))
    return [
        attempt(tf.clip_by_value, tf.constant([-2, 0, 3]), 0, 1),
        attempt(tf.clip_by_value, tf.constant([-2, 0, 3]), 0.0, 1.0),
        attempt(tf.clip_by_value, x, tf.constant(0.0, tf.float64), 1.0),
        attempt(tf.clip_by_value, x, tf.constant([[0.0, 0.0, 0.0]]), 1.0),
        attempt(tf.clip_by_value, x, [0.0, -1.0, 0.0], [1.0, 1.0, 2.0]),
        attempt(tf.clip_by_value, x, 2.0, 1.0),
        attempt(tf.clip_by_value, slices, 0.0, 1.0),
    ]


def _norm_operands():
    """(x, axes): x of rank 1-3 (a zero row now and then), axes None, one axis or a list."""
    elements = st.sampled_from([0.0, 0.0, 0.5, -1.0, 2.0, 3.0, -4.0])
    arrays = hnp.arrays(np.float64, strategies.shapes(min_dims=1, max_dims=3), elements=elements)

    def axes(x):
        return (
            st.none()
            | st.integers(-x.ndim, x.ndim - 1)
            | st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True)
        )

    return arrays.flatmap(lambda x: st.tuples(st.just(x), axes(x)))


@case(
    ["ops.clip_by_norm", "structures.output-gradients"],
    inputs={
        "dtype": st.sampled_from(("float32", "float64")),
        "x_axes": _norm_operands(),
        "clip_norm": st.sampled_from([1.0, 2.5, 100.0, 0.0, -1.0]),
        "tensor_norm": st.booleans(),
        "up": strategies.upstreams(),
    },
    examples=[
        {
            "dtype": "float32",
            "x_axes": (np.array([[3.0, 4.0], [0.0, 0.0]]), 1),
            "clip_norm": 1.0,
            "tensor_norm": True,
            "up": [1.0, -0.5],
        }
    ],
)
def clip_by_norm(tf, dtype, x_axes, clip_norm, tensor_norm, up):
    """Values and gradients (x and a tensor clip_norm); zero norms give zeros, not nan; negative clip_norm is 0."""
    x, axes = x_axes
    x = tf.constant(x.astype(dtype))
    c = tf.constant(clip_norm, dtype)
    with tf.GradientTape() as tape:
        tape.watch([x, c])
        y = tf.clip_by_norm(x, c if tensor_norm else clip_norm, axes=axes)
    return y, tape.gradient(y, [x, c], output_gradients=upstream_like(tf, y, up))


@case(["ops.clip_by_norm"])
def clip_by_norm_errors(tf):
    """Integer tensors fail in Sqrt; a clip_norm of another shape fails in Mul or in the shape check."""
    x = tf.constant([3.0, 4.0])
    return [
        attempt(tf.clip_by_norm, tf.constant([3, 4]), 1),
        attempt(tf.clip_by_norm, x, tf.constant([1.0, 2.0, 3.0])),
        attempt(tf.clip_by_norm, x, tf.constant([[1.0, 2.0]])),
        attempt(tf.clip_by_norm, x, tf.constant(2, tf.int32)),
        attempt(tf.clip_by_norm, tf.IndexedSlices(tf.constant([[3.0, 4.0]]), tf.constant([0])), 1.0),
    ]


def _tensor_lists():
    """1-3 arrays (some None) of float32 with small integer values."""
    array = hnp.arrays(np.float32, strategies.shapes(max_dims=2), elements=st.integers(-4, 4).map(float))
    return st.lists(st.none() | array, min_size=1, max_size=3).filter(lambda xs: any(x is not None for x in xs))


@case(
    ["ops.clip_by_global_norm", "structures.output-gradients"],
    inputs={"xs": _tensor_lists(), "clip_norm": st.sampled_from([1.0, 3.0, 100.0]), "tensor_norm": st.booleans()},
)
def clip_by_global_norm(tf, xs, clip_norm, tensor_norm):
    """(clipped list, global norm): values and gradients of both, wrt every tensor and a tensor clip_norm."""
    xs = [None if x is None else tf.constant(x) for x in xs]
    c = tf.constant(clip_norm)
    watched = [x for x in xs if x is not None] + [c]
    with tf.GradientTape() as tape:
        tape.watch(watched)
        clipped, norm = tf.clip_by_global_norm(xs, c if tensor_norm else clip_norm)
        total = norm + tf.add_n([tf.reduce_sum(t * t) for t in clipped if t is not None])
    return clipped, norm, tf.linalg.global_norm(xs), tape.gradient(total, watched)


@case(["ops.clip_by_global_norm"])
def clip_by_global_norm_edges(tf):
    """use_norm replaces the norm; an infinite norm makes every value nan; an empty list has norm 0;
    mixed dtypes fail in Pack; a dict is not a sequence; integers fail in L2Loss."""
    x = tf.constant([3.0, 4.0])
    return [
        attempt(tf.clip_by_global_norm, [x], 1.0, tf.constant(2.0)),
        attempt(tf.clip_by_global_norm, [tf.constant([np.inf, 4.0])], 1.0),
        attempt(tf.clip_by_global_norm, [], 1.0),
        attempt(tf.clip_by_global_norm, [x, tf.constant([12.0], tf.float64)], 1.0),
        attempt(tf.clip_by_global_norm, {"a": x}, 1.0),
        attempt(tf.clip_by_global_norm, [tf.constant([3, 4])], 1.0),
    ]


# -- classification ---------------------------------------------------------------------------


@case(
    ["ops.math.is_nan", "ops.math.is_inf", "ops.math.is_finite"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "x": strategies.operands(elements=st.sampled_from([0.0, -1.5, np.nan, np.inf, -np.inf])),
    },
)
def classification(tf, dtype, x):
    """Bool results; nothing to differentiate (None gradients); integers are not allowed."""
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        flags = [tf.math.is_nan(x), tf.math.is_inf(x), tf.math.is_finite(x)]
        y = tf.where(flags[2], x, tf.zeros_like(x))
    return flags, tape.gradient(y, x), [attempt(fn, tf.constant([1])) for fn in (tf.math.is_nan, tf.math.is_inf)]


# -- the existing elementwise ops at their kinks, poles and non-finite inputs -------------------------

_EDGES = np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1.0, 12.0, 20.0, 40.0, -20.0])  # large: sigmoid's cut-offs


@case(
    [f"ops.math.{name}" for name in ("sqrt", "rsqrt", "log", "log1p", "reciprocal", "abs", "sign", "exp", "tanh")]
    + ["ops.math.sigmoid", "ops.math.softplus", "ops.math.round", "ops.math.floor", "ops.math.ceil"],
    inputs={"dtype": st.sampled_from(FLOATS)},
)
def unary_edges(tf, dtype):
    """Values and gradients at 0, -0, -1, +-inf and nan: infinite gradients at poles, abs'(0) = 0, nan in, nan out."""
    x = tf.constant(_EDGES.astype(dtype))
    names = ["sqrt", "rsqrt", "log", "log1p", "reciprocal", "abs", "sign", "exp", "tanh", "sigmoid", "softplus"]
    names += ["round", "floor", "ceil", "square", "negative", "sin", "cos", "tan"]
    results = []
    for name in names:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = getattr(tf.math, name)(x)
        results.append((name, y, tape.gradient(y, x)))
    return results


@case(
    ["ops.math.maximum", "ops.math.minimum", "ops.math.pow", "ops.math.floordiv", "ops.math.floormod"]
    + ["ops.math.squared_difference", "ops.math.truediv"],
    inputs={"dtype": st.sampled_from(FLOATS)},
)
def binary_edges(tf, dtype):
    """Ties, zeros of both signs, division by zero and nan: values and both gradients (floormod keeps x's zero sign)."""
    x = tf.constant(np.array([0.0, 1.0, -1.0, 0.0, np.nan, -0.0, 2.0, -3.0]).astype(dtype))
    y = tf.constant(np.array([0.0, 1.0, 0.0, -1.0, 1.0, 2.0, -0.0, 3.0]).astype(dtype))
    results = []
    for name in ["maximum", "minimum", "pow", "floordiv", "floormod", "squared_difference", "truediv"]:
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = getattr(tf.math, name)(x, y)
        results.append((name, z, tape.gradient(z, [x, y])))
    return results
