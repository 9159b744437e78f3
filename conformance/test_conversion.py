"""Turning Python and numpy values into tensors, and what ops do with dtypes and shapes.

Python values follow TF's sequence converter (the first element decides, ints give way to
floats, everything else must match); numpy values keep their dtype; `dtype=` converts what
TF allows and refuses the rest; ops never promote; casts, dtype objects, TensorShape,
Python protocols on tensors, and variables' dtypes, names and assignments.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case


def test_conversion(case, check):
    check(case)


# -- strategies of this family ---------------------------------------------------------------

ALL_DTYPES = (
    "float16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
)  # fmt: skip
TF_ONLY_DTYPES = ("bfloat16", "string")
OP_DTYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "complex64", "complex128")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
OPERATORS = ("+", "-", "*", "/", "//", "%", "**")
_WIDTH = {"float16": 16, "float32": 32, "float64": 64, "complex64": 32, "complex128": 64}


def values_of(dtype: str, small: bool = False):
    """Elements of a numpy dtype: every value of ints (or -20..20), finite normal floats."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        info = np.iinfo(dtype)
        return st.integers(max(info.min, -20), min(info.max, 20)) if small else st.integers(info.min, info.max)
    bound = 8.0 if small else 1e4
    floats = st.floats(-bound, bound, width=_WIDTH[dtype], allow_nan=False, allow_infinity=False, allow_subnormal=False)
    # complex values are never 0: TF's complex x / 0 depends on the CPU's vector width (nan or inf)
    return st.builds(complex, floats.filter(lambda v: v != 0), floats) if kind == "c" else floats


def arrays_of(dtypes=ALL_DTYPES, shape=None, small: bool = False):
    """numpy arrays of any of `dtypes` (names), of `shape` (default: rank 0 to 3, sides <= 4)."""
    dtype_st = st.sampled_from(dtypes) if isinstance(dtypes, tuple) else st.just(dtypes)
    shape_st = (
        shape
        if isinstance(shape, st.SearchStrategy)
        else (st.just(shape) if shape is not None else strategies.shapes())
    )
    return st.tuples(dtype_st, shape_st).flatmap(
        lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=values_of(ds[0], small))
    )


py_ints = st.integers(-50, 50)
py_floats = strategies.python_floats(-8.0, 8.0)
py_strings = st.sampled_from(["a", "bc", "", "tf"])
py_leaves = st.one_of(py_ints, py_floats, st.booleans(), py_strings, st.none())
# Python lists of one kind, any rank: built from numpy arrays, so they are rectangular.
py_lists = arrays_of(("int64", "float64", "bool"), strategies.shapes(1, 3), small=True).map(lambda a: a.tolist())
wide_ints = st.one_of(
    st.sampled_from(
        [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 300, -1]
    ),
    st.integers(-(2**40), 2**40),
    st.integers(-(2**70), 2**70),
)
ragged_lists = st.lists(st.lists(py_ints, max_size=3), min_size=2, max_size=3).filter(
    lambda rows: len({len(r) for r in rows}) > 1
)


def non_broadcastable_shapes():
    """Two shapes whose last dimensions differ and are both > 1: they never broadcast."""
    return (
        st.tuples(st.integers(2, 4), st.integers(2, 4), strategies.shapes(0, 2, max_side=3), st.booleans())
        .filter(lambda t: t[0] != t[1])
        .map(lambda t: (t[2] + (t[0],), (t[1],) if t[3] else t[2] + (t[1],)))
    )


