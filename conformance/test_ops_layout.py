"""Layout ops that move elements: tf.strided_slice (the function form), tf.split, tf.pad,
tf.reverse, tf.roll, tf.repeat, tf.meshgrid and tf.boolean_mask; and tf.one_hot.

Each is compared forward and backward over drawn shapes, arguments and dtypes (gradients
with a drawn upstream gradient; split's with some parts left out, which count as zeros),
and in a jacobian (a batch of upstream gradients at once). Invalid arguments raise
TensorFlow's exact errors (cases `*_errors`), named or not as TF's fast and slow paths name
them (a Python list argument takes the slow path).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import upstream_like


def test_ops_layout(case, check):
    check(case)


FLOATS = ("float16", "float32", "float64")
_EIGHTHS = st.integers(-40, 40).map(lambda n: n / 8)  # exact in every float dtype


def upstreams():
    """A few nonzero multiples of 1/8, repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def _arrays(min_dims=1, max_dims=3, max_side=4, min_side=1):
    shape = strategies.shapes(min_dims, max_dims, min_side=min_side, max_side=max_side)
    return hnp.arrays(np.float64, shape, elements=_EIGHTHS)


def _then(arrays, draw_of):
    """(x, something drawn from x's shape)."""
    return arrays.flatmap(lambda x: st.tuples(st.just(x), draw_of(x.shape)))


def _watched(tf, x, dtype, fn, up):
    """fn(x) and its gradient for a drawn upstream gradient."""
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


# -- strided_slice ---------------------------------------------------------------------------


def _slice_spec(shape):
    """begin, end, strides and the five masks for `shape` (a bit per position of the spec)."""
    rank = len(shape)

    def dim(d):
        bound = st.integers(-d - 1, d + 1)
        return st.tuples(bound, bound, st.sampled_from([1, 2, -1, -2]))

    bits = st.integers(0, 2**rank - 1)
    return st.tuples(st.tuples(*(dim(d) for d in shape)), bits, bits, bits, bits).map(
        lambda p: {
            "begin": [b for b, _, _ in p[0]],
            "end": [e for _, e, _ in p[0]],
            "strides": [s for _, _, s in p[0]],
            "begin_mask": p[1],
            "end_mask": p[2],
            "new_axis_mask": p[3] & ~p[4] & 1,  # a new axis at the front, now and then
            "shrink_axis_mask": p[4],
        }
    )


