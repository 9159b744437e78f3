"""Elementwise math: unary and binary ops of tf.math and tf.nn, and the Python operators.

Each op's forward value and its gradient (a vector-Jacobian product with a drawn
upstream gradient, passed as output_gradients) are compared with TensorFlow's, over
drawn shapes, dtypes and values in the op's domain. Ops share one case function per
arity (cases `<op>`); integer arithmetic compares values and dtypes (`int_<op>`).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import casekit, cases, strategies
from conformance.cases import case
from conformance.casekit import attempt, op_named, upstream_like


def test_ops_math(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


def _infix(symbol, a, b):
    """`a <symbol> b` with Python's operator."""
    if symbol == "+":
        return a + b
    if symbol == "-":
        return a - b
    if symbol == "*":
        return a * b
    if symbol == "/":
        return a / b
    if symbol == "//":
        return a // b
    if symbol == "%":
        return a % b
    if symbol == "**":
        return a**b
    if symbol == "@":
        return a @ b
    raise ValueError(symbol)


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")


_TIES = st.sampled_from([-1.0, 0.0, 0.5, 2.0])  # few values: ties are common


# -- unary ops ----------------------------------------------------------------------------


# name, domain (low, high: exact in float16), exclude 0 (a kink or pole), explicit examples' x
_UNARY = [
    ("math.sin", -5.0, 5.0, None, None),
    ("math.cos", -5.0, 5.0, None, None),
    ("math.tan", -1.375, 1.375, None, None),  # away from the poles at +-pi/2
    ("math.exp", -5.0, 5.0, None, None),
    ("math.log", 0.0625, 8.0, None, None),
    ("math.log1p", -0.875, 5.0, None, None),
    ("math.sqrt", 0.0625, 9.0, None, None),
    ("math.rsqrt", 0.0625, 9.0, None, None),
    ("math.square", -5.0, 5.0, None, None),
    ("math.tanh", -5.0, 5.0, None, None),
    ("math.sigmoid", -8.0, 8.0, None, None),
    ("math.softplus", -8.0, 8.0, None, None),
    ("math.abs", -5.0, 5.0, 0.0, [0.0, -0.0, -1.5, 2.0]),  # abs'(0) is sign(0) = 0
    ("math.sign", -5.0, 5.0, 0.0, [0.0, -2.5, 3.0]),
    ("math.negative", -5.0, 5.0, None, None),
    ("math.reciprocal", -5.0, 5.0, 0.0, None),
    ("math.floor", -5.0, 5.0, None, [-1.5, -0.5, 0.5, 2.0]),
    ("math.ceil", -5.0, 5.0, None, [-1.5, -0.5, 0.5, 2.0]),
    ("math.round", -5.0, 5.0, None, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]),  # half to even
    ("nn.relu", -5.0, 5.0, 0.0, [-1.0, 0.0, 2.0]),  # relu'(0) is 0
    ("nn.sigmoid", -8.0, 8.0, None, None),
    ("nn.tanh", -5.0, 5.0, None, None),
    ("nn.softplus", -8.0, 8.0, None, None),
]

for _name, _low, _high, _exclude, _example in _UNARY:
    cases.add(
        casekit.unary,
        [f"ops.{_name}", "structures.output-gradients"],
        inputs={
            "x": strategies.arrays(strategies.float_dtypes(FLOATS), low=_low, high=_high, exclude=_exclude),
            "up": strategies.upstreams(),
        },
        examples=[{"x": np.array(_example, np.float32), "up": [1.0, -0.5]}] if _example else [],
        fixed={"op": _name},
        name=_name.replace("math.", "").replace(".", "_"),
        module=__name__,
    )


@case(
    ["ops.math.abs", "ops.math.negative", "ops.math.sign", "ops.math.square"],
    inputs={"x": strategies.int_arrays(st.sampled_from(("int8", "int16", "int32", "int64")), low=-11, high=11)},
)
def int_unary(tf, x):
    x = tf.constant(x)
    return [tf.math.abs(x), tf.math.negative(x), tf.math.sign(x), tf.math.square(x), -x, abs(x)]


@case(
    ["ops.aliases"],
    inputs={"x": strategies.arrays("float32", low=0.125, high=3.0)},
)
def top_level_aliases(tf, x):
    """The top-level names are tf.math's ops."""
    names = ["abs", "cos", "exp", "floor", "negative", "round", "sigmoid", "sign", "sin", "sqrt", "square", "tan"]
    names.append("tanh")
    x = tf.constant(x)
    return [(name, getattr(tf, name)(x)) for name in names]


# -- binary ops -----------------------------------------------------------------------------


