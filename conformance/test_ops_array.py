"""Array ops: shapes and layout, joining and splitting, slicing and indexing, casts,
and the ops that create tensors.

Layout ops are compared forward and backward (gradients with a drawn upstream
gradient, as output_gradients) over drawn shapes, axes and dtypes; creation ops by
their values and dtypes (random draws by dtype and shape only). Invalid axes, shapes,
indices and ranges raise TensorFlow's exact errors (cases `*_errors`).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import upstream_like


def test_ops_array(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


def _index(key):
    """A key from data: [start, stop, step] lists are slices, "..." is Ellipsis, None is tf.newaxis."""
    return tuple(slice(*item) if isinstance(item, list) else Ellipsis if item == "..." else item for item in key)


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")
_EIGHTHS = st.integers(-40, 40).map(lambda n: n / 8)  # exact in every float dtype
_SPREAD = st.floats(-5, 5).filter(lambda v: v == 0 or abs(v) > 1e-3)  # any float64 away from float16's subnormals


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _arrays(shape):
    """float64 arrays (cast to the case's dtype inside it) of `shape` (a tuple or a strategy)."""
    return hnp.arrays(np.float64, shape, elements=_EIGHTHS)


def _shaped(min_dims=0, max_dims=3, max_side=4, min_side=1):
    return _arrays(strategies.shapes(min_dims, max_dims, min_side=min_side, max_side=max_side))


def _then(arrays, axis_of):
    """(x, something drawn from x's shape)."""
    return arrays.flatmap(lambda x: st.tuples(st.just(x), axis_of(x.shape)))


def _keys(shape):
    """Basic index keys for `shape`: ints, [start, stop, step] slices, "...", None (newaxis)."""

    def item(d):
        bound = st.none() | st.integers(-d - 1, d + 1)
        return st.integers(-d, d - 1) | st.tuples(bound, bound, st.sampled_from([None, 1, 2, -1, -2])).map(list)

    def build(parts):
        items, count, ellipsis, newaxis = parts
        key = ["..."] + list(items[len(items) - count :]) if ellipsis else list(items[:count])
        if newaxis is not None:
            key.insert(min(newaxis, len(key)), None)
        return key

    return st.tuples(
        st.tuples(*(item(d) for d in shape)),
        st.integers(0, len(shape)),
        st.booleans(),
        st.none() | st.integers(0, len(shape)),
    ).map(build)


# -- one-input layout ops: value and gradient -------------------------------------------------


def layout(tf, op, dtype, x_arg, up):
    """tf.<op>(x, arg) forward and backward."""
    x, arg = x_arg
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        if op == "reshape":
            y = tf.reshape(x, arg)
        elif op == "transpose":
            y = tf.transpose(x) if arg is None else tf.transpose(x, perm=arg)
        elif op == "expand_dims":
            y = tf.expand_dims(x, arg)
        elif op == "squeeze":
            y = tf.squeeze(x, arg)
        elif op == "tile":
            y = tf.tile(x, arg)
        elif op == "broadcast_to":
            y = tf.broadcast_to(x, arg)
        elif op == "identity":
            y = tf.identity(x)
        elif op == "stop_gradient":
            y = tf.stop_gradient(x) * 2.0
        else:
            raise ValueError(op)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


_SIZE_12 = st.sampled_from([(12,), (3, 4), (2, 6), (2, 2, 3), (1, 12)])
_TO_12 = st.sampled_from([[4, 3], [-1], (2, -1), [3, 2, 2], (1, 12), [-1, 2, 3], [12, 1, 1], np.array([6, -1])])


def _perms(shape):
    rank = len(shape)
    return st.none() | st.permutations(list(range(rank))) | st.permutations(list(range(-rank, 0)))


def _squeezable(shape):
    ones = [i for i, d in enumerate(shape) if d == 1]
    chosen = st.lists(st.sampled_from(ones + [i - len(shape) for i in ones]), max_size=2).filter(
        lambda axes: len({a % len(shape) for a in axes}) == len(axes)
    )
    return st.none() | chosen if ones else st.none()


def _multiples(shape):
    return st.lists(st.integers(0, 3), min_size=len(shape), max_size=len(shape))


_FULL = (2, 2, 3)
_TO_FULL = st.sampled_from([[2, 2, 3], (3, 2, 2, 3), [1, 2, 2, 3]])
_BROADCASTABLE = st.lists(st.booleans(), max_size=3).map(
    lambda keep: tuple(_FULL[3 - len(keep) + i] if k else 1 for i, k in enumerate(keep))
)

# op, catalogue name, x's shape, the argument drawn from x's shape (or alone)
_LAYOUT = [
    ("reshape", _arrays(_SIZE_12), lambda shape: _TO_12),
    ("transpose", _shaped(), _perms),
    ("expand_dims", _shaped(), lambda shape: st.integers(-len(shape) - 1, len(shape))),
    ("squeeze", _arrays(strategies.shapes(0, 4, max_side=2)), _squeezable),
    ("tile", _shaped(1, 3, max_side=3), _multiples),
    ("broadcast_to", _arrays(_BROADCASTABLE), lambda shape: _TO_FULL),
    ("identity", _shaped(), lambda shape: st.none()),
    ("stop_gradient", _shaped(), lambda shape: st.none()),
]

for _op, _x, _arg in _LAYOUT:
    cases.add(
        layout,
        [f"ops.{_op}", "structures.output-gradients"]
        + (["cutoffs.stop-gradient"] if _op == "stop_gradient" else [])
        + (["tape.broadcasting"] if _op in ("broadcast_to", "tile") else []),
        inputs={
            "dtype": st.sampled_from(FLOATS),
            "x_arg": _then(_x, _arg),
            "up": upstreams(),
        },
        fixed={"op": _op},
        name=_op,
        module=__name__,
    )


# -- joining and splitting -----------------------------------------------------------------


def _concat_parts(draw_sizes=True):
    """(parts, axis): 1-3 arrays equal but along `axis`, where sizes differ (0 allowed)."""

    def build(spec):
        base, axis, sizes = spec
        shapes = [tuple(s if i == axis % len(base) else d for i, d in enumerate(base)) for s in sizes]
        return st.tuples(st.tuples(*(_arrays(shape) for shape in shapes)).map(list), st.just(axis))

    def spec(base):
        sizes = st.lists(st.integers(0, 3), min_size=1, max_size=3)
        return st.tuples(st.just(base), st.integers(-len(base), len(base) - 1), sizes)

    return strategies.shapes(1, 3, max_side=3).flatmap(spec).flatmap(build)


@case(
    ["ops.concat", "structures.output-gradients"],
    inputs={"dtype": st.sampled_from(FLOATS), "parts_axis": _concat_parts(), "up": upstreams()},
    name="concat",
)
def case_concat(tf, dtype, parts_axis, up):
    parts, axis = parts_axis
    parts = [tf.constant(p.astype(dtype)) for p in parts]
    with tf.GradientTape() as tape:
        tape.watch(parts)
        y = tf.concat(parts, axis)
    return y, tape.gradient(y, parts, output_gradients=upstream_like(tf, y, up))


def _stack_parts(shape):
    return st.tuples(
        st.lists(_arrays(shape), min_size=1, max_size=3),
        st.integers(-len(shape) - 1, len(shape)),
    )


@case(
    ["ops.stack", "structures.output-gradients"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "parts_axis": strategies.shapes(0, 2, max_side=3).flatmap(_stack_parts),
        "up": upstreams(),
    },
    name="stack",
)
def case_stack(tf, dtype, parts_axis, up):
    parts, axis = parts_axis
    parts = [tf.constant(p.astype(dtype)) for p in parts]
    with tf.GradientTape() as tape:
        tape.watch(parts)
        y = tf.stack(parts, axis=axis)
    return y, tape.gradient(y, parts, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.unstack", "structures.output-gradients", "structures.several-targets-sum"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "x_axis": _then(_shaped(1, 3, max_side=3), lambda shape: st.integers(-len(shape), len(shape) - 1)),
        "up": upstreams(),
    },
    name="unstack",
)
def case_unstack(tf, dtype, x_axis, up):
    x, axis = x_axis
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        ys = tf.unstack(x, axis=axis)
    return ys, tape.gradient(ys, x, output_gradients=[upstream_like(tf, y, up[i:] + up[:i]) for i, y in enumerate(ys)])