def binary(op, a, b):
    """`a op b` for an operator written as text."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "//":
        return a // b
    if op == "%":
        return a % b
    if op == "**":
        return a**b
    return a @ b


def python_type(name):
    """A Python or numpy type named by text (inputs are data, types are not)."""
    builtin = {
        "float": float,
        "int": int,
        "bool": bool,
        "str": str,
        "bytes": bytes,
        "object": object,
        "complex": complex,
    }
    return builtin[name] if name in builtin else getattr(np, name)


# -- Python values ------------------------------------------------------------------------------


@case(
    ["conversion.python-values"],
    inputs={"value": st.one_of(py_ints, py_floats, st.booleans(), py_strings, st.integers(-(2**31), 2**31 - 1))},
    examples=[{"value": 1.5}, {"value": 3}, {"value": True}, {"value": "hello"}],
)
def python_scalars(tf, value):
    return tf.constant(value), tf.convert_to_tensor(value), tf.Variable(value).dtype


@case(
    ["conversion.python-values", "conversion.sequence-inference", "conversion.dtype-argument"],
    inputs={
        "real": py_floats,
        "imag": py_floats,
        "complex_first": st.booleans(),
        "dtype": st.sampled_from((None, "float32", "float64", "int32", "complex64", "complex128")),
    },
    examples=[
        {"real": 1.0, "imag": 2.0, "complex_first": True, "dtype": None},
        {"real": 1.0, "imag": 2.0, "complex_first": False, "dtype": None},
        {"real": 1.0, "imag": 2.0, "complex_first": True, "dtype": "float32"},
        {"real": 1.0, "imag": 2.0, "complex_first": True, "dtype": "complex64"},
    ],
)
def python_complex(tf, real, imag, complex_first, dtype):
    """Python complex numbers are complex128 (after a float first, they do not mix); dtype= takes complex only."""
    value = complex(real, imag)
    if dtype is not None:
        return tf.constant(value, dtype=dtype)
    return tf.constant(value), tf.constant([value, real] if complex_first else [real, value])


@case(
    ["conversion.python-int-range"],
    inputs={"value": wide_ints, "in_list": st.booleans()},
    examples=[
        {"value": 2**31, "in_list": False},
        {"value": -(2**31) - 1, "in_list": True},
        {"value": 2**63, "in_list": False},
        {"value": 2**40, "in_list": True},
    ],
)
def python_int_range(tf, value, in_list):
    return tf.constant([1, value] if in_list else value)


@case(
    ["conversion.python-values"],
    inputs={"value": py_lists, "as_tuple": st.booleans()},
    examples=[{"value": [[1.0, 2.0], [3.0, 4.0]], "as_tuple": False}, {"value": [[True], [False]], "as_tuple": True}],
)
def nested_lists(tf, value, as_tuple):
    value = tuple(value) if as_tuple else value
    return tf.constant(value), tf.convert_to_tensor(value)


@case(
    ["conversion.sequence-inference"],
    inputs={
        "value": st.lists(py_leaves, min_size=1, max_size=4)
        | st.lists(st.lists(py_leaves, min_size=2, max_size=2), min_size=1, max_size=2)
    },
    examples=[
        {"value": [1, 2.5]},
        {"value": [2.5, 1]},
        {"value": [1, True]},
        {"value": [True, 1]},
        {"value": [1.5, True]},
        {"value": ["a", 1]},
        {"value": [1, "a"]},
        {"value": [1, None]},
        {"value": [None, 1]},
        {"value": [[1, 2], [3.5, 4]]},
        {"value": [1, [2, 3]]},
    ],
)
def mixed_python_lists(tf, value):
    return tf.constant(value)


@case(
    ["conversion.ragged-raises"],
    inputs={"rows": ragged_lists, "floats": st.booleans()},
    examples=[
        {"rows": [[1, 2], [3]], "floats": False},
        {"rows": [[1], []], "floats": True},
        {"rows": [[], [1]], "floats": False},
        {"rows": [[1, 2], 3], "floats": False},
    ],
)
def ragged_lists_raise(tf, rows, floats):
    if floats:
        rows = [[float(v) for v in row] if isinstance(row, list) else row for row in rows]
    return tf.constant(rows)


@case(
    ["conversion.python-values", "conversion.dtype-argument"],
    inputs={
        "value": st.floats(1e39, 1e300) | st.floats(-1e300, -1e39),
        "dtype": st.sampled_from([None, "float16", "float32", "float64"]),
        "in_list": st.booleans(),
    },
    examples=[{"value": 1e40, "dtype": None, "in_list": False}, {"value": 1e40, "dtype": "float32", "in_list": True}],
)
def python_float_beyond_float32(tf, value, dtype, in_list):
    value = [0.5, value] if in_list else value
    return tf.constant(value, dtype=dtype)


# -- numpy values -------------------------------------------------------------------------------


@case(
    ["conversion.numpy-keeps-dtype"],
    inputs={"x": arrays_of(ALL_DTYPES)},
    examples=[{"x": np.array([1.0, 2.0])}, {"x": np.array([[1, 2]], dtype=np.int64)}],
)
def numpy_arrays_keep_dtype(tf, x):
    return tf.constant(x), tf.convert_to_tensor(x), tf.Variable(x)


@case(
    ["conversion.numpy-keeps-dtype", "conversion.sequence-inference"],
    inputs={"x": arrays_of(ALL_DTYPES, ()), "other": st.one_of(py_ints, py_floats), "first": st.booleans()},
    examples=[
        {"x": np.float64(1.5), "other": 2, "first": True},
        {"x": np.float64(1.5), "other": 2.0, "first": False},
        {"x": np.int8(3), "other": 2.5, "first": True},
        {"x": np.float16(1.5), "other": 2, "first": True},
    ],
)
def numpy_scalars(tf, x, other, first):
    """A numpy scalar keeps its dtype; inside a list, it is one more Python-like element."""
    return tf.constant(x), tf.constant([x, other] if first else [other, x])


@case(
    ["conversion.numpy-keeps-dtype"],
    inputs={
        "items": st.lists(st.one_of(py_strings, py_ints, py_floats), min_size=0, max_size=3),
        "as_object": st.booleans(),
    },
    examples=[
        {"items": ["a", "bc"], "as_object": False},
        {"items": ["a", 1], "as_object": True},
        {"items": [1.5], "as_object": True},
        {"items": [], "as_object": True},
    ],
)
def numpy_string_and_object_arrays(tf, items, as_object):
    array = np.array(items, dtype=object) if as_object else np.array([str(v) for v in items])
    return tf.constant(array)


# -- dtype= -------------------------------------------------------------------------------------


@case(
    ["conversion.dtype-argument"],
    inputs={
        "value": st.one_of(
            wide_ints,
            py_floats,
            st.booleans(),
            py_strings,
            st.lists(py_ints, min_size=1, max_size=3),
            st.lists(py_floats, min_size=1, max_size=3),
            st.lists(py_strings, min_size=1, max_size=2),
        ),
        # not uint64: TF leaves a pending OverflowError for negative ints (a SystemError, later or not)
        "dtype": st.sampled_from(tuple(d for d in ALL_DTYPES + TF_ONLY_DTYPES if d != "uint64")),
    },
    examples=[
        {"value": 1.5, "dtype": "int32"},
        {"value": [1.5, 2.0], "dtype": "int64"},
        {"value": 300, "dtype": "uint8"},
        {"value": -1, "dtype": "uint8"},
        {"value": 2**31, "dtype": "int32"},
        {"value": 1, "dtype": "bool"},
        {"value": True, "dtype": "int32"},
        {"value": True, "dtype": "int8"},
        {"value": 1, "dtype": "string"},
        {"value": 3, "dtype": "float64"},
        {"value": 1.5, "dtype": "bfloat16"},
        {"value": 2**64, "dtype": "int64"},
        {"value": "a", "dtype": "int32"},
        {"value": ["a", "b"], "dtype": "string"},
    ],
)
def python_values_with_dtype(tf, value, dtype):
    return tf.constant(value, dtype=getattr(tf, dtype))


@case(
    ["conversion.dtype-argument", "conversion.numpy-values-cast"],
    inputs={"x": arrays_of(ALL_DTYPES, small=True), "dtype": st.sampled_from(ALL_DTYPES + TF_ONLY_DTYPES)},
    examples=[
        {"x": np.array([1.5, -2.7]), "dtype": "int32"},
        {"x": np.array([0.0, 1.5]), "dtype": "bool"},
        {"x": np.array([1.5]), "dtype": "string"},
        {"x": np.array([300, -1]), "dtype": "uint8"},
    ],
)
def numpy_values_with_dtype(tf, x, dtype):
    """numpy values are cast by numpy, whatever the dtypes (no refusal as for Python values)."""
    return tf.constant(x, dtype=dtype), tf.convert_to_tensor(x, dtype=dtype)


@case(
    ["conversion.dtype-argument"],
    inputs={
        "value": st.one_of(
            py_ints,
            py_floats,
            st.lists(py_ints, min_size=1, max_size=3),
            arrays_of(("int64", "float64", "int8"), small=True),
        ),
        "hint": st.sampled_from(("int32", "int64", "float64", "float16", "string", "bool")),
    },
    examples=[
        {"value": [1.5, 2.0], "hint": "int32"},
        {"value": [1, 2], "hint": "float64"},
        {"value": np.array([1, 2]), "hint": "float64"},
    ],
)
def convert_to_tensor_dtype_hint(tf, value, hint):
    return tf.convert_to_tensor(value, dtype_hint=hint)


@case(
    ["conversion.tensor-dtype-mismatch"],
    inputs={
        "x": arrays_of(("float32", "int32", "float64"), strategies.shapes(0, 2), small=True),
        "dtype": st.sampled_from(("float32", "int32", "float64", "float16")),
        "how": st.sampled_from(
            ("convert_to_tensor", "named_convert", "constant", "variable_init", "variable_convert", "variable_constant")
        ),
    },
    examples=[
        {"x": np.array([1.5], dtype=np.float32), "dtype": "int32", "how": "convert_to_tensor"},
        {"x": np.array(1.0, dtype=np.float32), "dtype": "int32", "how": "constant"},
        {"x": np.array([1.0], dtype=np.float32), "dtype": "float64", "how": "variable_init"},
        {"x": np.array([1.5], dtype=np.float32), "dtype": "int32", "how": "variable_convert"},
        {"x": np.array([1.5], dtype=np.float32), "dtype": "int32", "how": "variable_constant"},
    ],
)
def tensor_with_other_dtype(tf, x, dtype, how):
    t = tf.constant(x)
    if how == "convert_to_tensor":
        return tf.convert_to_tensor(t, dtype=dtype)
    if how == "named_convert":
        return tf.convert_to_tensor(t, dtype=dtype, name="values")
    if how == "constant":
        return tf.constant(t, dtype=dtype)
    if how == "variable_init":
        return tf.Variable(t, dtype=dtype)
    if how == "variable_convert":
        return tf.convert_to_tensor(tf.Variable(x), dtype=dtype)
    return tf.constant(tf.Variable(x), dtype=dtype)


@case(
    ["conversion.constant-shape"],
    inputs={
        "value": st.one_of(py_floats, st.lists(py_floats, min_size=1, max_size=6)),
        "shape": st.lists(st.integers(1, 3), max_size=3).map(tuple),
    },
    examples=[
        {"value": 1.0, "shape": (2, 3)},
        {"value": [1.0, 2.0, 3.0, 4.0], "shape": (2, 2)},
        {"value": [1.0, 2.0], "shape": (2, 2)},
        {"value": [1.0, 2.0, 3.0], "shape": (2, 2)},
    ],
)
def constant_shape_argument(tf, value, shape):
    return tf.constant(value, shape=shape)


@case(
    ["conversion.constant-of-tensors"],
    inputs={
        "x": strategies.arrays("float32", strategies.shapes(0, 2, max_side=3)),
        "dtype": st.none() | st.sampled_from(["float32", "float64"]),
        "reshaped": st.booleans(),
    },
    examples=[{"x": np.array([1.0, 2.0], dtype=np.float32), "dtype": None, "reshaped": False}],
)
def constant_of_tensors(tf, x, dtype, reshaped):
    """tf.constant hands a tensor back as it is (its gradient flows) but reads a variable through
    numpy: the tape does not connect that copy (None)."""
    v, t = tf.Variable(x), tf.constant(x)
    shape = [int(np.size(x))] if reshaped else None
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(t)
        of_variable = tf.constant(v, dtype=dtype, shape=shape)
        of_tensor = tf.constant(t, shape=shape)
    return (
        of_variable,
        of_tensor,
        of_tensor is t,
        tape.gradient(of_variable, v),
        tape.gradient(of_tensor, t),
        tape.gradient(of_variable, v, unconnected_gradients="zero"),
    )


# -- Python and numpy operands in ops -------------------------------------------------------------


@case(
    ["conversion.python-scalar-adopts-dtype"],
    inputs={
        "x": arrays_of(OP_DTYPES, strategies.shapes(0, 2), small=True),
        # no division by a scalar 0 (division by zero has its own case)
        "op_scalar": st.tuples(
            st.sampled_from(OPERATORS),
            st.one_of(st.integers(0, 3), st.integers(-3, 3), strategies.python_floats(-3.0, 3.0)),
        ).filter(lambda t: not (t[0] in ("/", "//", "%") and t[1] == 0)),
        "reflected": st.booleans(),
    },
    examples=[
        {"x": np.array([1.0, 2.0], dtype=np.float32), "op_scalar": (op, 2), "reflected": r}
        for op in OPERATORS
        for r in (False, True)
    ]
    + [
        {"x": np.array([1, 2], dtype=np.int32), "op_scalar": ("/", 2), "reflected": False},
        {"x": np.array([1, 2], dtype=np.int8), "op_scalar": ("/", 2), "reflected": True},
        {"x": np.array([1.0, 2.0], dtype=np.float16), "op_scalar": ("*", 0.5), "reflected": False},
        {"x": np.array([1.0, 2.0], dtype=np.float64), "op_scalar": ("+", 0.1), "reflected": True},
        {"x": np.array([3, 4], dtype=np.uint8), "op_scalar": ("+", -1), "reflected": False},
        {"x": np.array([3, 4], dtype=np.int32), "op_scalar": ("**", -1), "reflected": False},
    ],
)
def operator_with_python_scalar(tf, x, op_scalar, reflected):
    op, scalar = op_scalar
    t = tf.constant(x)
    return binary(op, scalar, t) if reflected else binary(op, t, scalar)


@case(
    ["conversion.no-implicit-promotion", "conversion.python-scalar-adopts-dtype"],
    inputs={
        "x": arrays_of(("int32", "int64", "int8", "uint8"), strategies.shapes(0, 2), small=True),
        "scalar": strategies.python_floats(-3.0, 3.0).filter(lambda v: v != int(v)),
        "op": st.sampled_from(OPERATORS),
        "reflected": st.booleans(),
    },
    examples=[
        {"x": np.array([1, 2], dtype=np.int32), "scalar": 1.5, "op": op, "reflected": r}
        for op in OPERATORS
        for r in (False, True)
    ],
)
def operator_int_tensor_with_python_float(tf, x, scalar, op, reflected):
    t = tf.constant(x)
    return binary(op, scalar, t) if reflected else binary(op, t, scalar)


@case(
    ["conversion.python-scalar-adopts-dtype", "conversion.no-implicit-promotion"],
    inputs={
        "a": arrays_of(("float32", "int32"), (2, 2), small=True),
        "b": arrays_of(("float64", "int64"), (2, 2), small=True),
        "op": st.sampled_from(OPERATORS + ("@",)),
        "list_left": st.booleans(),
    },
    examples=[
        {
            "a": np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32),
            "b": np.array([[1, 2], [3, 4]]),
            "op": "@",
            "list_left": True,
        },
        {
            "a": np.array([[1, 2], [3, 4]], dtype=np.int32),
            "b": np.array([[1.5, 2.0], [3.0, 4.0]]),
            "op": "@",
            "list_left": False,
        },
        {
            "a": np.array([[1, 2], [3, 4]], dtype=np.int32),
            "b": np.array([[1.5, 2.0], [3.0, 4.0]]),
            "op": "+",
            "list_left": True,
        },
        {
            "a": np.array([[1, 2], [3, 4]], dtype=np.int32),
            "b": np.array([[1.5, 2.0], [3.0, 4.0]]),
            "op": "*",
            "list_left": False,
        },
    ],
)
def operator_with_python_list(tf, a, b, op, list_left):
    """A nested Python list on either side of an operator (b.tolist() gives Python ints or floats)."""
    t = tf.constant(a)
    values = b.tolist()
    return binary(op, values, t) if list_left else binary(op, t, values)


@case(
    ["conversion.numpy-values-cast"],
    inputs={
        "a": arrays_of(("float32", "int32", "float16"), (2,), small=True),
        "b": arrays_of(("float64", "int64", "float32", "int8"), st.sampled_from([(), (2,)]), small=True),
        "op": st.sampled_from(("+", "-", "*", "/")),
        "numpy_left": st.booleans(),
    },
    examples=[
        {"a": np.array([1, 2], dtype=np.int32), "b": np.float64(1.5), "op": "*", "numpy_left": False},
        {"a": np.array([1, 2], dtype=np.int32), "b": np.float64(1.5), "op": "+", "numpy_left": True},
        {"a": np.array([1.0, 2.0], dtype=np.float32), "b": np.array([1.0, 2.0]), "op": "+", "numpy_left": True},
    ],
)
def operator_with_numpy_value(tf, a, b, op, numpy_left):
    t = tf.constant(a)
    return binary(op, b, t) if numpy_left else binary(op, t, b)


# -- no implicit promotion --------------------------------------------------------------------------

_MIXABLE = ("float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool", "complex64")


@case(
    ["conversion.no-implicit-promotion"],
    inputs={
        "base": strategies.int_arrays("int32", (2, 2), low=1, high=5),
        "dtypes": st.tuples(st.sampled_from(_MIXABLE), st.sampled_from(_MIXABLE)).filter(lambda d: d[0] != d[1]),
        "op": st.sampled_from(OPERATORS + ("@",)),
    },
    examples=[
        {"base": np.array([[1, 2], [3, 4]], dtype=np.int32), "dtypes": ("float32", "int32"), "op": op}
        for op in OPERATORS + ("@",)
    ]
    + [{"base": np.array([[1, 2], [3, 4]], dtype=np.int32), "dtypes": ("float32", "float64"), "op": "+"}],
)
def operator_mixed_dtypes(tf, base, dtypes, op):
    return binary(op, tf.constant(base.astype(dtypes[0])), tf.constant(base.astype(dtypes[1])))


@case(
    ["conversion.no-implicit-promotion"],
    inputs={
        "base": strategies.int_arrays("int32", (2, 2), low=1, high=5),
        "dtypes": st.tuples(st.sampled_from(_MIXABLE), st.sampled_from(_MIXABLE)).filter(lambda d: d[0] != d[1]),
        "fn": st.sampled_from(
            ("add", "subtract", "multiply", "divide", "truediv", "pow", "maximum", "floordiv", "matmul")
        ),
    },
    examples=[
        {"base": np.array([[1, 2], [3, 4]], dtype=np.int32), "dtypes": ("float32", "int32"), "fn": fn}
        for fn in ("add", "multiply", "matmul", "divide")
    ],
)
def function_mixed_dtypes(tf, base, dtypes, fn):
    function = tf.matmul if fn == "matmul" else getattr(tf.math, fn)
    return function(tf.constant(base.astype(dtypes[0])), tf.constant(base.astype(dtypes[1])))


@case(
    ["conversion.no-implicit-promotion", "conversion.python-scalar-adopts-dtype"],
    inputs={
        "x": arrays_of(("int32", "float32"), (2, 2), small=True),
        "value": st.one_of(py_ints, py_floats, st.just([[1.5, 2.0], [3.0, 4.0]]), st.just([[1, 2], [3, 4]])),
        "fn": st.sampled_from(("add", "subtract", "multiply", "divide", "matmul")),
        "value_first": st.booleans(),
    },
    examples=[
        {"x": np.array([[1, 2], [3, 4]], dtype=np.int32), "value": 1.5, "fn": "add", "value_first": False},
        {"x": np.array([[1, 2], [3, 4]], dtype=np.int32), "value": 1.5, "fn": "add", "value_first": True},
        {"x": np.array([[1, 2], [3, 4]], dtype=np.int32), "value": 1.5, "fn": "multiply", "value_first": False},
        {
            "x": np.array([[1, 2], [3, 4]], dtype=np.int32),
            "value": [[1.5, 2.0], [3.0, 4.0]],
            "fn": "matmul",
            "value_first": False,
        },
        {
            "x": np.array([[1, 2], [3, 4]], dtype=np.int32),
            "value": [[1.5, 2.0], [3.0, 4.0]],
            "fn": "matmul",
            "value_first": True,
        },
    ],
)
def function_with_python_value(tf, x, value, fn, value_first):
    function = tf.matmul if fn == "matmul" else getattr(tf.math, fn)
    t = tf.constant(x)
    return function(value, t) if value_first else function(t, value)


# -- shapes and division by zero -------------------------------------------------------------------


@case(
    ["conversion.incompatible-shapes"],
    inputs={
        "shapes": non_broadcastable_shapes(),
        "op": st.sampled_from(OPERATORS),
        "dtype": st.sampled_from(("float32", "int32")),
    },
    examples=[{"shapes": ((2,), (3,)), "op": op, "dtype": "float32"} for op in OPERATORS]
    + [{"shapes": ((2, 2), (1, 3)), "op": "+", "dtype": "int32"}],
)
def operator_incompatible_shapes(tf, shapes, op, dtype):
    a = tf.ones(shapes[0], dtype=dtype)
    b = tf.ones(shapes[1], dtype=dtype)
    return binary(op, a, b)


@case(
    ["conversion.incompatible-shapes"],
    inputs={"a_shape": strategies.shapes(1, 3, max_side=3), "b_shape": strategies.shapes(1, 3, max_side=3)},
    examples=[
        {"a_shape": (1, 2), "b_shape": (1, 3)},
        {"a_shape": (2,), "b_shape": (2,)},
        {"a_shape": (2, 3), "b_shape": (3,)},
        {"a_shape": (2, 2, 3), "b_shape": (3, 2)},
    ],
)
def matmul_shapes(tf, a_shape, b_shape):
    return tf.matmul(tf.ones(a_shape), tf.ones(b_shape))


@case(
    ["conversion.integer-division-by-zero"],
    inputs={
        "x": arrays_of(INT_DTYPES[:5] + ("float16", "float32", "float64"), (3,), small=True),
        "op": st.sampled_from(("//", "%", "/", "floordiv", "floormod", "truediv")),
        "zero_at": st.integers(0, 2),
    },
    examples=[
        {"x": np.array([1, 2, 3], dtype=np.int32), "op": "//", "zero_at": 0},
        {"x": np.array([1, 2, 3], dtype=np.int32), "op": "%", "zero_at": 1},
        {"x": np.array([1, 0, -3], dtype=np.int32), "op": "/", "zero_at": 1},
        {"x": np.array([1, 2, 3], dtype=np.uint8), "op": "//", "zero_at": 2},
        {"x": np.array([1.0, -2.0, 0.0], dtype=np.float32), "op": "//", "zero_at": 1},
        {"x": np.array([1.0, -2.0, 0.0], dtype=np.float32), "op": "%", "zero_at": 2},
    ],
)
def division_by_zero(tf, x, op, zero_at):
    """Integer // and % by zero raise; / on ints divides as floats (inf, nan); floats give inf and nan."""
    t = tf.constant(x)
    divisor = np.ones_like(x)
    divisor[zero_at] = 0
    d = tf.constant(divisor)
    if op in ("//", "%", "/"):
        return binary(op, t, d)
    return getattr(tf.math, op)(t, d)


