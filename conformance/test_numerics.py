"""Numerics as TensorFlow's CPU kernels give them: NaN and infinities through values and
gradients (sqrt and log at 0, x/0, 0/0, pow at 0, reductions, softmax of infinities),
float16 overflow, integer overflow wrapping around, and integer division and remainders
with negative operands.

Inputs are drawn from each op's special points (0, -0, negative numbers, infinities, NaN,
the ends of integer ranges) mixed with ordinary numbers; values and gradients (for a drawn
upstream gradient) are compared with TensorFlow's, NaN equal to NaN, infinities by sign.

Sources: TF API docs of tf.math.sqrt, log, divide, floordiv, floormod, truncatediv, pow,
reduce_*, nn.softmax; tensorflow/core/kernels/cwise_ops.h (safe_div, google_floor_div,
google_floor_fmod: the integer kernels) and cwise_ops_gradients.h; math_grad.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import casekit, cases, strategies
from conformance.casekit import op_named, upstream_like


def test_numerics(case, check):
    check(case)


_SPECIAL = (0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 4.0, np.inf, -np.inf, np.nan)


def specials(dtype="float32", shape=None, extra=()):
    """Arrays whose elements are mostly special points (zeros of both signs, infinities, NaN)."""
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)
    shape_st = st.just(shape) if shape is not None else strategies.shapes(max_dims=2)
    elements = st.sampled_from(_SPECIAL + tuple(extra))
    return st.tuples(dtypes, shape_st).flatmap(lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=elements))


_FLOATS = st.sampled_from(["float16", "float32", "float64"])

# -- unary ops at their poles and outside their domains -----------------------------------

_UNARY = [
    "sqrt",
    "math.log",
    "math.rsqrt",
    "math.reciprocal",
    "math.log1p",
    "exp",
    "tanh",
    "sigmoid",
    "math.softplus",
    "abs",
    "math.sign",
    "square",
]

for _name in _UNARY:
    cases.add(
        casekit.unary,
        ["numerics.nan-inf-values", "numerics.nan-inf-gradients"],
        inputs={"x": specials(_FLOATS), "up": strategies.upstreams()},
        examples=[{"x": np.array([0.0, -0.0, -1.0, np.inf, np.nan], np.float32), "up": [1.0]}],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )

# -- binary ops: x/0, 0/0, pow at 0 --------------------------------------------------------

_BINARY = ["math.divide", "math.truediv", "pow", "math.floordiv", "math.floormod", "maximum", "minimum", "multiply"]
_BINARY += ["math.xlogy", "math.divide_no_nan", "math.squared_difference", "math.atan2"]

for _name in _BINARY:
    cases.add(
        casekit.binary,
        ["numerics.nan-inf-values", "numerics.nan-inf-gradients"],
        inputs={
            "dtype": _FLOATS,
            "x": specials("float64", shape=(2, 5)),
            "y": specials("float64", shape=(5,)),
            "up": strategies.upstreams(),
        },
        examples=[
            {
                "dtype": "float32",
                "x": np.array([[0.0, 1.0, -1.0, 0.0, np.inf], [np.nan, 2.0, 0.0, -0.0, 4.0]]),
                "y": np.array([0.0, 0.0, 0.0, -1.0, np.inf]),
                "up": [1.0],
            }
        ],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


# -- reductions and softmax with NaN and infinities ------------------------------------------


def reduction(tf, op, x, axis, up):
    """A reduction over `axis` of an array with NaN and infinities, and its gradient."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, axis=axis)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


for _name in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "math.reduce_logsumexp"):
    cases.add(
        reduction,
        ["numerics.nan-inf-reductions"],
        inputs={
            "x": specials(_FLOATS, shape=(2, 3)),
            "axis": st.sampled_from([None, 0, 1, -1]),
            "up": strategies.upstreams(),
        },
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )

for _name in ("nn.softmax", "nn.log_softmax"):
    cases.add(
        reduction,
        ["numerics.nan-inf-reductions"],
        inputs={
            "x": specials(_FLOATS, shape=(2, 3)),
            "axis": st.sampled_from([0, 1, -1]),
            "up": strategies.upstreams(),
        },
        examples=[{"x": np.array([[np.inf, 1.0, 0.0], [-np.inf, -np.inf, 0.0]], np.float32), "axis": -1, "up": [1.0]}],
        fixed={"op": _name},
        name=_name.replace("nn.", ""),
        module=__name__,
    )