# -- slicing --------------------------------------------------------------------------------


def _slice_args(shape):
    def dim(d):
        return st.integers(0, d).flatmap(lambda b: st.tuples(st.just(b), st.integers(-1, d - b)))

    return st.tuples(*(dim(d) for d in shape)).map(lambda pairs: ([b for b, _ in pairs], [s for _, s in pairs]))


@case(
    ["ops.slice", "structures.output-gradients"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_args": _then(_shaped(1, 3), _slice_args), "up": upstreams()},
    name="slice",
)
def case_slice(tf, dtype, x_args, up):
    x, (begin, size) = x_args
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.slice(x, begin, size)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.strided-slice", "control_flow.loops-and-slices", "structures.output-gradients"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_key": _then(_shaped(1, 3), _keys), "up": upstreams()},
    examples=[
        {"dtype": "float32", "x_key": (np.arange(12.0).reshape(3, 4), [[None, None, -1], [1, None, 2]]), "up": [1.0]},
        {"dtype": "float32", "x_key": (np.arange(12.0).reshape(3, 4), ["...", -1, None]), "up": [0.5]},
        {"dtype": "float32", "x_key": (np.arange(12.0).reshape(3, 4), [[5, -9, -1]]), "up": [0.5]},
    ],
    name="strided_slice",
)
def case_strided_slice(tf, dtype, x_key, up):
    """`x[key]` with ints, slices with steps (negative too), `...` and tf.newaxis."""
    x, key = x_key
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[_index(key)]
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.strided-slice", "control_flow.loops-and-slices"],
    inputs={"x": strategies.arrays("float32", (3, 4)), "i": st.integers(-3, 2)},
)
def strided_slice_tensor_indices(tf, x, i):
    """Scalar int32/int64 tensors index like ints; a loop over rows differentiates each row read."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.constant(0.0)
        for row in range(3):
            total = total + tf.reduce_sum(x[tf.constant(row)] * float(row + 1))
    return x[tf.constant(i)], x[tf.constant(i, tf.int64), 1:], x[i:, tf.constant(-1)], tape.gradient(total, x)


# -- errors of shape and axis arguments ---------------------------------------------------------


def _bad_call(tf, which):
    """One invalid call, by name."""
    x = tf.reshape(tf.range(6.0), (2, 3))
    if which == "reshape size":
        return tf.reshape(x, (4,))
    if which == "reshape multiple":
        return tf.reshape(x, (-1, 4))
    if which == "reshape two -1":
        return tf.reshape(x, (-1, -1))
    if which == "reshape negative":
        return tf.reshape(x, (2, -2))
    if which == "transpose length":
        return tf.transpose(x, [0])
    if which == "transpose repeated":
        return tf.transpose(x, [0, 0])
    if which == "transpose range":
        return tf.transpose(x, [0, 2])
    if which == "expand_dims high":
        return tf.expand_dims(x, 3)
    if which == "expand_dims low":
        return tf.expand_dims(x, -4)
    if which == "squeeze not one":
        return tf.squeeze(x, 0)
    if which == "squeeze range":
        return tf.squeeze(x, 5)
    if which == "concat dims":
        return tf.concat([x, tf.ones((3, 3))], 1)
    if which == "concat axis":
        return tf.concat([x, x], 2)
    if which == "concat ranks":
        return tf.concat([x, tf.ones((3,))], 0)
    if which == "concat dtypes":
        return tf.concat([x, tf.ones((2, 3), tf.float64)], 0)
    if which == "stack shapes":
        return tf.stack([x, tf.ones((3, 2))])
    if which == "stack axis":
        return tf.stack([x, x], 3)
    if which == "stack nothing":
        return tf.stack([])
    if which == "unstack axis":
        return tf.unstack(x, axis=2)
    if which == "unstack num":
        return tf.unstack(x, num=3)
    if which == "unstack scalar":
        return tf.unstack(tf.constant(1.0))
    if which == "tile length":
        return tf.tile(x, [2])
    if which == "tile negative":
        return tf.tile(x, [2, -1])
    if which == "broadcast_to shapes":
        return tf.broadcast_to(x, (3, 3))
    if which == "broadcast_to rank":
        return tf.broadcast_to(x, (3,))
    if which == "slice size":
        return tf.slice(x, [0, 1], [2, 3])
    if which == "slice begin":
        return tf.slice(x, [3, 0], [-1, -1])
    if which == "slice length":
        return tf.slice(x, [0], [1])
    if which == "index high":
        return x[2]
    if which == "index second dim":
        return x[:, 5]
    if which == "index low":
        return x[-3]
    if which == "index too many":
        return x[0, 0, 0]
    if which == "index float":
        return x[1.0]
    if which == "index float tensor":
        return x[tf.constant(1.0)]
    if which == "index two ellipses":
        return x[..., ...]
    if which == "index zero step":
        return x[::0]
    raise ValueError(which)


_ERRORS = {
    "reshape": ["reshape size", "reshape multiple", "reshape two -1", "reshape negative"],
    "transpose": ["transpose length", "transpose repeated", "transpose range"],
    "expand_dims": ["expand_dims high", "expand_dims low"],
    "squeeze": ["squeeze not one", "squeeze range"],
    "concat": ["concat dims", "concat axis", "concat ranks", "concat dtypes"],
    "stack": ["stack shapes", "stack axis", "stack nothing"],
    "unstack": ["unstack axis", "unstack num", "unstack scalar"],
    "tile": ["tile length", "tile negative"],
    "broadcast_to": ["broadcast_to shapes", "broadcast_to rank"],
    "slice": ["slice size", "slice begin", "slice length"],
    "strided-slice": [
        "index high",
        "index second dim",
        "index low",
        "index too many",
        "index float",
        "index float tensor",
        "index two ellipses",
        "index zero step",
    ],
}


def array_errors(tf, which):
    return _bad_call(tf, which)


for _op, _variants in _ERRORS.items():
    cases.add(
        array_errors,
        [f"ops.{_op}", "conversion.incompatible-shapes"],
        examples=[{"which": v} for v in _variants],
        name=f"{_op.replace('-', '_')}_errors",
        module=__name__,
    )


# -- casts --------------------------------------------------------------------------------------


@case(
    ["ops.cast", "structures.output-gradients", "dtypes.integer-gradient-none"],
    inputs={
        "source": st.sampled_from(FLOATS),
        "target": st.sampled_from(FLOATS + ("int8", "int16", "int32", "int64", "uint8", "bool")),
        "x": hnp.arrays(np.float64, strategies.shapes(), elements=_SPREAD),
        "up": upstreams(),
    },
    examples=[{"source": "float32", "target": "int32", "x": np.array([-2.7, -0.5, 0.0, 0.5, 2.7]), "up": [1.0]}],
    name="cast",
)
def case_cast(tf, source, target, x, up):
    """Floats to floats round to nearest, to integers truncate toward zero, to bool test != 0."""
    if target == "uint8":
        x = np.abs(x)  # negative floats to unsigned are undefined in C++
    x = tf.constant(x.astype(source))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x, target)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.cast"],
    inputs={
        "x": strategies.int_arrays(st.sampled_from(("int32", "int64", "uint8")), low=-3, high=300),
        "target": st.sampled_from(FLOATS + ("int8", "uint8", "int32", "int64", "bool")),
    },
)
def cast_integers(tf, x, target):
    """Integer casts wrap around as C's do; bools come from != 0 and go to 0/1."""
    x = tf.constant(x)
    return tf.cast(x, target), tf.cast(tf.cast(x, tf.bool), target)


