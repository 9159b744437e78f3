"""Printed forms: tensors of every dtype and rank, summarized large tensors, variables,
type names, dtypes and shapes, as str, repr, print and format give them."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case


def test_printing(case, check):
    check(case)


# -- strategies of this family ---------------------------------------------------------------

NUMPY_DTYPES = (
    "float16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
)  # fmt: skip
PRINTED_DTYPES = NUMPY_DTYPES + ("bfloat16", "string")
_WIDTH = {"float16": 16, "float32": 32, "float64": 64, "complex64": 32, "complex128": 64}
_TEXT = st.text(alphabet="ab é'\"\\\n", max_size=4)


def _elements(dtype: str):
    """Any value of ints; finite normal floats of any magnitude; strings with quotes and escapes."""
    if dtype == "string":
        return _TEXT
    dtype = "float32" if dtype == "bfloat16" else dtype
    kind = np.dtype(dtype).kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        info = np.iinfo(dtype)
        return st.integers(info.min, info.max) | st.integers(-9, 9).filter(lambda v: v >= info.min)
    floats = st.floats(width=_WIDTH[dtype], allow_nan=False, allow_infinity=False, allow_subnormal=False)
    nice = strategies.python_floats(-20.0, 20.0)
    values = floats | nice
    return st.builds(complex, values, values) if kind == "c" else values


def printable(shape):
    """(dtype name, values) with values a numpy array, or a list of str for strings;
    bfloat16 values come as float32 and are converted in the case."""

    def build(dtype):
        if dtype == "string":
            return shape.flatmap(
                lambda s: st.lists(_TEXT, min_size=int(np.prod(s)), max_size=int(np.prod(s))).map(
                    lambda items: np.array(items, dtype=object).reshape(s).tolist()
                )
            ).map(lambda v: (dtype, v))
        np_dtype = "float32" if dtype == "bfloat16" else dtype
        return shape.flatmap(lambda s: hnp.arrays(np.dtype(np_dtype), s, elements=_elements(dtype))).map(
            lambda v: (dtype, v)
        )

    return st.sampled_from(PRINTED_DTYPES).flatmap(build)


def tensor_of(tf, spec):
    """The tensor a `printable` spec describes."""
    dtype, values = spec
    return tf.constant(values, dtype=dtype)


# -- tensors -----------------------------------------------------------------------------------


@case(
    ["printing.tensor"],
    inputs={"spec": printable(st.just(()))},
    examples=[
        {"spec": ("float32", np.float32(0.1))},
        {"spec": ("float64", np.float64(0.1))},
        {"spec": ("bfloat16", np.float32(1.5))},
        {"spec": ("string", "hi")},
        {"spec": ("complex128", np.complex128(1 + 2j))},
        {"spec": ("bool", np.bool_(True))},
    ],
)
def scalars(tf, spec):
    t = tensor_of(tf, spec)
    return str(t), repr(t)


@case(
    ["printing.tensor"],
    inputs={"spec": printable(strategies.shapes(1, 1, max_side=6))},
    examples=[
        {"spec": ("float32", np.array([1.5, 2.0], dtype=np.float32))},
        {"spec": ("int64", np.array([1, 2]))},
        {"spec": ("string", ["a", "bc"])},
        {"spec": ("float16", np.array([1.5, 2.25], dtype=np.float16))},
        {"spec": ("bfloat16", np.array([1.5, 2.0], dtype=np.float32))},
    ],
)
def vectors(tf, spec):
    t = tensor_of(tf, spec)
    return str(t), repr(t)


@case(
    ["printing.tensor"],
    inputs={"spec": printable(strategies.shapes(2, 3, max_side=3))},
    examples=[
        {"spec": ("float32", np.array([[1.5, 2.0], [3.0, 4.0]], dtype=np.float32))},
        {"spec": ("int64", np.arange(24).reshape(2, 3, 4))},
        {"spec": ("string", [["a", "b"], ["c", "d"]])},
        {"spec": ("bool", np.array([[True], [False]]))},
    ],
)
def matrices_and_3d(tf, spec):
    t = tensor_of(tf, spec)
    return str(t), repr(t)


@case(
    ["printing.summarized"],
    inputs={
        "dtype": st.sampled_from(("float32", "float64", "int32", "int64", "float16", "bool", "uint8", "complex64")),
        "size": st.integers(1001, 2400),
        "shape": st.sampled_from(("flat", "rows", "cube")),
        "scale": st.sampled_from((1.0, 0.5, 1 / 3, 1e-4, 1e6)),
    },
    examples=[
        {"dtype": "int64", "size": 2000, "shape": "flat", "scale": 1.0},
        {"dtype": "float32", "size": 2000, "shape": "rows", "scale": 1.0},
        {"dtype": "float64", "size": 1200, "shape": "rows", "scale": 1 / 3},
        {"dtype": "int32", "size": 1000, "shape": "flat", "scale": 1.0},
    ],
)
def summarized(tf, dtype, size, shape, scale):
    """More than 1000 elements print as numpy summarizes them, with '...'."""
    values = (np.arange(size) * scale).astype(dtype)
    if shape == "rows":
        values = values[: size - size % 40].reshape(40, -1)
    elif shape == "cube":
        values = values[: size - size % 100].reshape(10, 10, -1)
    t = tf.constant(values)
    v = tf.Variable(values)
    return str(t), repr(t), repr(v)


@case(
    ["printing.tensor"],
    inputs={
        "x": hnp.arrays(
            st.sampled_from([np.dtype(d) for d in ("float16", "float32", "float64")]),
            strategies.shapes(0, 2, max_side=4),
            elements=st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e-4, 6e4, 1234.5, 1.0]),
        ),
        "empty_shape": st.sampled_from([(0,), (0, 3), (2, 0), (1, 0, 2)]),
    },
    examples=[{"x": np.array([np.nan, np.inf, -np.inf], dtype=np.float32), "empty_shape": (0, 3)}],
)
def special_values_and_empty(tf, x, empty_shape):
    t, e = tf.constant(x), tf.zeros(empty_shape)
    return str(t), repr(t), str(e), repr(e), repr(tf.constant([])), repr(tf.constant([], dtype=tf.string))


@case(
    ["printing.tensor", "printing.summarized"],
    inputs={
        "x": strategies.arrays(
            st.sampled_from(("float32", "float64")), strategies.shapes(1, 2, min_side=2, max_side=4), -100.0, 100.0
        ),
        "precision": st.integers(1, 8),
        "threshold": st.integers(2, 20),
        "edgeitems": st.integers(1, 3),
        "linewidth": st.integers(20, 90),
        "suppress": st.booleans(),
    },
    examples=[
        {
            "x": np.array([[1 / 3, 2.0], [3.0, 1e-5]]),
            "precision": 3,
            "threshold": 3,
            "edgeitems": 1,
            "linewidth": 40,
            "suppress": True,
        }
    ],
)
def numpy_print_options(tf, x, precision, threshold, edgeitems, linewidth, suppress):
    """Tensors print through numpy: its print options apply to them."""
    t = tf.constant(x)
    with np.printoptions(
        precision=precision, threshold=threshold, edgeitems=edgeitems, linewidth=linewidth, suppress=suppress
    ):
        return str(t), repr(t), repr(tf.Variable(x))


@case(
    ["printing.tensor", "printing.print-and-format"],
    inputs={"spec": printable(strategies.shapes(0, 2, max_side=3))},
    examples=[{"spec": ("float32", np.array([[1.0, 2.0]], dtype=np.float32))}],
)
def print_tensors(tf, spec):
    """What print() shows: str of tensors, repr inside containers, numpy's own text for .numpy()."""
    t = tensor_of(tf, spec)
    print(t)
    print([t, t.shape, t.dtype])
    print(t.numpy())
    print(t.shape, t.dtype, sep=" | ")
    print(f"{t}")
    print((t,))
    print({"t": t})