# -- tf.cast -----------------------------------------------------------------------------------


@case(
    ["conversion.cast"],
    inputs={
        "x": arrays_of(("float16", "float32", "float64"), strategies.shapes(0, 2), small=True),
        "dtype": st.sampled_from(INT_DTYPES + ("bool",)),
    },
    examples=[
        {"x": np.array([1.7, -1.7, 2.5, -0.5], dtype=np.float32), "dtype": "int32"},
        {"x": np.array([1.7, -1.7, 2.5, -0.5], dtype=np.float32), "dtype": "uint8"},
        {"x": np.array([0.0, 1.5, -0.0], dtype=np.float64), "dtype": "bool"},
    ],
)
def cast_float_to_int(tf, x, dtype):
    """Floats go to ints by truncation toward zero (within range), to bool as x != 0."""
    return tf.cast(tf.constant(x), dtype)


@case(
    ["conversion.cast"],
    inputs={
        "x": arrays_of(INT_DTYPES + ("bool",), strategies.shapes(0, 2)),
        "dtype": st.sampled_from(ALL_DTYPES + ("bfloat16",)),
    },
    examples=[
        {"x": np.array([300, -1, 127]), "dtype": "uint8"},
        {"x": np.array([300, -1, 128]), "dtype": "int8"},
        {"x": np.array([2**40, 5]), "dtype": "int32"},
        {"x": np.array([True, False]), "dtype": "float32"},
        {"x": np.array([0, 2, -1]), "dtype": "bool"},
    ],
)
def cast_ints_and_bools(tf, x, dtype):
    """Ints wrap into narrower ints; ints and bools go to floats and complex exactly or rounded."""
    return tf.cast(tf.constant(x), dtype)