# -- creating tensors -----------------------------------------------------------------------------

_ALL_DTYPES = ("float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool", "string")


def filled(tf, op, shape, dtype, form):
    """tf.zeros or tf.ones of a shape given as a list, tuple, tensor or TensorShape."""
    if form == "tuple":
        shape = tuple(shape)
    elif form == "tensor":
        shape = tf.constant(shape, dtype=tf.int32)
    elif form == "TensorShape":
        shape = tf.TensorShape(shape)
    fn = tf.zeros if op == "zeros" else tf.ones
    return fn(3), fn([]), fn(shape, dtype=dtype)


for _op in ("zeros", "ones"):
    cases.add(
        filled,
        [f"ops.{_op}"],
        inputs={
            "shape": st.lists(st.integers(0, 3), max_size=3),
            "dtype": st.sampled_from(_ALL_DTYPES),
            "form": st.sampled_from(["list", "tuple", "tensor", "TensorShape"]),
        },
        examples=[
            {"shape": [2], "dtype": "string", "form": "list"},
            {"shape": [2, -1], "dtype": "int32", "form": "list"},
        ],
        fixed={"op": _op},
        name=_op,
        module=__name__,
    )


@case(
    ["ops.zeros_like", "ops.ones_like"],
    inputs={
        "x": st.sampled_from(["float16", "float64", "int32", "uint8", "bool"]).flatmap(
            lambda d: hnp.arrays(np.dtype(d), strategies.shapes(), elements=st.integers(0, 1) if d != "bool" else None)
        ),
        "dtype": st.none() | st.sampled_from(["float32", "int64", "bool"]),
        "up": upstreams(),
    },
)
def zeros_like_and_ones_like(tf, x, dtype, up):
    """Values and dtypes; neither op passes a gradient back (None)."""
    x = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        zeros = tf.zeros_like(x, dtype=dtype)
        ones = tf.ones_like(x, dtype=dtype)
    return zeros, ones, tape.gradient(zeros, x), tape.gradient(ones, x), tf.zeros_like([1.5, 2.5]), tf.ones_like(3)