# -- float16 overflow ---------------------------------------------------------------------

_BIG16 = st.sampled_from([60000.0, -60000.0, 40000.0, 65504.0, 300.0, -256.0, 1.5, 0.0])


@cases.case(
    ["numerics.float16-overflow"],
    inputs={
        "x": hnp.arrays(np.float16, (2, 3), elements=_BIG16),
        "y": hnp.arrays(np.float16, (3,), elements=_BIG16),
        "wide": hnp.arrays(np.float32, (3,), elements=st.sampled_from([1e5, -7e4, 65519.0, 65520.0, 3.0])),
    },
)
def float16_overflow(tf, x, y, wide):
    """Sums, products, squares, exp, reductions and casts past float16's largest (65504) give inf."""
    x, y = tf.constant(x), tf.constant(y)
    return [
        x + y,
        x * y,
        x - y,
        tf.square(x),
        tf.exp(x / 1000.0),
        tf.reduce_sum(x, axis=0),
        tf.reduce_mean(x, axis=1),
        tf.reduce_prod(x, axis=1),
        tf.cast(tf.constant(wide), tf.float16),
    ]


# -- integer overflow and division -------------------------------------------------------------


def _edge_ints(dtype):
    info = np.iinfo(dtype)
    edge = [info.min, info.max, info.min + 1, info.max - 1, 0, 1, -1, 2, -2, 7, -7, 3]
    return st.sampled_from([v for v in edge if info.min <= v <= info.max]) | st.integers(int(info.min), int(info.max))


_INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8")


def integers(tf, dtype, x, y):
    """Sums, differences, products, negation and abs wrap around in two's complement."""
    x, y = tf.constant(np.array(x, dtype)), tf.constant(np.array(y, dtype))
    out = [x + y, x - y, x * y, tf.add_n([x, y, y]), tf.reduce_sum(tf.stack([x, y]), axis=0), tf.square(x)]
    if not dtype.startswith("u"):
        out += [-x, tf.abs(x)]
    return out


for _dtype in _INT_DTYPES:
    cases.add(
        integers,
        ["numerics.integer-wrapping"],
        inputs={
            "x": st.lists(_edge_ints(_dtype), min_size=4, max_size=4),
            "y": st.lists(_edge_ints(_dtype), min_size=4, max_size=4),
        },
        fixed={"dtype": _dtype},
        name=f"wrapping_{_dtype}",
        module=__name__,
    )


def attempt(fn, *args):
    """fn(*args), or the exception's class and message as text (several errors in one case)."""
    try:
        return fn(*args)
    except Exception as e:  # the message is compared as text
        return f"{type(e).__name__}: {e}"


def integer_division(tf, dtype, x, y):
    """floordiv, floormod, //, % and / of integers with negative operands (floor rounds down,
    remainders take the divisor's sign); division by zero raises; / gives floats."""
    x, y = tf.constant(np.array(x, dtype)), tf.constant(np.array(y, dtype))
    ops = [tf.math.floordiv, tf.math.floormod, tf.math.divide]
    return [attempt(op, x, y) for op in ops] + [attempt(lambda a, b: a // b, x, y), attempt(lambda a, b: a % b, x, y)]


for _dtype in ("int8", "int32", "int64", "uint8"):
    cases.add(
        integer_division,
        ["numerics.integer-division"],
        inputs={
            "x": st.lists(_edge_ints(_dtype), min_size=4, max_size=4),
            "y": st.lists(_edge_ints(_dtype).filter(bool), min_size=4, max_size=4)
            | st.lists(_edge_ints(_dtype), min_size=4, max_size=4),
        },
        examples=[{"x": [7, -7, 7, -7], "y": [2, 2, -2, -2]}] if _dtype != "uint8" else [],
        fixed={"dtype": _dtype},
        name=f"division_{_dtype}",
        module=__name__,
    )


@cases.case(
    ["numerics.nan-inf-values"],
    inputs={
        "x": specials(st.sampled_from(["float32", "float64"]), extra=(1e10, -1e10, 3e38)),
        "dtype": st.sampled_from(["int32", "int64", "uint8"]),
    },
)
def cast_non_finite(tf, x, dtype):
    """Casting NaN, infinities and out-of-range floats to integers (what the CPU kernel gives)."""
    return tf.cast(tf.constant(x), dtype)