@case(
    ["ops.strided-slice-function"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_spec": _then(_arrays(1, 3), _slice_spec), "up": upstreams()},
    examples=[
        {
            "dtype": "float32",
            "x_spec": (
                np.arange(12.0).reshape(3, 4),
                {
                    "begin": [0, 1],
                    "end": [3, 4],
                    "strides": [2, 2],
                    "begin_mask": 0,
                    "end_mask": 0,
                    "new_axis_mask": 0,
                    "shrink_axis_mask": 0,
                },
            ),
            "up": [1.0],
        },
    ],
    name="strided_slice",
)
def case_strided_slice(tf, dtype, x_spec, up):
    """tf.strided_slice(x, begin, end, strides, masks...): values and gradient (shrink and
    out-of-range indices raise TF's errors)."""
    x, spec = x_spec
    return _watched(tf, x, dtype, lambda t: tf.strided_slice(t, **spec), up)


@case(["ops.strided-slice-function"], inputs={"x": _arrays(2, 2, min_side=2)})
def strided_slice_ellipsis(tf, x):
    """An ellipsis bit, new axes after it, and int64 tensor arguments."""
    x = tf.constant(x)
    begin, end = tf.constant([0, 0, 1], tf.int64), tf.constant([0, 0, 2], tf.int64)
    return (
        tf.strided_slice(x, begin, end, ellipsis_mask=1, new_axis_mask=2),
        tf.strided_slice(x, [0, 1], [0, 2], ellipsis_mask=1),
        tf.strided_slice(x, [1, 0], [0, 0], shrink_axis_mask=1, ellipsis_mask=2),
    )


# -- split -----------------------------------------------------------------------------------


def _split_args(shape):
    """(num_or_size_splits, axis): a divisor count, or sizes (one may be -1) summing to the size."""
    rank = len(shape)

    def for_axis(axis):
        size = shape[axis]
        counts = st.sampled_from([n for n in range(1, max(size, 2) + 1) if size % n == 0])  # a 0 size splits any way
        cuts = st.lists(st.integers(0, size), max_size=3).map(sorted)
        sizes = cuts.map(lambda c: [b - a for a, b in zip([0, *c], [*c, size])])
        unknown = st.tuples(sizes, st.integers(0, 3)).map(
            lambda p: [-1 if i == p[1] % len(p[0]) else s for i, s in enumerate(p[0])]
        )
        return st.tuples(counts | sizes | unknown, st.sampled_from([axis, axis - rank]))

    return st.integers(0, rank - 1).flatmap(for_axis)


@case(
    ["ops.split"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "x_args": _then(_arrays(1, 3, min_side=0), _split_args),
        "used": st.lists(st.booleans(), min_size=4, max_size=4),
        "up": upstreams(),
    },
    examples=[
        {"dtype": "float32", "x_args": (np.arange(12.0).reshape(3, 4), ([1, -1], 1)), "used": [True] * 4, "up": [1.0]}
    ],
    name="split",
)
def case_split(tf, dtype, x_args, used, up):
    """Parts by count or by sizes; the gradient of the parts used (the others count as zeros)."""
    x, (splits, axis) = x_args
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        parts = tf.split(x, splits, axis=axis)
        total = [p * upstream_like(tf, p, up) for p, keep in zip(parts, used * 2) if keep]
        loss = tf.add_n([tf.reduce_sum(t) for t in total]) if total else None
    return parts, None if loss is None else tape.gradient(loss, x)


@case(["ops.split"], inputs={"x": _arrays(2, 2, min_side=2), "kind": st.sampled_from(["int32", "int64"])})
def split_tensor_sizes(tf, x, kind):
    """Sizes and axis given as tensors; one part."""
    x = tf.constant(x)
    size = x.shape[1]
    return tf.split(x, tf.constant([1, size - 1], kind), axis=tf.constant(1)), tf.split(x, 1), tf.split(x, [2], axis=-2)


# -- pad ----------------------------------------------------------------------------------------


def _paddings(shape, mode):
    limit = {"CONSTANT": 3, "REFLECT": None, "SYMMETRIC": None}[mode]

    def dim(d):
        most = limit if limit is not None else (d - 1 if mode == "REFLECT" else d)
        return st.tuples(st.integers(0, most), st.integers(0, most)).map(list)

    return st.tuples(*(dim(d) for d in shape)).map(list)


def _pad_inputs():
    def for_mode(mode):
        return st.tuples(st.just(mode), _then(_arrays(0, 3, min_side=1), lambda s: _paddings(s, mode)))

    return st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC", "reflect"]).flatmap(
        lambda m: for_mode(m.upper()).map(lambda p: (m, p[1]))
    )


@case(
    ["ops.pad"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "mode_x_paddings": _pad_inputs(),
        "constant": st.sampled_from([0, 0.0, 1.5, -2]),
        "as_tensor": st.booleans(),
        "up": upstreams(),
    },
    name="pad",
)
def case_pad(tf, dtype, mode_x_paddings, constant, as_tensor, up):
    """CONSTANT (a constant of the input's dtype; it gets no gradient), REFLECT, SYMMETRIC."""
    mode, (x, paddings) = mode_x_paddings
    paddings = tf.constant(paddings, tf.int64) if as_tensor else paddings
    return _watched(tf, x, dtype, lambda t: tf.pad(t, paddings, mode=mode, constant_values=constant), up)


@case(["ops.pad"], inputs={"x": strategies.int_arrays("int32", (2, 3))})
def pad_other_dtypes(tf, x):
    """Integers, booleans and strings pad too (strings with b'')."""
    x = tf.constant(x)
    return (
        tf.pad(x, [[1, 0], [0, 2]], constant_values=7),
        tf.pad(x > 0, [[0, 1], [1, 1]], mode="SYMMETRIC"),
        tf.pad(tf.constant(["a", "b"]), [[1, 1]]),
    )


# -- reverse and roll ----------------------------------------------------------------------------


def _reverse_axes(shape):
    rank = len(shape)
    return st.lists(st.integers(0, rank - 1), unique=True, max_size=rank).flatmap(
        lambda axes: st.tuples(*(st.sampled_from([a, a - rank]) for a in axes)).map(list)
    )