@case(
    ["ops.fill"],
    inputs={
        "dims": st.lists(st.integers(0, 3), max_size=3),
        "value": st.sampled_from([1.5, -2, True, "a"]) | strategies.scalars(st.sampled_from(FLOATS)),
    },
    name="fill",
)
def case_fill(tf, dims, value):
    """The value's own dtype: Python floats float32, ints int32, numpy scalars keep theirs."""
    return tf.fill(dims, value), tf.fill(tf.constant(dims, tf.int64), value)


@case(
    ["ops.fill-gradient"],
    inputs={
        "dims": st.lists(st.integers(0, 3), max_size=3),
        "value": strategies.arrays(st.sampled_from(FLOATS), st.sampled_from([(), (1,)])),
        "up": upstreams(),
    },
    examples=[
        {"dims": [2, 3], "value": np.float32(1.5), "up": [1.0, -0.5]},
        {"dims": [3], "value": np.array([2.0], dtype=np.float32), "up": [0.5]},
    ],
)
def fill_gradient(tf, dims, value, up):
    """The value gets the sum of the upstream gradient, a scalar even for a one-element vector."""
    v = tf.Variable(value)
    with tf.GradientTape() as tape:
        y = tf.fill(dims, v)
    return y, tape.gradient(y, v, output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.linspace"],
    inputs={
        "start": strategies.python_floats(-4, 4),
        "stop": strategies.python_floats(-4, 4),
        "num": st.integers(-1, 7),
        "kind": st.sampled_from(["python", "float64", "int", "tensor float16"]),
    },
    name="linspace",
)
def case_linspace(tf, start, stop, num, kind):
    """float32 from Python floats, float64 from float64 or integer endpoints."""
    if kind == "float64":
        start, stop = np.float64(start), np.float64(stop)
    elif kind == "int":
        start, stop = int(start), int(stop)
    elif kind == "tensor float16":
        start, stop = tf.constant(start, tf.float16), tf.constant(stop, tf.float16)
    return tf.linspace(start, stop, num)