# name, x's values, y's values, explicit examples (x, y)
_BINARY = [
    ("add", strategies.operands(), strategies.operands(), None),
    ("subtract", strategies.operands(), strategies.operands(), None),
    ("multiply", strategies.operands(), strategies.operands(), None),
    ("divide", strategies.operands(), strategies.operands(min_abs=0.25), None),
    ("math.truediv", strategies.operands(), strategies.operands(min_abs=0.25), None),
    ("math.pow", strategies.operands(0.25, 3.0), strategies.operands(-2.0, 2.0), None),
    (
        "math.maximum",
        strategies.operands(elements=_TIES),
        strategies.operands(elements=_TIES),
        ([1.0, 2.0, -1.0], [1.0, 0.5, -1.0]),
    ),
    (
        "math.minimum",
        strategies.operands(elements=_TIES),
        strategies.operands(elements=_TIES),
        ([1.0, 2.0, -1.0], [1.0, 0.5, -1.0]),
    ),
    ("math.squared_difference", strategies.operands(), strategies.operands(), None),
    (
        "math.floordiv",
        strategies.operands(),
        strategies.operands(min_abs=0.25),
        ([1.0, -1.0, 7.0, -7.0], [0.1, 0.1, 2.0, 2.0]),
    ),
    (
        "math.floormod",
        strategies.operands(),
        strategies.operands(min_abs=0.25),
        ([1.0, -1.0, 7.0, -7.0], [0.1, 0.1, -2.0, 2.0]),
    ),
]