@case(
    ["conversion.cast"],
    inputs={
        "x": arrays_of(("float32", "float64"), strategies.shapes(0, 2)),
        "dtype": st.sampled_from(("float16", "bfloat16", "float32", "float64", "complex64", "complex128")),
    },
    examples=[
        {"x": np.array([1.0000001, 65519.0, 70000.0], dtype=np.float32), "dtype": "float16"},
        {"x": np.array([1.0000001, 1.01, 3.14159], dtype=np.float32), "dtype": "bfloat16"},
        {"x": np.array([0.1, 1e300]), "dtype": "float32"},
    ],
)
def cast_between_floats(tf, x, dtype):
    return tf.cast(tf.constant(x), dtype)


@case(
    ["conversion.cast"],
    inputs={
        "x": arrays_of(("complex64", "complex128"), strategies.shapes(0, 2), small=True),
        "dtype": st.sampled_from(("float32", "float64", "int32", "complex64", "complex128")),
    },
    examples=[{"x": np.array([1 + 2j]), "dtype": "float32"}],
)
def cast_complex(tf, x, dtype):
    """Complex to real keeps the real part and logs TF's warning."""
    return tf.cast(tf.constant(x), dtype)


@case(
    ["conversion.cast"],
    inputs={
        "value": st.one_of(
            py_floats,
            py_ints,
            st.lists(py_floats, min_size=1, max_size=3),
            st.lists(py_strings, min_size=1, max_size=3),
        ),
        "dtype": st.sampled_from(("int32", "float64", "uint8", "bool", "string")),
    },
    examples=[
        {"value": 1.5, "dtype": "int32"},
        {"value": [1.0, 2.0], "dtype": "float64"},
        {"value": ["a"], "dtype": "int32"},
    ],
)
def cast_python_values(tf, value, dtype):
    """tf.cast converts Python values first (floats are float32), then casts; strings cast to nothing else."""
    return tf.cast(value, dtype)