@case(
    ["ops.linspace-gradient"],
    inputs={
        "ends": _shaped(0, 2, max_side=3).flatmap(
            lambda a: st.tuples(st.just(a), _arrays(st.sampled_from([a.shape, ()])))
        ),
        "num": st.integers(0, 6),
        "axis": st.integers(-3, 2),
        "dtype": st.sampled_from(["float32", "float64"]),
        "up": upstreams(),
    },
    examples=[
        {"ends": (np.float64(1.0), np.float64(3.0)), "num": 5, "axis": 0, "dtype": "float32", "up": [1.0, 2.0]},
        {"ends": (np.array([1.0, 2.0]), np.array([3.0, 5.0])), "num": 3, "axis": 1, "dtype": "float64", "up": [0.5]},
    ],
)
def linspace_gradient(tf, ends, num, axis, dtype, up):
    """Both endpoints get gradients, from the ramp between them along `axis`."""
    start, stop = (tf.Variable(tf.constant(end, dtype)) for end in ends)
    with tf.GradientTape() as tape:
        y = tf.linspace(start, stop, num, axis=axis)
    return y, tape.gradient(y, [start, stop], output_gradients=upstream_like(tf, y, up))


@case(
    ["ops.range"],
    inputs={
        "start": st.integers(-4, 4) | strategies.python_floats(-4, 4),
        "length": st.integers(0, 5),
        "delta": st.sampled_from([1, 2, -1, -3, 0.5, -1.5]),
        "dtype": st.none() | st.sampled_from(["int32", "int64", "float32", "float64"]),
    },
    name="range",
)
def case_range(tf, start, length, delta, dtype):
    """tf.range(start, limit, delta): the dtype is the widest of the arguments' (or dtype=)."""
    limit = start + length * delta
    return tf.range(start, limit, delta, dtype=dtype), tf.range(length), tf.range(tf.constant(length, tf.int64))