for _name, _x, _y, _example in _BINARY:
    cases.add(
        casekit.binary,
        [f"ops.{_name}", "tape.broadcasting", "structures.output-gradients"],
        inputs={"dtype": st.sampled_from(FLOATS), "x": _x, "y": _y, "up": strategies.upstreams()},
        examples=[{"dtype": "float32", "x": np.array(_example[0]), "y": np.array(_example[1]), "up": [1.0, -1.5]}]
        if _example
        else [],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


def comparison(tf, op, dtype, x, y):
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    return op_named(tf, op)(x, y)


for _name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"):
    cases.add(
        comparison,
        [f"ops.math.{_name}"],
        inputs={
            "dtype": st.sampled_from(FLOATS + ("int32", "int64")),
            "x": strategies.operands(elements=_TIES),
            "y": strategies.operands(elements=_TIES),
        },
        fixed={"op": f"math.{_name}"},
        name=_name,
        module=__name__,
    )


@case(
    ["ops.math.logical_and", "ops.math.logical_or", "ops.math.logical_xor", "ops.math.logical_not"],
    inputs={
        "x": hnp.arrays(np.bool_, strategies.compatible_shapes()),
        "y": hnp.arrays(np.bool_, strategies.compatible_shapes()),
    },
)
def logical(tf, x, y):
    x, y = tf.constant(x), tf.constant(y)
    return [
        tf.math.logical_and(x, y),
        tf.math.logical_or(x, y),
        tf.math.logical_xor(x, y),
        tf.math.logical_not(x),
        x & y,
        x | y,
        x ^ y,
        ~x,
    ]


@case(
    ["ops.bitwise"],
    inputs={
        "dtype": st.sampled_from(["int8", "uint8", "int16", "int32", "int64", "uint32"]),
        "x": strategies.int_arrays("int64", strategies.compatible_shapes(), low=-130, high=300),
        "y": strategies.int_arrays("int64", strategies.compatible_shapes(), low=-3, high=70),
    },
)
def bitwise(tf, dtype, x, y):
    """tf.bitwise on integers (shifts past the width are clamped), `&`, `|`, `^`, `~` on integer
    tensors, and no gradient through any of them."""
    x, y = tf.cast(tf.constant(x), dtype), tf.cast(tf.constant(y), dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        results = [
            tf.bitwise.bitwise_and(x, y),
            tf.bitwise.bitwise_or(x, y),
            tf.bitwise.bitwise_xor(x, y),
            tf.bitwise.invert(x),
            tf.bitwise.left_shift(x, y),
            tf.bitwise.right_shift(x, y),
            x & y,
            x | y,
            x ^ y,
            ~x,
            3 & x,
        ]
    return results, tape.gradient(results[0], x), attempt(tf.bitwise.bitwise_and, tf.cast(x, "float32"), 1.0)


@case(
    ["ops.where"],
    inputs={
        "condition": hnp.arrays(np.bool_, strategies.compatible_shapes()),
        "dtype": st.sampled_from(FLOATS),
        "x": strategies.operands(),
        "y": strategies.operands(),
        "up": strategies.upstreams(),
    },
)
def where_select(tf, condition, dtype, x, y, up):
    condition = tf.constant(condition)
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.where(condition, x, y)
    return z, tape.gradient(z, [x, y], output_gradients=upstream_like(tf, z, up)), tf.where(condition)


@case(
    ["ops.where"],
    inputs={
        "condition": hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
        "x": hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
        "y": hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
        "as_lists": st.booleans(),
        "name": st.sampled_from([None, "pick"]),
    },
)
def where_shapes(tf, condition, x, y, as_lists, name):
    """The three shapes broadcast, or TF's kernel error names them (with or without ' name: ')."""
    values = [np.ones(condition, bool), np.ones(x, np.float32), np.zeros(y, np.float32)]
    if as_lists:
        values = [v.tolist() for v in values]
    else:
        values = [tf.constant(v) for v in values]
    return attempt(tf.where, *values, name)


# -- Python operators ---------------------------------------------------------------------


def operator(tf, symbol, dtype, x, y, s, up):
    """`x <symbol> y` for two tensors, then `x <symbol> s` and `s <symbol> x` with a Python float
    (the reflected operator): forward values and gradients."""
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = _infix(symbol, x, y)
        right = _infix(symbol, x, s)
        left = _infix(symbol, s, x)
    return (
        z,
        tape.gradient(z, [x, y], output_gradients=upstream_like(tf, z, up)),
        right,
        left,
        tape.gradient(right, x, output_gradients=upstream_like(tf, right, up)),
        tape.gradient(left, x, output_gradients=upstream_like(tf, left, up)),
    )


def _python_floats(low, high, min_abs=0.0):
    return strategies.python_floats(low, high).filter(lambda v: abs(v) >= min_abs)


# symbol, catalogue name, x's values, the other operand's values (both nonzero when dividing)
_OPERATORS = [
    ("+", "add", (-5.0, 5.0, 0.0), (-5.0, 5.0, 0.0)),
    ("-", "sub", (-5.0, 5.0, 0.0), (-5.0, 5.0, 0.0)),
    ("*", "mul", (-5.0, 5.0, 0.0), (-5.0, 5.0, 0.0)),
    ("/", "truediv", (-5.0, 5.0, 0.25), (-5.0, 5.0, 0.25)),
    ("//", "floordiv", (-5.0, 5.0, 0.25), (-5.0, 5.0, 0.25)),
    ("%", "mod", (-5.0, 5.0, 0.25), (-5.0, 5.0, 0.25)),
    ("**", "pow", (0.25, 3.0, 0.0), (0.25, 2.5, 0.0)),
]

for _symbol, _name, _xs, _ys in _OPERATORS:
    cases.add(
        operator,
        [f"ops.operator.{_name}", "tape.broadcasting", "conversion.python-scalar-adopts-dtype"],
        inputs={
            "dtype": st.sampled_from(FLOATS),
            "x": strategies.operands(*_xs),
            "y": strategies.operands(*_ys),
            "s": _python_floats(*_ys),
            "up": strategies.upstreams(),
        },
        fixed={"symbol": _symbol},
        name=f"operator_{_name}",
        module=__name__,
    )


@case(
    ["ops.operator.neg", "ops.operator.abs"],
    inputs={"x": strategies.arrays(strategies.float_dtypes(FLOATS), exclude=0.0), "up": strategies.upstreams()},
)
def operator_unary(tf, x, up):
    x = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        negated = -x
        absolute = abs(x)
    return (
        negated,
        absolute,
        tape.gradient(negated, x, output_gradients=upstream_like(tf, negated, up)),
        tape.gradient(absolute, x, output_gradients=upstream_like(tf, absolute, up)),
    )


@case(
    ["ops.operator.comparisons"],
    inputs={
        "dtype": st.sampled_from(FLOATS + ("int32",)),
        "x": strategies.operands(elements=_TIES),
        "y": strategies.operands(elements=_TIES),
        "s": st.sampled_from([-1, 0, 2]),
    },
)
def operator_comparisons(tf, dtype, x, y, s):
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    return [x < y, x <= y, x > y, x >= y, x == y, x != y, x < s, x >= s, x == s, s != x, s < x]


@case(
    ["ops.operator.comparisons"],
    inputs={
        "x": st.lists(st.integers(0, 3), min_size=2, max_size=3),
        "y": st.lists(st.integers(0, 3), min_size=4, max_size=5),
    },
)
def operator_equality_incompatible_shapes(tf, x, y):
    """== and != on shapes that do not broadcast give a scalar answer instead of raising."""
    x, y = tf.constant(x), tf.constant(y)
    return x == y, x != y, x == None, x != None  # noqa: E711


@case(
    [
        "ops.operator.add",
        "ops.operator.sub",
        "ops.operator.mul",
        "ops.operator.truediv",
        "ops.operator.pow",
        "ops.operator.matmul",
        "watch.trainable-variables",
    ],
    inputs={"x": strategies.arrays("float32", (2, 2), low=0.25, high=3.0), "s": _python_floats(0.25, 2.0)},
)
def operator_on_variable(tf, x, s):
    """The operators on a variable read it: the tape watches the variable."""
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        results = [v + s, s + v, v - s, s - v, v * s, s * v, v / s, s / v, v**s, s**v, v @ v, -v, abs(v)]
        total = tf.reduce_sum(results[0])
        for r in results[1:]:
            total = total + tf.reduce_sum(r)
    return results, tape.gradient(total, v)


# -- integer arithmetic ------------------------------------------------------------------------

INTS = ("int8", "int16", "int32", "int64", "uint8")


def int_operator(tf, symbol, dtype, x, y):
    """Integer `x <symbol> y`: values and dtype (true division gives floats)."""
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    return _infix(symbol, x, y)


def _int_operands(low, high, nonzero=False):
    elements = st.integers(low, high).filter(lambda v: v != 0 or not nonzero)
    return hnp.arrays(np.int64, strategies.compatible_shapes(), elements=elements)


# symbol, catalogue name, x's range, y's range, y nonzero, explicit example (dtype, x, y).
# Negative values become large ones in uint8 (numpy's cast, the same input for both sides).
_INT_OPERATORS = [
    ("+", "add", 11, (-11, 11), False, ("int8", [100, 27], [100, 101])),  # int8 wraps around
    ("-", "sub", 11, (-11, 11), False, None),
    ("*", "mul", 11, (-11, 11), False, None),
    ("/", "truediv", 11, (-11, 11), True, None),
    ("//", "floordiv", 11, (-11, 11), True, ("int32", [7, -7, 7, -7, 0], [2, 2, -2, -2, 3])),
    ("%", "mod", 11, (-11, 11), True, ("int32", [7, -7, 7, -7, 0], [2, 2, -2, -2, 3])),
    ("**", "pow", 5, (0, 3), False, ("int32", [2, -3, 0, 5], [3, 3, 0, 1])),
]

for _symbol, _name, _x, _y, _nonzero, _example in _INT_OPERATORS:
    cases.add(
        int_operator,
        [f"ops.operator.{_name}", "ops.integer-arithmetic"],
        inputs={
            "dtype": st.sampled_from(INTS),
            "x": _int_operands(-_x, _x),
            "y": _int_operands(*_y, nonzero=_nonzero),
        },
        examples=[{"dtype": _example[0], "x": np.array(_example[1]), "y": np.array(_example[2])}] if _example else [],
        fixed={"symbol": _symbol},
        name=f"int_{_name}",
        module=__name__,
    )


@case(
    ["ops.integer-arithmetic", "ops.operator.floordiv", "ops.operator.mod", "ops.operator.pow"],
    inputs={"dtype": st.sampled_from(("int32", "int64")), "symbol": st.sampled_from(["//", "%", "**"])},
)
def int_errors(tf, dtype, symbol):
    """Integer division by zero and negative integer powers raise."""
    x = tf.constant([3, 4], dtype=dtype)
    y = tf.constant([1, -1 if symbol == "**" else 0], dtype=dtype)
    return _infix(symbol, x, y)


@case(
    ["ops.integer-arithmetic", "dtypes.integer-gradient-none"],
    inputs={"x": strategies.int_arrays("int32", low=-9, high=9), "y": strategies.int_arrays("int32", low=1, high=9)},
)
def int_gradients_none(tf, x, y):
    """Integer tensors are not recorded: every gradient is None."""
    x, y = tf.constant(x), tf.constant(y)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.reduce_sum(x * y + x // y)
    return z, tape.gradient(z, [x, y])


@case(
    ["ops.integer-arithmetic", "conversion.python-scalar-adopts-dtype", "conversion.no-implicit-promotion"],
    inputs={"dtype": st.sampled_from(INTS), "s": st.sampled_from([2, -3, 2.5, 300])},
)
def int_with_python_scalars(tf, dtype, s):
    """A Python number meets an integer tensor: it takes the tensor's dtype, or raises if it cannot."""
    x = tf.constant([1, 5, 9], dtype=dtype)
    results = []
    for symbol in ("+", "-", "*", "/", "//", "%"):
        for left, right in ((x, s), (s, x)):
            try:
                results.append(_infix(symbol, left, right))
            except Exception as e:  # the message is stable: compared as text
                results.append(f"{type(e).__name__}: {e}")
    return results