# -- dtype objects -----------------------------------------------------------------------------


@case(
    ["conversion.dtype-objects", "printing.types"],
    inputs={"name": st.sampled_from(ALL_DTYPES + TF_ONLY_DTYPES)},
    examples=[{"name": "float32"}, {"name": "string"}, {"name": "bool"}],
)
def dtype_attributes(tf, name):
    d = getattr(tf, name)
    out = {
        "name": d.name,
        "repr": repr(d),
        "str": str(d),
        "is_floating": d.is_floating,
        "is_integer": d.is_integer,
        "is_complex": d.is_complex,
        "is_unsigned": d.is_unsigned,
        "is_bool": d.is_bool,
        "is_numpy_compatible": d.is_numpy_compatible,
        "is_quantized": d.is_quantized,
        "size": d.size,
        "numpy": d.as_numpy_dtype.__name__,
        "enum": d.as_datatype_enum,
        "real": d.real_dtype,
        "base": d.base_dtype,
        "type": type(d).__name__,
    }
    for limit in ("min", "max"):
        try:
            out[limit] = float(getattr(d, limit))
        except TypeError as e:
            out[limit] = str(e)
    return out


@case(
    ["conversion.dtype-objects"],
    inputs={
        "spec": st.one_of(
            st.tuples(
                st.just("name"), st.sampled_from(ALL_DTYPES + TF_ONLY_DTYPES + ("half", "float", "double", "floaty"))
            ),
            # the DataType enums of the dtypes above, 0 and one past them (not qint8, resource, float8_*, ...)
            st.tuples(
                st.just("enum"), st.sampled_from((0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 17, 18, 19, 22, 23, 100))
            ),
            st.tuples(
                st.just("numpy_type"), st.sampled_from(ALL_DTYPES[:-3] + ("str_", "bytes_", "object_", "longdouble"))
            ),
            st.tuples(st.just("numpy_dtype"), st.sampled_from(ALL_DTYPES + ("U3", "S2", "datetime64"))),
            st.tuples(
                st.just("python_type"), st.sampled_from(("float", "int", "bool", "str", "bytes", "object", "complex"))
            ),
            st.tuples(st.sampled_from(("array_of", "tensor_of")), st.sampled_from(ALL_DTYPES)),
        ),
    },
    examples=[
        {"spec": ("python_type", "float")},
        {"spec": ("python_type", "int")},
        {"spec": ("python_type", "str")},
        {"spec": ("python_type", "object")},
        {"spec": ("numpy_type", "float32")},
        {"spec": ("name", "double")},
        {"spec": ("enum", 1)},
        {"spec": ("array_of", "float64")},
        {"spec": ("tensor_of", "int32")},
    ],
)
def as_dtype(tf, spec):
    """Names, DataType enums, numpy types and dtypes, float/bool/object, and objects with a numpy dtype."""
    kind, value = spec
    if kind in ("name", "enum"):
        arg = value
    elif kind == "array_of":
        arg = np.zeros(2, dtype=value)
    elif kind == "tensor_of":
        arg = tf.zeros(2, dtype=value)
    elif kind == "numpy_dtype":
        arg = np.dtype(value)
    else:
        arg = python_type(value if kind == "python_type" else ("bool_" if value == "bool" else value))
    d = tf.as_dtype(arg)
    return d, d == arg, d != "float32", d == tf.float32, d.name == value