@case(
    ["ops.reverse"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_axes": _then(_arrays(1, 3), _reverse_axes), "up": upstreams()},
    name="reverse",
)
def case_reverse(tf, dtype, x_axes, up):
    x, axes = x_axes
    return _watched(tf, x, dtype, lambda t: tf.reverse(t, axes), up)


def _roll_args(shape):
    rank = len(shape)
    pair = st.tuples(st.integers(-9, 9), st.integers(-rank, rank - 1))
    single = pair
    several = st.lists(pair, min_size=1, max_size=3).map(lambda ps: ([s for s, _ in ps], [a for _, a in ps]))
    return single | several


@case(
    ["ops.roll"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_args": _then(_arrays(1, 3), _roll_args), "up": upstreams()},
    name="roll",
)
def case_roll(tf, dtype, x_args, up):
    """One shift, or several (shifts on a repeated axis add up); negative shifts and axes."""
    x, (shift, axis) = x_args
    return _watched(tf, x, dtype, lambda t: tf.roll(t, shift, axis), up)


# -- repeat and one_hot ---------------------------------------------------------------------------


def _repeat_args(shape):
    """(repeats, axis): one count, or a count per element along the axis (negative ones repeat 0
    times), or axis None (the flattened input)."""
    rank = len(shape)

    def for_axis(axis):
        size = int(np.prod(shape)) if axis is None else shape[axis]
        counts = st.integers(-1, 3)
        per_element = st.lists(counts, min_size=size, max_size=size)
        one = st.integers(0, 3) | st.just([2])
        return st.tuples(one | per_element, st.just(axis))

    axes = st.none() if rank == 0 else st.none() | st.integers(-rank, rank - 1)
    return axes.flatmap(for_axis)


@case(
    ["ops.repeat"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "x_args": _then(_arrays(0, 3, max_side=3), _repeat_args),
        "up": upstreams(),
    },
    name="repeat",
)
def case_repeat(tf, dtype, x_args, up):
    """Values and (dense) gradient; a scalar input repeats as a vector."""
    x, (repeats, axis) = x_args
    return _watched(tf, x, dtype, lambda t: tf.repeat(t, repeats, axis=axis), up)


@case(["ops.repeat"], inputs={"x": strategies.int_arrays("int8", (2, 3))})
def repeat_other_dtypes(tf, x):
    """Integer and string inputs, int64 tensor counts, a numpy scalar count."""
    return (
        tf.repeat(tf.constant(x), tf.constant([1, 0, 2], tf.int64), axis=1),
        tf.repeat(tf.constant(["a", "b"]), [2, 1], axis=0),
        tf.repeat(x, np.int64(2), axis=0),
    )


def _one_hot_args():
    values = st.sampled_from([None, 0, 1, -1.5, 2.5, True])
    return st.fixed_dictionaries(
        {
            "on_value": values,
            "off_value": values,
            "dtype": st.sampled_from([None, "float32", "float64", "int32", "int64", "bool"]),
            "axis": st.sampled_from([None, -1, 0, 1]),
        }
    )


@case(
    ["ops.one-hot"],
    inputs={
        "indices": strategies.int_arrays(
            st.sampled_from(["int32", "int64", "uint8", "int8"]), strategies.shapes(0, 2), low=-1, high=4
        ),
        "depth": st.integers(0, 4),
        "args": _one_hot_args(),
    },
    name="one_hot",
)
def case_one_hot(tf, indices, depth, args):
    """on_value / off_value / dtype agreement (TypeErrors as TF's), indices out of range (zeros), axis."""
    args = {k: v for k, v in args.items() if v is not None}
    if "dtype" in args:
        args["dtype"] = getattr(tf, args["dtype"])
    return tf.one_hot(tf.constant(indices), depth, **args)


@case(["ops.one-hot"], inputs={"indices": st.lists(st.integers(-1, 3), min_size=1, max_size=4)})
def one_hot_lists_and_gradient(tf, indices):
    """List indices (int32), string values; on_value and off_value get no gradient (None)."""
    on, off = tf.constant(2.0), tf.constant(-1.0)
    with tf.GradientTape() as tape:
        tape.watch([on, off])
        y = tf.one_hot(indices, 3, on_value=on, off_value=off)
    return y, tape.gradient(y, [on, off]), tf.one_hot(indices, 2, on_value="yes", off_value="no", axis=0)


# -- meshgrid and boolean_mask ----------------------------------------------------------------------


@case(
    ["ops.meshgrid"],
    inputs={
        "dtype": st.sampled_from(FLOATS),
        "vectors": st.lists(hnp.arrays(np.float64, st.integers(0, 3), elements=_EIGHTHS), min_size=0, max_size=3),
        "indexing": st.sampled_from(["xy", "ij"]),
        "up": upstreams(),
    },
    name="meshgrid",
)
def case_meshgrid(tf, dtype, vectors, indexing, up):
    """Grids and gradients (each input's gradient sums its grid over the other axes)."""
    xs = [tf.constant(v.astype(dtype)) for v in vectors]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        grids = tf.meshgrid(*xs, indexing=indexing)
        loss = tf.add_n([tf.reduce_sum(g * upstream_like(tf, g, up)) for g in grids]) if grids else None
    return grids, None if loss is None else tape.gradient(loss, xs)


@case(["ops.meshgrid"], inputs={"n": st.integers(1, 3)})
def meshgrid_inputs(tf, n):
    """Python lists and scalars, matrices (flattened), integers."""
    return tf.meshgrid(list(range(n)), [4, 5]), tf.meshgrid([[1, 2]], [3], indexing="ij"), tf.meshgrid(1, [3.0] * n)


def _masks(shape):
    """(mask, axis): a boolean mask over `len(mask.shape)` dims from `axis` (a negative one too)."""
    rank = len(shape)

    def build(start_count):
        start, count = start_count
        mask = hnp.arrays(np.bool_, shape[start : start + count])
        return st.tuples(mask, st.sampled_from([None, start, start - rank] if start == 0 else [start, start - rank]))

    return st.integers(0, rank - 1).flatmap(lambda a: st.integers(1, rank - a).map(lambda c: (a, c))).flatmap(build)


@case(
    ["ops.boolean-mask"],
    inputs={"dtype": st.sampled_from(FLOATS), "x_mask": _then(_arrays(1, 3), _masks), "up": upstreams()},
    name="boolean_mask",
)
def case_boolean_mask(tf, dtype, x_mask, up):
    """The kept entries and the dense gradient; TF refuses negative axes whose slice of the
    shape is empty (its static check slices the shape as Python does)."""
    x, (mask, axis) = x_mask
    return _watched(tf, x, dtype, lambda t: tf.boolean_mask(t, mask, axis=axis), up)


@case(
    ["ops.boolean-mask"],
    inputs={"x": _arrays(2, 2, min_side=2), "mask": st.lists(st.booleans(), min_size=2, max_size=2)},
)
def boolean_mask_indexing(tf, x, mask):
    """`x[bool tensor]` and `x[bool numpy array]` are boolean_mask; integer masks count nonzero."""
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = t[tf.constant(mask)]
    return y, tape.gradient(y, t), t[np.array(mask)], tf.boolean_mask(t, [int(m) for m in mask])


# -- in a jacobian: a batch of upstream gradients ------------------------------------------------


@case(
    ["ops.split", "ops.pad", "ops.reverse", "ops.roll", "ops.strided-slice-function", "ops.repeat", "ops.boolean-mask"],
    inputs={"x": _arrays(2, 2, min_side=3)},
)
def layout_jacobians(tf, x):
    """Each op's jacobian (pfor's batched backward pass), float64."""
    x = tf.constant(x)
    fns = [
        lambda t: tf.split(t, [1, -1], axis=1)[1],
        lambda t: tf.pad(t, [[1, 0], [0, 2]], constant_values=3.0),
        lambda t: tf.pad(t, [[2, 1], [1, 2]], mode="REFLECT"),
        lambda t: tf.pad(t, [[1, 3], [0, 1]], mode="SYMMETRIC"),
        lambda t: tf.reverse(t, [0, -1]),
        lambda t: tf.roll(t, [1, -2], [1, 0]),
        lambda t: tf.strided_slice(t, [0, 2], [3, 0], [2, -1]),
        lambda t: tf.repeat(t, [2, 0, 1], axis=1),
        lambda t: tf.repeat(t, 2, axis=0),
        lambda t: tf.boolean_mask(t, [True, False, True], axis=1),
        lambda t: tf.meshgrid(t[0], t[1])[0],
    ]
    out = []
    for fn in fns:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x) * fn(x)
        out.append(tape.jacobian(y, x))
    return out


@case(["ops.pad", "ops.roll"], inputs={"x": _arrays(2, 2, min_side=2)})
def layout_second_order(tf, x):
    """Gradients of gradients: MirrorPad's gradient differentiates back into a MirrorPad."""
    x = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.pad(x, [[1, 1], [1, 0]], mode="SYMMETRIC") ** 3) + tf.reduce_sum(tf.roll(x, 1, 0) ** 3)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