@case(
    ["printing.print-and-format"],
    inputs={
        "x": strategies.scalars("float32", -100.0, 100.0)
        | strategies.arrays("float64", (2,), -100.0, 100.0)
        | strategies.int_arrays("int32", ()),
        "spec": st.sampled_from(("", ".2f", ".3e", "10.4f", "g", "d", ">8", "s")),
    },
    examples=[
        {"x": np.float32(1.5), "spec": ".2f"},
        {"x": np.array([1.5, 2.0]), "spec": ".2f"},
        {"x": np.int32(3), "spec": "d"},
    ],
)
def format_specs(tf, x, spec):
    t = tf.constant(x)
    return format(t, spec), "%s" % t, "{}".format(t)


# -- variables ------------------------------------------------------------------------------------


@case(
    ["printing.variable"],
    inputs={
        "spec": printable(strategies.shapes(0, 2, max_side=3)),
        "name": st.sampled_from((None, "x0", "weights", "dense/kernel", "v:0")),
        "trainable": st.booleans(),
    },
    examples=[
        {"spec": ("float32", np.float32(1.5)), "name": None, "trainable": True},
        {"spec": ("int32", np.array([[1, 2], [3, 4]], dtype=np.int32)), "name": "x0", "trainable": False},
        {"spec": ("string", "s"), "name": None, "trainable": True},
    ],
)
def variables(tf, spec, name, trainable):
    v = tf.Variable(tensor_of(tf, spec), name=name, trainable=trainable)
    print(v)
    return str(v), repr(v), v.name, f"{v}", repr([v])