# -- TensorShape -----------------------------------------------------------------------------------

dims = st.lists(st.one_of(st.integers(0, 5), st.none()), max_size=4)


@case(
    ["conversion.tensorshape", "printing.types"],
    inputs={"dims": dims, "index": st.integers(-5, 5)},
    examples=[
        {"dims": [2, 3], "index": 0},
        {"dims": [], "index": 0},
        {"dims": [None, 3], "index": -1},
        {"dims": [4], "index": 1},
    ],
)
def tensorshape_basics(tf, dims, index):
    s = tf.TensorShape(dims)
    out = {
        "shape": s,
        "rank": s.rank,
        "ndims": s.ndims,
        "len": len(s),
        "list": list(s),
        "as_list": s.as_list(),
        "str": str(s),
        "repr": repr(s),
        "eq_tuple": s == tuple(dims),
        "eq_list": s == list(dims),
        "ne_other": s != dims + [1],
        "num_elements": s.num_elements(),
        "fully_defined": s.is_fully_defined(),
        "slice": s[1:],
        "plus": s + [7],
        "bool": bool(s),
    }
    try:
        out["item"] = s[index]
    except IndexError as e:
        out["item"] = str(e)
    return out


@case(
    ["conversion.tensorshape"],
    inputs={"a": dims, "b": st.one_of(dims, st.none()), "rank": st.integers(0, 4)},
    examples=[
        {"a": [2, 3], "b": [None, 3], "rank": 2},
        {"a": [2, 3], "b": [4, 3], "rank": 3},
        {"a": [None], "b": None, "rank": 1},
    ],
)
def tensorshape_compatibility(tf, a, b, rank):
    s, other = tf.TensorShape(a), tf.TensorShape(b)
    out = [s.is_compatible_with(other), other.is_compatible_with(s), s == other, str(other), repr(other), other.rank]
    for attempt in (
        lambda: s.merge_with(other),
        lambda: s.with_rank(rank),
        lambda: s.assert_has_rank(rank),
        lambda: s.assert_is_compatible_with(other),
        lambda: other.as_list(),
        lambda: other.concatenate(s),
    ):
        try:
            out.append(attempt())
        except ValueError as e:
            out.append(f"ValueError: {e}")
    return out