# -- errors ---------------------------------------------------------------------------------------


def _bad_call(tf, which):
    """One invalid call, by name."""
    x = tf.reshape(tf.range(12.0), (3, 4))
    calls = {
        "strided_slice zero stride": lambda: tf.strided_slice(x, [0, 1], [3, 4], [1, 0]),
        "strided_slice lengths": lambda: tf.strided_slice(x, [0], [3, 4]),
        "strided_slice lengths tensors": lambda: tf.strided_slice(x, tf.constant([0]), tf.constant([3, 4])),
        "strided_slice shrink range": lambda: tf.strided_slice(x, [5, 0], [6, 4], shrink_axis_mask=1),
        "split uneven": lambda: tf.split(x, 3, axis=1),
        "split sizes sum": lambda: tf.split(x, [1, 2], axis=1),
        "split two unknown": lambda: tf.split(x, [1, -1, -1], axis=1),
        "split axis": lambda: tf.split(x, 2, axis=2),
        "split axis low": lambda: tf.split(x, [1, 3], axis=-3),
        "split too big": lambda: tf.split(x, [5, -1], axis=1),
        "split zero": lambda: tf.split(x, 0, axis=1),
        "split negative count": lambda: tf.split(x, -1, axis=1),
        "split negative size": lambda: tf.split(x, [-2, 6], axis=1),
        "split float sizes": lambda: tf.split(
            x, [1.0, 3.0], axis=1
        ),  # ([] too, but TF then names num_split or Tlen at random)
        "split matrix sizes": lambda: tf.split(x, [[1, 3]], axis=1),
        "split scalar tensor": lambda: tf.split(x, tf.constant(2), axis=1),
        "split scalar input": lambda: tf.split(tf.constant(1.0), 1),
        "split one unknown": lambda: tf.split(x, [-1], axis=1),
        "pad rank": lambda: tf.pad(x, [[1, 0]]),
        "pad rank tensor": lambda: tf.pad(x, tf.constant([[1, 0]])),
        "pad negative": lambda: tf.pad(x, tf.constant([[-1, 0], [0, 0]])),
        "pad columns": lambda: tf.pad(x, [1, 0, 0, 2]),
        "pad float paddings": lambda: tf.pad(x, [[1.0, 0], [1, 1]]),
        "pad mode": lambda: tf.pad(x, [[1, 0], [0, 2]], mode="wrap"),
        "pad constant dtype": lambda: tf.pad(x, [[1, 0], [0, 2]], constant_values=tf.constant(1.0, tf.float64)),
        "pad constant int": lambda: tf.pad(tf.constant([1, 2]), [[1, 0]], constant_values=1.5),
        "pad v2 rank": lambda: tf.pad(x, tf.constant([[1, 0]]), constant_values=2.0),
        "reflect too wide": lambda: tf.pad(x, [[3, 0], [0, 2]], mode="REFLECT"),
        "reflect negative": lambda: tf.pad(x, tf.constant([[-1, 0], [1, 1]]), mode="REFLECT"),
        "reflect rank": lambda: tf.pad(x, tf.constant([[1, 0]]), mode="REFLECT"),
        "symmetric too wide": lambda: tf.pad(x, [[4, 0], [0, 2]], mode="SYMMETRIC"),
        "symmetric float paddings": lambda: tf.pad(x, tf.constant([[1.0, 0.0], [1.0, 1.0]]), mode="SYMMETRIC"),
        "reverse range": lambda: tf.reverse(x, [2]),
        "reverse range tensor": lambda: tf.reverse(x, tf.constant([-3])),
        "reverse repeated": lambda: tf.reverse(x, [1, -1]),
        "reverse scalar axis": lambda: tf.reverse(x, 1),
        "reverse float axis": lambda: tf.reverse(x, tf.constant([1.0])),
        "roll sizes": lambda: tf.roll(x, [1], [0, 1]),
        "roll axis": lambda: tf.roll(x, 1, 2),
        "roll axis low": lambda: tf.roll(x, 1, -3),
        "roll scalar": lambda: tf.roll(tf.constant(1.0), 1, 0),
        "roll float shift": lambda: tf.roll(x, 1.0, 0),
        "roll matrix shift": lambda: tf.roll(x, tf.constant([[1]]), tf.constant([[1]])),
        "repeat axis type": lambda: tf.repeat(x, 2, axis=1.0),
        "repeat axis tensor": lambda: tf.repeat(x, 2, axis=tf.constant(1)),
        "repeat float": lambda: tf.repeat(x, tf.constant(1.5), axis=0),
        "repeat none": lambda: tf.repeat(x, [], axis=0),
        "repeat sizes": lambda: tf.repeat(x, [1, 2], axis=1),
        "repeat axis range": lambda: tf.repeat(x, [2], axis=-3),
        "repeat matrix": lambda: tf.repeat(x, tf.constant([[2]]), axis=0),
        "repeat negative": lambda: tf.repeat(x, -1, axis=1),
        "one_hot axis": lambda: tf.one_hot([0, 2], 3, axis=2),
        "one_hot axis low": lambda: tf.one_hot(tf.constant([0, 2]), 3, axis=-2),
        "one_hot depth": lambda: tf.one_hot([0, 2], -1),
        "one_hot float indices": lambda: tf.one_hot([0.0, 2], 3),
        "one_hot int16 indices": lambda: tf.one_hot(tf.constant([0, 2], tf.int16), 3),
        "one_hot float depth": lambda: tf.one_hot([0, 2], 3.0),
        "one_hot int64 depth": lambda: tf.one_hot([0, 2], tf.constant(3, tf.int64)),
        "one_hot values": lambda: tf.one_hot(
            [0, 2], 3, on_value=tf.constant(1.0), off_value=tf.constant(0.0, tf.float64)
        ),
        "one_hot value dtype": lambda: tf.one_hot([0, 2], 3, on_value=5.0, dtype=tf.int32),
        "meshgrid indexing": lambda: tf.meshgrid([1, 2, 3], [4, 5], indexing="foo"),
        "meshgrid dtypes": lambda: tf.meshgrid([1, 2, 3], [4.0, 5]),
        "meshgrid keyword": lambda: tf.meshgrid([1, 2], [3], name="a", foo=1),
        "boolean_mask scalar": lambda: tf.boolean_mask(x, True),
        "boolean_mask scalar key": lambda: x[tf.constant(True)],
        "boolean_mask shapes": lambda: tf.boolean_mask(x, [True, False]),
        "boolean_mask axis": lambda: tf.boolean_mask(x, [True, False, True, True], axis=-1),
        "boolean_mask axis range": lambda: tf.boolean_mask(x, [True, False], axis=2),
        "boolean_mask rank": lambda: tf.boolean_mask(x, [[[True]]]),
    }
    return calls[which]()