@case(
    ["ops.range"],
    examples=[
        {"which": "delta zero"},
        {"which": "wrong direction"},
        {"which": "wrong direction negative"},
        {"which": "string dtype"},
    ],
)
def range_errors(tf, which):
    if which == "delta zero":
        return tf.range(0, 5, 0)
    if which == "wrong direction":
        return tf.range(5, 0, 1)
    if which == "wrong direction negative":
        return tf.range(0, 5, -1)
    return tf.range(3, dtype=tf.string)


@case(
    ["ops.eye"],
    inputs={
        "rows": st.integers(0, 4),
        "columns": st.none() | st.integers(0, 4),
        "batch_shape": st.none() | st.sampled_from([[2], [1, 2], []]),
        "dtype": st.sampled_from(["float32", "float64", "float16", "int32", "bool"]),
    },
    name="eye",
)
def case_eye(tf, rows, columns, batch_shape, dtype):
    return tf.eye(rows, columns, batch_shape=batch_shape, dtype=dtype)


@case(
    ["ops.random.normal", "ops.random.uniform"],
    inputs={
        "shape": st.lists(st.integers(0, 3), max_size=3),
        "dtype": st.sampled_from(FLOATS),
        "seed": st.none() | st.integers(0, 100),
    },
    random=True,
)
def random_draws(tf, shape, dtype, seed):
    return [
        tf.random.normal(shape, dtype=dtype, seed=seed),
        tf.random.normal(shape, mean=2.0, stddev=0.5, dtype=dtype),
        tf.random.uniform(shape, dtype=dtype, seed=seed),
        tf.random.uniform(shape, minval=-1, maxval=3, dtype=dtype),
        tf.random.uniform(shape, maxval=10, dtype=tf.int32),
        tf.random.uniform(tf.constant(shape, tf.int32), maxval=10, dtype=tf.int64),
    ]