@case(
    ["conversion.tensorshape"],
    inputs={
        "dims": st.one_of(
            st.lists(st.one_of(st.integers(-2, 3), py_floats, st.none()), max_size=3), st.integers(-1, 3), py_strings
        )
    },
    examples=[{"dims": [2.5]}, {"dims": [-1]}, {"dims": "ab"}, {"dims": 3}, {"dims": [True, 2]}],
)
def tensorshape_construction(tf, dims):
    return tf.TensorShape(dims)


@case(
    ["conversion.tensorshape", "conversion.python-protocols"],
    inputs={"x": arrays_of(("float32", "int32", "bool"), strategies.shapes(0, 4, max_side=3), small=True)},
    examples=[{"x": np.ones((1, 2), dtype=np.float32)}, {"x": np.float32(3.0)}],
)
def tensor_shape_attributes(tf, x):
    t = tf.constant(x)
    return [
        t.shape,
        t.get_shape(),
        t.ndim,
        t.dtype,
        t.shape == x.shape,
        t.shape.as_list(),
        tf.shape(t),
        tf.rank(t),
        tf.size(t),
    ]


# -- Python protocols on tensors and variables -------------------------------------------------------


@case(
    ["conversion.python-protocols"],
    inputs={
        "x": arrays_of(
            ("float32", "int32", "bool", "float64", "complex128"), strategies.shapes(0, 2, max_side=3), small=True
        ),
        "protocol": st.sampled_from(("float", "int", "bool", "len", "list", "index", "complex", "format")),
        "variable": st.booleans(),
    },
    examples=[
        {"x": np.float32(2.7), "protocol": "int", "variable": False},
        {"x": np.array([1.5], dtype=np.float32), "protocol": "float", "variable": False},
        {"x": np.array([1.5, 2.0], dtype=np.float32), "protocol": "bool", "variable": False},
        {"x": np.array([], dtype=np.float32), "protocol": "bool", "variable": True},
        {"x": np.float32(1.0), "protocol": "len", "variable": False},
        {"x": np.array([1.0, 2.0], dtype=np.float32), "protocol": "len", "variable": True},
        {"x": np.float32(1.0), "protocol": "list", "variable": True},
        {"x": np.float32(1.0), "protocol": "index", "variable": False},
    ],
)
def python_protocols(tf, x, protocol, variable):
    t = tf.Variable(x) if variable else tf.constant(x)
    if protocol == "float":
        return float(t)
    if protocol == "int":
        return int(t)
    if protocol == "bool":
        return bool(t)
    if protocol == "len":
        return len(t)
    if protocol == "list":
        return [(type(item).__name__, item) for item in t]
    if protocol == "index":
        return [10, 20, 30, 40, 50][t]
    if protocol == "complex":
        return complex(t)
    return f"{t:.2f}"