_ERRORS = {
    "strided-slice-function": [
        "strided_slice zero stride",
        "strided_slice lengths",
        "strided_slice lengths tensors",
        "strided_slice shrink range",
    ],
    "split": [
        "split uneven",
        "split sizes sum",
        "split two unknown",
        "split axis",
        "split axis low",
        "split too big",
        "split zero",
        "split negative count",
        "split negative size",
        "split float sizes",
        "split matrix sizes",
        "split scalar tensor",
        "split scalar input",
        "split one unknown",
    ],
    "pad": [
        "pad rank",
        "pad rank tensor",
        "pad negative",
        "pad columns",
        "pad float paddings",
        "pad mode",
        "pad constant dtype",
        "pad constant int",
        "pad v2 rank",
        "reflect too wide",
        "reflect negative",
        "reflect rank",
        "symmetric too wide",
        "symmetric float paddings",
    ],
    "reverse": [
        "reverse range",
        "reverse range tensor",
        "reverse repeated",
        "reverse scalar axis",
        "reverse float axis",
    ],
    "roll": ["roll sizes", "roll axis", "roll axis low", "roll scalar", "roll float shift", "roll matrix shift"],
    "repeat": [
        "repeat axis type",
        "repeat axis tensor",
        "repeat float",
        "repeat none",
        "repeat sizes",
        "repeat axis range",
        "repeat matrix",
        "repeat negative",
    ],
    "meshgrid": ["meshgrid indexing", "meshgrid dtypes", "meshgrid keyword"],
    "boolean-mask": [
        "boolean_mask scalar",
        "boolean_mask scalar key",
        "boolean_mask shapes",
        "boolean_mask axis",
        "boolean_mask axis range",
        "boolean_mask rank",
    ],
    "one-hot": [
        "one_hot axis",
        "one_hot axis low",
        "one_hot depth",
        "one_hot float indices",
        "one_hot int16 indices",
        "one_hot float depth",
        "one_hot int64 depth",
        "one_hot values",
        "one_hot value dtype",
    ],
}


def layout_errors(tf, which):
    return _bad_call(tf, which)


for _op, _variants in _ERRORS.items():
    cases.add(
        layout_errors,
        [f"ops.{_op}"],
        examples=[{"which": v} for v in _variants],
        name=f"{_op.replace('-', '_')}_errors",
        module=__name__,
    )