@case(["ops.random.uniform"])
def random_uniform_int_needs_maxval(tf):
    return tf.random.uniform((2,), dtype=tf.int32)


@case(
    ["ops.image.adjust_contrast"],
    inputs={
        "images": hnp.arrays(
            np.float64, strategies.shapes(3, 4, max_side=3), elements=st.integers(0, 64).map(lambda n: n / 64)
        ),
        "dtype": st.sampled_from(["float32", "float64", "float16"]),
        "factor": strategies.python_floats(-2, 3),
    },
    name="adjust_contrast",
)
def case_adjust_contrast(tf, images, dtype, factor):
    """Forward only: (x - mean) * factor + mean per channel over height and width, in float32."""
    return tf.image.adjust_contrast(tf.constant(images.astype(dtype)), factor)


# -- conversion ---------------------------------------------------------------------------------


def _convertible(kind):
    """A value to convert, by name."""
    if kind == "floats":
        return [[1.5, 2.0], [-0.25, 3.0]]
    if kind == "ints":
        return [1, -2, 3]
    if kind == "big ints":
        return [1, 2**40]
    if kind == "mixed":
        return [1, 2.5]
    if kind == "bools":
        return [True, False]
    if kind == "strings":
        return ["a", "bc"]
    if kind == "float64 array":
        return np.array([1.5, -2.0])
    if kind == "int8 array":
        return np.array([[1, 2]], np.int8)
    if kind == "numpy scalar":
        return np.float16(2.5)
    if kind == "ragged":
        return [[1, 2], [3]]
    raise ValueError(kind)


@case(
    ["ops.convert_to_tensor", "conversion.python-values", "conversion.numpy-keeps-dtype", "conversion.dtype-argument"],
    inputs={
        "kind": st.sampled_from(
            ["floats", "ints", "big ints", "mixed", "bools", "strings", "float64 array", "int8 array", "numpy scalar"]
            + ["ragged"]
        ),
        "dtype": st.none() | st.sampled_from(["float32", "float64", "int32", "int64", "bool", "string"]),
    },
    name="convert_to_tensor",
)
def case_convert_to_tensor(tf, kind, dtype):
    return tf.convert_to_tensor(_convertible(kind), dtype=dtype)


@case(["ops.convert_to_tensor", "conversion.dtype-argument"])
def convert_to_tensor_tensors(tf):
    """A tensor converts to itself; asking for another dtype raises (conversion never casts)."""
    t = tf.constant([1.5])
    v = tf.Variable([2.5])
    same = tf.convert_to_tensor(t)
    read = tf.convert_to_tensor(v)
    try:
        tf.convert_to_tensor(t, dtype=tf.float64)
    except ValueError as e:
        error = f"{type(e).__name__}: {e}"
    return same is t, read, type(read).__name__, error, tf.convert_to_tensor(t, dtype_hint=tf.float64)


@case(["ops.is_tensor"], name="is_tensor")
def case_is_tensor(tf):
    values = [tf.constant(1.0), tf.Variable(1.0), tf.Variable(1.0) + 1, np.array(1.0), [1.0], 1.0, "a", None]
    return [tf.is_tensor(v) for v in values]