@case(
    ["conversion.python-protocols", "conversion.numpy-keeps-dtype"],
    inputs={
        "x": arrays_of(ALL_DTYPES, strategies.shapes(0, 2)) | py_strings | st.lists(py_strings, min_size=1, max_size=3),
        "variable": st.booleans(),
    },
    examples=[
        {"x": np.float32(1.5), "variable": False},
        {"x": np.array([1, 2], dtype=np.uint8), "variable": True},
        {"x": "ab", "variable": False},
        {"x": ["a", "bc"], "variable": True},
    ],
)
def numpy_interop(tf, x, variable):
    """.numpy() and np.asarray: numpy scalars for rank 0 (bytes for strings), arrays of the tensor's dtype."""
    t = tf.Variable(x) if variable else tf.constant(x)
    n = t.numpy()
    if t.dtype == tf.string:
        items = [n] if t.shape.rank == 0 else list(n)
        return [
            type(n).__name__,
            [type(v).__name__ for v in items],
            [v.decode() for v in items],
            np.asarray(t).dtype.name,
        ]
    return [
        n,
        type(n).__name__,
        np.asarray(t),
        np.asarray(t).dtype.name,
        np.array(t, dtype=np.float64),
        t.dtype.as_numpy_dtype.__name__,
    ]


# -- variables ----------------------------------------------------------------------------------------


@case(
    ["conversion.variables", "printing.variable"],
    inputs={
        "value": st.one_of(
            py_floats, py_ints, st.booleans(), py_lists, arrays_of(("float64", "int8", "float16"), small=True)
        ),
        "dtype": st.sampled_from((None, "float32", "float64", "int32", "int64")),
        "name": st.sampled_from((None, "x0", "w", "a/b", "x:0", "layer_1")),
        "trainable": st.sampled_from((None, True, False)),
    },
    examples=[
        {"value": 1.5, "dtype": None, "name": None, "trainable": None},
        {"value": [[1, 2], [3, 4]], "dtype": None, "name": "x0", "trainable": False},
        {"value": 1, "dtype": "float32", "name": "x:0", "trainable": True},
        {"value": 2.5, "dtype": "int32", "name": None, "trainable": None},
    ],
)
def variable_creation(tf, value, dtype, name, trainable):
    v = tf.Variable(value, dtype=dtype, name=name, trainable=trainable)
    return [v, v.name, v.trainable, v.dtype, v.shape, type(v).__name__, repr(v)]


@case(
    ["conversion.variable-assign"],
    inputs={
        "x": arrays_of(("float32", "int32"), strategies.shapes(0, 2, max_side=3), small=True),
        "new_shape": strategies.shapes(0, 2, max_side=3),
        "method": st.sampled_from(("assign", "assign_add", "assign_sub")),
        "name": st.sampled_from((None, "x0")),
    },
    examples=[
        {"x": np.array([1.0, 2.0], dtype=np.float32), "new_shape": (3,), "method": "assign", "name": None},
        {"x": np.array([1.0, 2.0], dtype=np.float32), "new_shape": (3,), "method": "assign_add", "name": "x0"},
        {"x": np.array([1.0, 2.0], dtype=np.float32), "new_shape": (1, 2), "method": "assign_sub", "name": None},
        {"x": np.float32(1.0), "new_shape": (2,), "method": "assign", "name": "x0"},
    ],
)
def variable_assign_shapes(tf, x, new_shape, method, name):
    v = tf.Variable(x, name=name)
    getattr(v, method)(tf.ones(new_shape, dtype=v.dtype))
    return v


@case(
    ["conversion.variable-assign", "conversion.no-implicit-promotion"],
    inputs={
        "var_dtype": st.sampled_from(("float32", "float64", "int32")),
        "value": st.one_of(
            py_floats, py_ints, st.booleans(), arrays_of(("float32", "float64", "int32", "int64"), (), small=True)
        ),
        "as_tensor": st.booleans(),
        "method": st.sampled_from(("assign", "assign_add", "assign_sub")),
    },
    examples=[
        {"var_dtype": "float32", "value": 1, "as_tensor": True, "method": "assign"},
        {"var_dtype": "float32", "value": 1, "as_tensor": False, "method": "assign"},
        {"var_dtype": "int32", "value": 1.5, "as_tensor": False, "method": "assign_add"},
        {"var_dtype": "int32", "value": 1.5, "as_tensor": True, "method": "assign_sub"},
        {"var_dtype": "float64", "value": np.float32(2.0), "as_tensor": True, "method": "assign"},
        {"var_dtype": "float32", "value": np.float64(2.5), "as_tensor": False, "method": "assign_add"},
    ],
)
def variable_assign_dtypes(tf, var_dtype, value, as_tensor, method):
    v = tf.Variable(0, dtype=var_dtype)
    getattr(v, method)(tf.constant(value) if as_tensor else value)
    return v


@case(
    ["conversion.variables", "conversion.variable-assign", "printing.types"],
    inputs={
        "x": arrays_of(("float32", "int32"), strategies.shapes(0, 2, max_side=3), small=True),
        "read_value": st.booleans(),
    },
    examples=[{"x": np.float32(1.5), "read_value": True}],
)
def variable_reads_and_assign_results(tf, x, read_value):
    v = tf.Variable(x)
    first = v.read_value()
    result = v.assign_add(tf.ones_like(first), read_value=read_value)
    out = [first, v.value(), v, type(first).__name__, type(v + 1).__name__, tf.identity(v)]
    if result is None:
        return out + [None]
    return out + [type(result).__name__, result.name, result, repr(result), result.read_value()]