@case(
    ["printing.variable"],
    inputs={
        "x": strategies.arrays(st.sampled_from(("float32", "float64")), strategies.shapes(0, 2, max_side=3)),
        "method": st.sampled_from(("assign", "assign_add", "assign_sub")),
        "name": st.sampled_from((None, "x0")),
    },
    examples=[{"x": np.float32(1.0), "method": "assign", "name": None}],
)
def assign_results(tf, x, method, name):
    """An assign's result prints as an 'UnreadVariable'; its variable keeps its own name."""
    v = tf.Variable(x, name=name)
    result = getattr(v, method)(tf.ones_like(v))
    return repr(result), str(result), repr(v), repr(v.read_value()), str(v.value())


# -- types, dtypes and shapes ---------------------------------------------------------------------


@case(
    ["printing.types"],
    inputs={"x": strategies.arrays(st.sampled_from(("float32", "float64")), strategies.shapes(1, 2, max_side=3))},
    examples=[{"x": np.array([1.0, 2.0], dtype=np.float32)}],
)
def type_names(tf, x):
    t, v = tf.constant(x), tf.Variable(x)
    things = {
        "constant": t,
        "variable": v,
        "read_value": v.read_value(),
        "value": v.value(),
        "variable_plus_one": v + 1,
        "slice": t[0],
        "op_result": tf.square(t),
        "convert_to_tensor": tf.convert_to_tensor(x),
        "assign": v.assign(x),
        "numpy": t.numpy(),
        "shape": t.shape,
        "dtype": t.dtype,
        "identity_of_variable": tf.identity(v),
        "cast_same_dtype": tf.cast(v, v.dtype),
    }
    names = {key: type(value).__name__ for key, value in things.items()}
    names["is_tensor"] = [tf.is_tensor(value) for value in things.values()]
    names["isinstance_tensor"] = [isinstance(value, tf.Tensor) for value in things.values()]
    names["isinstance_variable"] = [isinstance(value, tf.Variable) for value in things.values()]
    return names


@case(
    ["printing.types"],
    inputs={
        "name": st.sampled_from(PRINTED_DTYPES),
        "dims": st.lists(st.one_of(st.integers(0, 12), st.none()), max_size=4),
    },
    examples=[
        {"name": "float32", "dims": [2, 3]},
        {"name": "string", "dims": []},
        {"name": "bfloat16", "dims": [None, 3]},
    ],
)
def dtypes_and_shapes(tf, name, dims):
    d, s = getattr(tf, name), tf.TensorShape(dims)
    print(d, s, [d, s], sep="\n")
    return repr(d), str(d), repr(s), str(s), repr([d, s]), repr(tf.TensorShape(None)), str(tf.TensorShape(None))
