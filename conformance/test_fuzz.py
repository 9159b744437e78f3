"""The differential bad-input fuzzer: public entry points called with wrong things.

Each case is one entry point (an op, a constructor, a Variable update, a GradientTape
method, a Keras layer); Hypothesis draws its arguments from a mix of good tensors and
wrong ones: mismatched dtypes and shapes, wrong ranks, out-of-range axes and indices,
NaN and infinities, empty tensors, Python objects, None, strings, ragged and unmatched
nested structures, huge and negative sizes, wrong keyword names, non-tensor watch
arguments, unknown unconnected_gradients values, gradients of non-float targets.

Arguments are drawn as data (tagged tuples, `build` makes them objects inside the case),
so they record as JSON and print as repro literals. What is observed is what any case
gives: the value, or the exception's class and message. Messages are compared exactly
(object addresses are blanked by observe.py), except in cases marked `class_only`, where
TensorFlow's text holds Keras-internal details (layer call reprs, tensor reprs of
symbolic inputs); there the class is compared. `python -m conformance fuzz` prints the
figure: draws tried, classes matched, messages matched.

Sources: the API docs of each entry point (tf.math.add ... tf.keras.layers.Dense) and the
op definitions' shape functions and kernels (tensorflow/core/ops/*.cc, core/kernels/*).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases
from conformance.casekit import op_named


def test_fuzz(case, check):
    check(case)


# -- building an argument from its drawn description (their source goes into repro snippets) --


def build(tf, spec):
    """The argument a drawn description stands for: ("tensor", array), ("variable", array),
    ("numpy", array), ("python", value), ("object",), ("list", [specs]), ("tuple", [specs]),
    ("dict", {key: spec}), ("slice", start, stop, step), ("ellipsis",), ("newaxis",)."""
    kind = spec[0]
    if kind == "tensor":
        return tf.constant(spec[1])
    if kind == "variable":
        return tf.Variable(spec[1])
    if kind in ("numpy", "python"):
        return spec[1]
    if kind == "object":
        return object()
    if kind == "list":
        return [build(tf, s) for s in spec[1]]
    if kind == "tuple":
        return tuple(build(tf, s) for s in spec[1])
    if kind == "dict":
        return {k: build(tf, s) for k, s in spec[1].items()}
    if kind == "slice":
        return slice(spec[1], spec[2], spec[3])
    if kind == "ellipsis":
        return Ellipsis
    if kind == "newaxis":
        return None
    raise ValueError(f"unknown argument kind {kind!r}")


def call(tf, api, args, kwargs):
    """tf.<api>(*args, **kwargs), each argument built from its description."""
    fn = op_named(tf, api)
    args, kwargs = [build(tf, a) for a in args], {k: build(tf, v) for k, v in kwargs.items()}
    try:
        return fn(*args, **kwargs)
    except Exception as e:
        raise normalised(e) from None


def normalised(e):
    """`e` with only the part of its message that is TF's own: a call's signature errors name
    Python's functions (TF's dispatch wrappers say "Got an unexpected keyword argument", the
    wrapped function "add() got ..."), so only the argument is kept; a Python traceback that TF
    pastes into a message (file paths, lines) is dropped."""
    text = str(e)
    if isinstance(e, TypeError) and "unexpected keyword argument" in text:
        # the keyword alone: Python 3.13 adds "Did you mean 'name'?" after it
        keyword = text.split("unexpected keyword argument ", 1)[1].split("'")[1]
        e.args = (f"unexpected keyword argument '{keyword}'",)
        return e
    for words in ("required positional argument", "positional argument"):
        if isinstance(e, TypeError) and words in text:
            e.args = (words,)
            return e
    if "Traceback (most recent call last)" in text and len(e.args) == 1:
        e.args = (text.split("\nTraceback (most recent call last)", 1)[0],)
    if "[Op:Pack] name: " in text:  # a packed list's node name: the argument's, or "packed"
        e.args = (text.split("[Op:Pack] name: ", 1)[0] + "[Op:Pack]",)
        if hasattr(e, "_message"):  # tf.errors.OpError prints its _message
            e._message = e.args[0]
    return e


# -- strategies -----------------------------------------------------------------------------

_DTYPES = ("float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool")
_FLOATS = ("float16", "float32", "float64")
_SPECIAL = (0.0, -0.0, np.nan, np.inf, -np.inf)


def _elements(dtype):
    if dtype == "bool":
        return st.booleans()
    if dtype in _FLOATS:
        width = np.dtype(dtype).itemsize * 8
        plain = st.integers(-32, 32).map(lambda n: n / 8)  # exact in every float dtype
        return plain | st.sampled_from(_SPECIAL) | st.floats(-60000, 60000, width=width, allow_subnormal=False)
    info = np.iinfo(dtype)
    return st.integers(-3, 5).filter(lambda v: info.min <= v <= info.max) | st.sampled_from([info.min, info.max])


def arrays(dtypes=_DTYPES, min_dims=0, max_dims=3, min_side=0, max_side=3):
    """Arrays of any of `dtypes`, empty ones included, NaN and infinities among the floats."""
    shape = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    return st.tuples(st.sampled_from(dtypes), shape).flatmap(
        lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=_elements(ds[0]))
    )


def tensors(dtypes=_DTYPES, **shape):
    return arrays(dtypes, **shape).map(lambda a: ("tensor", a))


_PY_SCALARS = (
    st.integers(-3, 5)
    | st.sampled_from([2**31, -(2**31) - 1, 2**63, -(2**70), 2**64])
    | st.sampled_from([0.5, -1.5, float("nan"), float("inf"), 1e300])
    | st.booleans()
)
_RAGGED = st.sampled_from([[[1.0, 2.0], [3.0]], [1.0, [2.0]], [[1, 2], [3, 4, 5]], [[]], []])

# Wrong things where a tensor goes, by kind (a case's `without` leaves kinds out: see GAPS).
KINDS = {
    "scalar": _PY_SCALARS.map(lambda v: ("python", v)),
    "ragged": _RAGGED.map(lambda v: ("python", v)),
    "string": st.sampled_from(["abc", "", "1.5", ["a", "b"]]).map(lambda v: ("python", v)),
    "mixed": st.sampled_from([[1.0, "a"], [None], {"a": 1.0}, (1.0, None)]).map(lambda v: ("python", v)),
    "none": st.just(("python", None)),
    "object": st.just(("object",)),
    "numpy": arrays().map(lambda a: ("numpy", a)),
    "variable": arrays(("float32", "float64", "int32")).map(lambda a: ("variable", a)),
    "tensor_list": st.lists(tensors(max_dims=1, min_side=1), min_size=1, max_size=2).map(lambda s: ("list", s)),
}


def wrong(without=()):
    return st.one_of([s for kind, s in KINDS.items() if kind not in without])


WRONG = wrong()


def operands(dtypes=_DTYPES, without=(), **shape):
    """Mostly tensors (of mismatched dtypes and shapes, some empty), sometimes something wrong."""
    good = tensors(dtypes, **shape)
    return st.one_of(good, good, good, wrong(without))


def ints(low=-4, high=4, typed=True):
    """Python ints (out-of-range ones often), sometimes something wrong (`typed`: floats, strings,
    None, lists and tensors; not where the shim's argument checks differ: GAPS)."""
    plain = st.integers(low, high).map(lambda v: ("python", v))
    if not typed:
        return plain
    return st.one_of(
        plain,
        plain,
        st.sampled_from([1.5, "0", None, [0, 0], [0, 5], [-1, 1]]).map(lambda v: ("python", v)),
        st.lists(st.integers(-3, 3), max_size=2).map(lambda v: ("tensor", np.array(v, np.int32))),
        st.just(("tensor", np.float32(1.0))),
    )


def sizes(typed=True, huge=True, scalar=True):
    """Shapes and sizes: small, zero, negative, huge (their products overflow int64), wrong types
    (`typed`; not where the shim's argument checks differ: GAPS)."""
    dim = st.integers(-2, 3)
    options = [
        st.lists(dim, max_size=3).map(lambda v: ("python", v)),
        st.lists(st.integers(0, 3), max_size=3).map(lambda v: ("python", v)),
    ]
    if scalar:
        options.append(st.sampled_from([-1, 3, 0]).map(lambda v: ("python", v)))
    if huge:
        options.append(st.sampled_from([[2**40, 2**40], [2**62, 2**62, 0], [2**62, -1]]).map(lambda v: ("python", v)))
    if typed:
        options += [
            st.sampled_from([[1.5], ["2"], [None, 2], [[2]], None, "3", 2**63]).map(lambda v: ("python", v)),
            st.lists(st.integers(-1, 3), max_size=2).map(lambda v: ("tensor", np.array(v, np.int64))),
            st.just(("tensor", np.array([2.0], np.float32))),
        ]
    return st.one_of(options)


def dtype_names():
    return st.sampled_from(["float32", "int32", "float16", "bool", "string", "int8", "uint8", "float64"]).map(
        lambda n: ("python", n)
    )


def _optional(**kwargs):
    return st.fixed_dictionaries({}, optional=kwargs)


# Entry points whose messages still differ from TF's on some draws (the class always agrees): only
# the class is compared there, and the figure counts how many of their messages match anyway.
#   - a Python list or scalar argument runs TF's slow path, whose errors end "[Op:Sqrt]" without
#     " name: " (the shim adds it for the unary ops, expand_dims, fill, reshape);
#   - TF checks an op's dtype attr before its shapes and axes, or the shapes' rank before their
#     values (the shim sometimes the other way round): reductions, cumsum, softmax, argmax, split,
#     unstack, tile, broadcast_to, gather, gather_nd, one_hot, slicing ("Attempting to slice scalar
#     input."), where (which input's dtype is named), concat, transpose;
#   - tape.gradient of several targets sums their gradients with AddN (named in its errors); the
#     shim adds pairwise (AddV2);
#   - floordiv and floormod's errors name the node "" whatever `name` says (the shim uses `name`);
#   - add_n checks its inputs' dtype before their shapes (the shim the other way round).
MESSAGES_DIFFER = {
    "argmax", "broadcast_to", "concat", "expand_dims", "fill", "gather", "gather_nd",
    "math.cumsum", "math.is_nan", "math.reduce_logsumexp", "math.reduce_std", "nn.relu",
    "nn.softmax", "one_hot", "reduce_max", "reduce_mean", "reduce_prod", "reduce_sum", "reduce_all", "reshape",
    "split", "tile", "transpose", "unstack", "where", "abs", "math.sign", "pow",
    "clip_by_value", "squeeze", "less", "equal", "math.squared_difference",
    "math.floordiv", "math.floormod", "add_n",
}  # fmt: skip


def _add(api, args, kwargs=None, name=None, covers=(), **options):
    options.setdefault("class_only", api in MESSAGES_DIFFER)
    cases.add(
        call,
        ["fuzz.wrong-arguments", *covers],
        inputs={"args": st.tuples(*args).map(list), "kwargs": _optional(**(kwargs or {}))},
        fixed={"api": api},
        name=name or api.replace(".", "_"),
        module=__name__,
        **options,
    )


# -- GAPS: where the shim still differs from TF 2.21, left out of the draws -----------------------
#
# Each restriction below keeps a kind of wrong argument away from one entry point because the shim
# raises another exception class than TF there (or gives a value where TF raises). They are the
# fuzzer's to-do list: lift one when the shim's op is fixed.
#   - axis/size arguments given as floats, strings, None, lists or tensors (`typed=False`): the
#     shim converts them with Python's int() (TypeError) where TF converts them to tensors
#     (InvalidArgumentError "Value for attr 'Tidx' of float ...", ValueError for None), for
#     concat, expand_dims, squeeze, cumsum, softmax, reduce_logsumexp, one_hot, split, unstack,
#     range, gather's axis, transpose's perm. (Done: reductions, reshape, tile, fill,
#     broadcast_to, zeros, ones: shim/ops/_args.int_argument.)
#   - huge single sizes in zeros/ones/fill/tile (TF: ResourceExhaustedError OOM; shim: numpy's
#     MemoryError or ValueError), sizes whose product overflows int64 in zeros/ones/fill (TF:
#     InvalidArgumentError "would have more than 2**63 - 1 elements"; shim: numpy's ValueError),
#     2**63 sizes (TF: ValueError; shim: OverflowError) and axes past int32 (TF truncates an axis to
#     int32: -(2**40) is axis 0, 2**31 is -2**31; the shim keeps the Python int).
#   - jacobian's unknown unconnected_gradients (TF's pfor raises TypeError "in user code").
#   - tf.constant of a list holding tensors of other shapes or dtypes (TF does not pack them: its
#     ValueError "TypeError: Scalar tensor has no `len()`"; the shim packs them).
#   - one_hot's indices as Python numbers or numpy floats; stack's values other than tensors;
#     unstack with num=0.
#   - a Dense layer called on ints or Python values (Keras' own input checks).
#   - matmul of bools and Python numbers (TF: TypeError "Expected numeric or variant tensor");
#   - concat of an empty list, gather and gather_nd on empty params, transpose with a scalar perm.
#   - slicing keys with an ellipsis and more indices than the rank (the shim's numpy IndexError).
#   - matmul of strings; transpose with perms past int32 (TF truncates them); tf.constant of
#     lists mixing numbers and strings (TF: ValueError "Failed to convert a NumPy array"); int
#     sources of a jacobian, or sources of another float dtype than the target's (TF: "TensorArray
#     dtype is float32 but Op is trying to write int32"); tf.constant of a Variable with a dtype.
#   - concat of lists holding Python numbers of another kind than the tensors (TF: ValueError).
#   - reshape of an empty tensor to a shape with -1 and a 0 (TF infers the -1 as 1); gather_nd on an
#     empty Variable (TF's ResourceGatherNd: "Requested more than 0 entries, but params is empty").
#   - gradients for no sources at all
#     (TF still runs the backward pass and its output-gradient errors; the shim returns at once).
#   - add_n of empty tensors.
#   - binary ops given a Variable of another dtype (TF: ValueError "Incompatible type conversion").
#   - keyword arguments the shim's matmul does not declare (it converts its operands first).
#   - range with dtype uint8 (TF: InvalidArgumentError) and tensor limits.
#   - gather with Python lists of indices (empty ones: TF's ValueError from numpy).

_BAD_NAME = {"nme": st.just(("python", "x"))}
_NO_VARIABLE = ("variable",)

# -- ops: elementwise ---------------------------------------------------------------------

for _api in ("add", "math.subtract", "multiply", "math.divide", "math.truediv", "maximum", "pow"):
    _add(
        _api,
        [operands(), operands(without=_NO_VARIABLE)],
        {"y_": operands(), **_BAD_NAME},
        covers=["fuzz.mismatched-operands"],
    )
for _api in ("math.floordiv", "math.floormod"):
    _add(_api, [operands(), operands(without=_NO_VARIABLE)], _BAD_NAME)
for _api in ("math.squared_difference", "math.divide_no_nan", "equal", "less", "math.atan2"):
    _add(_api, [operands(), operands(without=_NO_VARIABLE)], _BAD_NAME, covers=["fuzz.mismatched-operands"])

for _api in ("sqrt", "exp", "math.log", "abs", "square", "sigmoid", "tanh", "nn.relu", "negative", "math.sign"):
    _add(_api, [operands()], _BAD_NAME, covers=["fuzz.non-tensor-arguments"])
_add("floor", [operands()], covers=["fuzz.non-tensor-arguments"])
_add("math.is_nan", [operands()], covers=["fuzz.non-tensor-arguments"])
_add("round", [operands()], covers=["fuzz.non-tensor-arguments"])
_NOT_INT = ("scalar", "numpy", "variable", "ragged", "tensor_list")
_add("math.reciprocal", [operands()], covers=["fuzz.non-tensor-arguments"])
_add("logical_not", [operands()], covers=["fuzz.non-tensor-arguments"])
for _api in ("logical_and", "logical_or", "math.logical_xor"):
    _add(_api, [operands(), operands()], covers=["fuzz.non-tensor-arguments"])

_NUMBERS = tuple(d for d in _DTYPES if d != "bool")
_NOT_NUMBERS = ("scalar", "string", "numpy", "tensor_list")  # kinds that may hold bools or strings
_add(
    "matmul",
    [operands(_NUMBERS, without=_NOT_NUMBERS), operands(_NUMBERS, without=_NOT_NUMBERS)],
    {"transpose_a": st.just(("python", True))},
)
_add("cast", [operands()], {"dtype": dtype_names()}, covers=["fuzz.dtypes"])
_add("clip_by_value", [operands(), operands(), operands()])
_add(
    "add_n",
    [st.lists(operands(max_dims=2, min_side=1), min_size=1, max_size=3).map(lambda s: ("list", s)) | operands()],
)
_add("where", [operands(min_side=1), operands(min_side=1), operands(min_side=1)])

# -- ops: reductions with an axis -------------------------------------------------------------

for _api in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_prod", "math.reduce_std"):
    _add(
        _api,
        [operands()],
        {
            "axis": ints(),
            "keepdims": st.sampled_from([("python", True), ("python", "yes")]),
            "keep_dims": ints(),
        },
        covers=["fuzz.axes"],
    )
for _api in ("reduce_all", "reduce_any"):
    _add(_api, [operands()], {"axis": ints()}, covers=["fuzz.axes"])
_add("argmax", [operands()], {"axis": ints()}, covers=["fuzz.axes"])
for _api in ("nn.softmax", "math.cumsum", "math.reduce_logsumexp"):
    _add(_api, [operands()], {"axis": ints(typed=False)}, covers=["fuzz.axes"])

# -- ops: arrays, gather, slicing, reshape --------------------------------------------------

_add(
    "concat",
    [st.lists(tensors(), min_size=1, max_size=3).map(lambda s: ("list", s)) | wrong(("ragged",)), ints(typed=False)],
    covers=["fuzz.axes"],
)
_add(
    "stack",
    [st.lists(tensors(), max_size=3).map(lambda s: ("list", s)) | operands(without=("ragged",))],
    {"axis": ints(typed=False)},
)
_add(
    "reshape",
    [operands(min_side=1, without=("ragged", "numpy", "variable")), sizes()],
    covers=["fuzz.sizes"],
)
_add(
    "transpose",
    [operands()],
    {"perm": sizes(typed=False, huge=False, scalar=False), "conjugate": st.just(("python", True))},
)
_add("expand_dims", [operands(), ints(typed=False)], covers=["fuzz.axes"])
_add("squeeze", [operands()], {"axis": ints(typed=False)}, covers=["fuzz.axes"])
_add("tile", [operands(), sizes(huge=False)], covers=["fuzz.sizes"])
_add(
    "gather",
    [operands(min_side=1, without=("ragged", "numpy")), operands(("int32", "int64", "float32"))],
    {"axis": ints(typed=False)},
)
_add(
    "gather_nd",
    [operands(min_side=1, without=("ragged", "numpy", "variable")), operands(("int32", "int64"))],
    covers=["fuzz.indices"],
)
_add(
    "one_hot",
    [operands(("int32", "int64", "uint8"), without=_NOT_INT), ints(-2, 4, typed=False)],
    {"axis": ints(typed=False)},
)
_add("zeros", [sizes(huge=False)], {"dtype": dtype_names()}, covers=["fuzz.sizes"])
_add("ones", [sizes(huge=False)], {"dtype": dtype_names()}, covers=["fuzz.sizes"])
_NOT_SCALAR = ("numpy", "variable", "ragged", "tensor_list", "string", "mixed")
_add("fill", [sizes(huge=False), operands(without=_NOT_SCALAR)], covers=["fuzz.sizes"])
_add(
    "range",
    [ints(-3, 6, typed=False)],
    {
        "limit": ints(-3, 6, typed=False),
        "delta": ints(-2, 2, typed=False),
        "dtype": st.sampled_from(["float32", "int32", "int64", "float64"]).map(lambda n: ("python", n)),
    },
)
_add("broadcast_to", [operands(), sizes()], covers=["fuzz.sizes"])
_add("split", [operands(), ints(1, 4, typed=False)], {"axis": ints(typed=False)}, covers=["fuzz.axes"])
_add("unstack", [operands(min_dims=1)], {"axis": ints(typed=False), "num": ints(1, 4, typed=False)})


def index(tf, x, key):
    """x[key], the key built from its description (ints, slices, ellipsis, newaxis, tensors)."""
    return tf.constant(x)[build(tf, key)]


_KEY_PART = st.one_of(
    st.integers(-4, 4).map(lambda v: ("python", v)),
    st.tuples(st.none() | st.integers(-4, 4), st.none() | st.integers(-4, 4), st.sampled_from([None, 1, -1, 2, 0])).map(
        lambda t: ("slice", *t)
    ),
    st.just(("ellipsis",)),
    st.just(("newaxis",)),
    st.sampled_from([1.5, "a", [0, 1], None]).map(lambda v: ("python", v)),
    tensors(("int32", "int64", "bool", "float32"), max_dims=1),
)
cases.add(
    index,
    ["fuzz.wrong-arguments", "fuzz.indices"],
    inputs={
        "x": arrays(min_dims=0, max_dims=3, min_side=1),
        "key": _KEY_PART
        | st.lists(_KEY_PART.filter(lambda k: k[0] != "ellipsis"), min_size=1, max_size=4).map(lambda s: ("tuple", s)),
    },
    name="slicing",
    module=__name__,
)

# -- conversion and variables --------------------------------------------------------------

_add(
    "constant",
    [operands(without=("tensor_list", "mixed", "variable"))],
    {"dtype": dtype_names(), "shape": sizes(huge=False)},
    covers=["fuzz.dtypes", "fuzz.sizes"],
)
_add("convert_to_tensor", [operands() | WRONG], {"dtype": dtype_names(), "dtype_hint": dtype_names()})


def variable_update(tf, initial, method, value, kwargs):
    """tf.Variable(initial).<method>(value, **kwargs), and the variable's value after."""
    try:
        v = tf.Variable(build(tf, initial))
        out = getattr(v, method)(build(tf, value), **{k: build(tf, s) for k, s in kwargs.items()})
    except Exception as e:
        raise normalised(e) from None
    return out, v


cases.add(
    variable_update,
    ["fuzz.wrong-arguments", "fuzz.variables"],
    inputs={
        "initial": tensors(("float32", "int32", "float64", "bool")),
        "method": st.sampled_from(["assign", "assign_add", "assign_sub"]),
        "value": operands(),
        "kwargs": _optional(read_value=st.just(("python", False)), use_locking=st.just(("python", 1)), valu=ints()),
    },
    name="variable_assign",
    module=__name__,
)
_add("Variable", [operands() | WRONG], {"dtype": dtype_names(), "shape": sizes(huge=False)})

# -- GradientTape --------------------------------------------------------------------------


def watch(tf, x, thing):
    """tape.watch(thing), then the gradient of a function of x with respect to it."""
    x = tf.constant(x)
    thing = build(tf, thing)
    with tf.GradientTape() as tape:
        tape.watch(thing)
        y = x * 2.0
    return tape.gradient(y, x)


cases.add(
    watch,
    ["fuzz.wrong-arguments", "fuzz.tape"],
    inputs={
        "x": arrays(("float32",), max_dims=1),
        "thing": WRONG
        | tensors()
        | st.lists(WRONG | tensors(), max_size=2).map(lambda s: ("list", s))
        | st.dictionaries(st.sampled_from("ab"), tensors() | WRONG, max_size=2).map(lambda d: ("dict", d)),
    },
    name="tape_watch",
    module=__name__,
)

# Which sources a gradient is asked for: the watched x, the target, an unwatched constant,
# an int tensor, something wrong; in nested lists and dicts.
_SOURCE = st.sampled_from(["x", "y", "c", "i", "none", "float", "str", "var"])
_SOURCES = st.recursive(
    _SOURCE,
    lambda children: (
        st.lists(children, min_size=1, max_size=2)
        | st.dictionaries(st.sampled_from("ab"), children, min_size=1, max_size=2)
    ),
    max_leaves=3,
)


# jacobian: no int sources (TF's for_loop fails writing their int gradients to a float32 TensorArray)
_JACOBIAN_SOURCES = st.recursive(
    _SOURCE.filter(lambda s: s != "i"),
    lambda children: (
        st.lists(children, min_size=1, max_size=2)
        | st.dictionaries(st.sampled_from("ab"), children, min_size=1, max_size=2)
    ),
    max_leaves=3,
)


def pick(named, spec):
    """The structure of sources `spec` names (leaves are keys of `named`, or 'float'/'str')."""
    if isinstance(spec, list):
        return [pick(named, s) for s in spec]
    if isinstance(spec, dict):
        return {k: pick(named, s) for k, s in spec.items()}
    if spec == "float":
        return 1.5
    if spec == "str":
        return "x"
    return named[spec]


def tape_gradient(tf, x, dtype, target, sources, output_gradients, unconnected, persistent, twice):
    """tape.gradient(target, sources, output_gradients, unconnected_gradients) with wrong things."""
    x = tf.constant(x.astype(dtype))
    c = tf.constant(np.float32(2.0))
    i = tf.constant(3)
    var = tf.Variable(1.0)
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(x)
        tape.watch(i)
        y = x * x if target != "int" else i * i
    named = {"x": x, "y": y, "c": c, "i": i, "none": None, "var": var}
    targets = {"y": y, "int": y, "list": [y], "dict": {"a": y}, "none": None, "float": 1.5}  # one target: see below
    kwargs = {} if unconnected == "default" else {"unconnected_gradients": unconnected}
    first = tape.gradient(targets[target], pick(named, sources), output_gradients=build(tf, output_gradients), **kwargs)
    if twice:
        return first, tape.gradient(y, x)
    return first


cases.add(
    tape_gradient,
    ["fuzz.wrong-arguments", "fuzz.tape", "fuzz.nested-structures"],
    inputs={
        "x": arrays(("float32",), max_dims=2, min_side=1),
        "dtype": st.sampled_from(["float32", "float64", "int32", "float16"]),
        "target": st.sampled_from(["y", "y", "int", "list", "dict", "none", "float"]),
        "sources": _SOURCES,
        # one tensor or Python scalar, not lists: TF 2.21 crashes when output_gradients flatten to fewer
        # entries than the targets (a segfault in imperative_grad), or hold None (pywrap_tfe_src.cc: Check
        # failed: gradient_tensors[i] != Py_None)
        "output_gradients": st.one_of(st.just(("python", None)), tensors(), KINDS["scalar"], KINDS["object"]),
        "unconnected": st.sampled_from(["default", "zero", "none", "ZERO", "ones", "", 0]),
        "persistent": st.booleans(),
        "twice": st.booleans(),
    },
    name="tape_gradient",
    module=__name__,
    class_only=True,  # gradients of several targets: TF sums them with AddN, named in its dtype errors
)


def tape_jacobian(tf, x, dtype, target, sources, unconnected, experimental_use_pfor):
    """tape.jacobian(target, sources, unconnected_gradients=...) with wrong things."""
    x = tf.constant(x.astype(dtype))
    c = tf.constant(np.float32(2.0))
    i = tf.constant(3)
    var = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    named = {"x": x, "y": y, "c": c, "i": i, "none": None, "var": var}
    targets = {"y": y, "list": [y], "none": None, "c": c}
    kwargs = {} if unconnected == "default" else {"unconnected_gradients": unconnected}
    return tape.jacobian(targets[target], pick(named, sources), experimental_use_pfor=experimental_use_pfor, **kwargs)


cases.add(
    tape_jacobian,
    ["fuzz.wrong-arguments", "fuzz.tape"],
    inputs={
        "x": arrays(("float32",), max_dims=2, min_side=1),
        "dtype": st.just("float32"),  # GAPS: sources of another dtype than the target's
        "target": st.sampled_from(["y", "y", "list", "none", "c"]),
        "sources": _JACOBIAN_SOURCES,
        "unconnected": st.sampled_from(["default", "zero", "none"]),
        "experimental_use_pfor": st.booleans(),
    },
    name="tape_jacobian",
    module=__name__,
    max_examples=150,
    class_only=True,  # TF's pfor runs the gradients in a tf.function: its errors say "in user code:" and where
)

# -- Keras layers called with wrong shapes ---------------------------------------------------


def keras_dense(tf, units, first, second):
    """A Dense layer built on one input, then called on another (wrong rank, width, dtype, kind)."""
    layer = tf.keras.layers.Dense(build(tf, units))
    out = layer(build(tf, first))
    return out.shape, layer(build(tf, second)).shape


cases.add(
    keras_dense,
    ["fuzz.wrong-arguments", "fuzz.keras"],
    inputs={
        "units": st.one_of(st.integers(1, 3).map(lambda v: ("python", v)), ints(typed=False)),
        "first": tensors(("float32",), min_dims=1, min_side=1),
        "second": tensors(("float32",), min_side=1),
    },
    name="keras_dense",
    module=__name__,
    class_only=True,  # Keras' texts name the layer's call and its arguments' symbolic reprs
    max_examples=150,
)
