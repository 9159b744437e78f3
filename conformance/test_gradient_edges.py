"""Edge cases of tape.gradient that TF documents or does without saying: targets that are
sources, sources given several times, integer and string sources, gradients of
unconnected gradients, output_gradients for several targets, mixed structures.

What these cases leave out, because TF itself is undefined there: fewer output_gradients
than targets (TF reads past the end of its list: ones for one missing entry, a crash
for more), a None output gradient summed with another gradient (TF aborts the process),
and output gradients of another shape than their target (the result then depends on
each gradient function's fast paths: a gradient of the output gradient's shape, or an
InvalidArgumentError from Reshape).

Values come from the grid of eighths (`strategies.grid`): sums and products are exact
in every float dtype, so the order of accumulation cannot change a result.

Guides: tape-api (gradient: target, sources, output_gradients, unconnected_gradients);
autodiff "Gradients of non-scalar targets", "Getting a gradient of None";
tensorflow/python/eager/backprop.py (GradientTape.gradient).
"""

from __future__ import annotations

import collections

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case


def test_gradient_edges(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=2.0):
    return strategies.grid(dtype, shape, bound)


_x = _grid(shape=strategies.shapes(max_dims=2, max_side=3))


def _same_shape(count, dtype=strategies.float_dtypes(), bound=2.0):
    """`count` grid arrays of one dtype and one shape."""
    return st.tuples(dtype, strategies.shapes(max_dims=2, max_side=3)).flatmap(
        lambda ds: st.tuples(*(_grid(ds[0], ds[1], bound) for _ in range(count)))
    )


def _broadcast_pair(bound=2.0):
    """(a, b) of one float dtype whose shapes broadcast together."""
    eighths = st.integers(int(-bound * 8), int(bound * 8)).map(lambda n: n / 8)

    def build(dtype):
        return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3).flatmap(
            lambda s: st.tuples(*(hnp.arrays(np.dtype(dtype), shape, elements=eighths) for shape in s.input_shapes))
        )

    return strategies.float_dtypes().flatmap(build)


# -- a target that is a source ------------------------------------------------------------------


@case(
    ["tape.gradient-of-source-itself", "gradient.source-as-target-output-gradient", "unconnected.zero"],
    inputs={
        "x0": _x,
        "kind": st.sampled_from(["watched", "unwatched", "variable"]),
        "seed": st.sampled_from(["none", "same shape", "scalar", "other shape", "float64", "int32"]),
        "unconnected": st.sampled_from(["none", "zero"]),
    },
    examples=[{"x0": np.float32([1.0, 2.0]), "kind": "unwatched", "seed": "other shape", "unconnected": "none"}],
)
def source_as_its_own_target(tf, x0, kind, seed, unconnected):
    x = tf.Variable(x0) if kind == "variable" else tf.constant(x0)
    with tf.GradientTape() as tape:
        if kind == "watched":
            tape.watch(x)
    seeds = {
        "none": None,
        "same shape": tf.ones_like(x) * 3.0,
        "scalar": tf.constant(2.5, dtype=x.dtype),
        "other shape": tf.range(1.0, 6.0, dtype=x.dtype),
        "float64": tf.cast(x, tf.float64) * 2.0,
        "int32": tf.constant([1, 2, 3]),
    }
    # handed back as it is: neither its shape nor its dtype is checked
    return tape.gradient(x, x, output_gradients=seeds[seed], unconnected_gradients=unconnected)


@case(
    ["tape.target-also-source", "gradient.output-gradients-paired", "gradient.source-as-target-output-gradient"],
    inputs={"values": _same_shape(3), "with_seeds": st.booleans(), "as_variable": st.booleans()},
    examples=[
        {
            "values": (np.float32([1.0, 2.0]), np.float32([10.0, 100.0]), np.float32([1.0, -1.0])),
            "with_seeds": True,
            "as_variable": False,
        }
    ],
)
def target_and_a_function_of_it(tf, values, with_seeds, as_variable):
    x0, w1, w2 = values
    with tf.GradientTape() as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        tape.watch(x)
        y = x * x * 1.5
    seeds = [tf.constant(w1), tf.constant(w2)] if with_seeds else None
    return tape.gradient([x, y], [x, y], output_gradients=seeds)


# -- sources given several times, in any structure ----------------------------------------------------


@case(
    ["tape.source-repeated", "structures.nested-sources", "gradient.same-source-in-several-places"],
    inputs={
        "values": _same_shape(2),
        "structure": st.sampled_from(["list", "tuple", "dict", "namedtuple", "reads"]),
    },
    examples=[{"values": (np.float32([1.0, 2.0]), np.float32([0.5, -1.0])), "structure": "namedtuple"}],
)
def same_source_in_several_places(tf, values, structure):
    Pair = collections.namedtuple("Pair", ["first", "second"])
    v = tf.Variable(values[0])
    x = tf.constant(values[1])
    with tf.GradientTape() as tape:
        tape.watch(x)
        read = v.read_value()  # a tensor of its own, read inside the tape
        y = tf.reduce_sum(read * x) + tf.reduce_sum(v * 2.0)
    late = v.read_value()  # read after the computation: not connected
    sources = {
        "list": [v, x, v, x],
        "tuple": (v, (v, x), x),
        "dict": {"b": v, "a": [x, v]},
        "namedtuple": Pair(first=v, second=Pair(x, v)),
        "reads": [v, read, late, read],
    }[structure]
    grads = tape.gradient(y, sources)
    return grads, type(grads).__name__


def pool_of_sources(tf, values, tape):
    """Sources of every kind, one per value: (trainable variable, watched constant,
    non-trainable variable, unwatched constant)."""
    return [
        tf.Variable(values[0]),
        _watched(tf, tf.constant(values[1]), tape),
        tf.Variable(values[2], trainable=False),
        tf.constant(values[3]),
    ]


def _watched(tf, x, tape):
    tape.watch(x)
    return x


@case(
    ["gradient.same-source-in-several-places", "structures.nested-sources", "watch.non-trainable"],
    inputs={"values": _same_shape(4), "layout": strategies.structures(st.integers(0, 3), max_leaves=6)},
    examples=[
        {
            "values": (np.float32(1.0), np.float32(2.0), np.float32(3.0), np.float32(4.0)),
            "layout": {"b": [0, 1, 0], "a": (2, [3, 1])},
        }
    ],
)
def drawn_structures_with_repeats(tf, values, layout):
    with tf.GradientTape() as tape:
        pool = pool_of_sources(tf, values, tape)
        y = tf.reduce_sum(pool[0] * pool[1]) + tf.reduce_sum(pool[2] * pool[3] * pool[0])

    def place(index_or_structure):  # the layout's leaves pick sources from the pool
        if isinstance(index_or_structure, dict):
            return {k: place(v) for k, v in index_or_structure.items()}
        if isinstance(index_or_structure, (list, tuple)):
            return type(index_or_structure)(place(v) for v in index_or_structure)
        return pool[index_or_structure]

    return tape.gradient(y, place(layout))


# -- integer and string sources ---------------------------------------------------------------------


@case(
    [
        "gradient.integer-sources",
        "dtypes.integer-gradient-none",
        "dtypes.integer-watch-warning",
        "watch.integer-variables-listed",
    ],
    inputs={
        "x0": _x,
        "n": st.integers(0, 5),
        "dtype": st.sampled_from(["int32", "int64", "int16", "uint8"]),
        "unconnected": st.sampled_from(["none", "zero"]),
    },
    examples=[{"x0": np.float32([1.0, 2.0]), "n": 3, "dtype": "int32", "unconnected": "none"}],
)
def integer_sources(tf, x0, n, dtype, unconnected):
    x = tf.constant(x0)
    i = tf.constant(n, dtype=dtype)
    k = tf.Variable(n)  # a trainable int32 variable: read, so watched, yet no gradient
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, i])  # logs TF's warning for the integer tensor
        y = x * tf.cast(i, x.dtype) + tf.cast(k, x.dtype)
        counted = tf.cast(x * x, dtype) * i  # an integer target
    return (
        tape.gradient(y, [x, i, k], unconnected_gradients=unconnected),
        tape.gradient(counted, [x, i], unconnected_gradients=unconnected),
        tape.gradient(i, [i, x], unconnected_gradients=unconnected),  # ones: a target that is the source
        tape.watched_variables(),
    )


@case(
    ["gradient.integer-sources", "dtypes.integer-gradient-none"],
    inputs={"text": st.sampled_from(["", "tape", "gradient"]), "unconnected": st.sampled_from(["none", "zero"])},
    examples=[{"text": "tape", "unconnected": "none"}],
)
def string_source_as_its_own_target(tf, text, unconnected):
    s = tf.constant([text, text])
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([s, x])  # logs TF's warning for the string tensor
    return tape.gradient(s, [s, x], unconnected_gradients=unconnected)


# -- gradients of gradients --------------------------------------------------------------------------


@case(
    [
        "gradient.gradient-of-unconnected-gradient",
        "higher_order.nested-tapes",
        "unconnected.zero",
        "unconnected.none-default",
        "structures.invalid-entries",
    ],
    inputs={
        "pair": _same_shape(2),
        "inner": st.sampled_from(["none", "zero"]),
        "outer": st.sampled_from(["none", "zero"]),
        "function": st.sampled_from(["unconnected", "linear", "linear in other", "square", "sum", "sum of both"]),
    },
    examples=[
        {
            "pair": (np.float32([1.0, 2.0]), np.float32([3.0, 4.0])),
            "inner": "zero",
            "outer": "none",
            "function": "unconnected",
        }
    ],
)
def gradient_of_unconnected_gradient(tf, pair, inner, outer, function):
    x = tf.constant(pair[0])
    z = tf.constant(pair[1])
    with tf.GradientTape() as outer_tape:
        outer_tape.watch([x, z])
        with tf.GradientTape() as inner_tape:
            inner_tape.watch([x, z])
            y = {
                "unconnected": lambda: z * 2.0,
                "linear": lambda: x * 3.0,
                "linear in other": lambda: x * z,
                "square": lambda: x * x,
                "sum": lambda: tf.reduce_sum(x) + 1.0,
                "sum of both": lambda: x + z,
            }[function]()
        g = inner_tape.gradient(y, x, unconnected_gradients=inner)
    # zeros from unconnected_gradients="zero", or a constant gradient, are not connected to x or z
    return g, outer_tape.gradient(g, [x, z], unconnected_gradients=outer)


# -- output_gradients for several targets --------------------------------------------------------------


@case(
    ["gradient.output-gradients-paired", "structures.output-gradients", "tape.broadcasting"],
    inputs={
        "pair": _broadcast_pair(),
        "scales": st.lists(strategies.python_floats(-2.0, 2.0), min_size=3, max_size=3),
        "given_as": st.sampled_from(["tensors", "numpy", "variables", "python scalar", "extra entries"]),
    },
    examples=[
        {
            "pair": (np.float32([[1.0], [2.0]]), np.float32([0.5, -1.0, 2.0])),
            "scales": [1.0, 10.0, 100.0],
            "given_as": "extra entries",
        }
    ],
)
def output_gradients_for_targets_of_several_shapes(tf, pair, scales, given_as):
    a = tf.constant(pair[0])
    b = tf.Variable(pair[1])
    with tf.GradientTape() as tape:
        tape.watch(a)
        targets = [a * b, tf.reduce_sum(a), b * 2.0]  # broadcast shape, scalar, b's shape
    shaped = [np.full(t.shape.as_list(), s, dtype=pair[0].dtype) for t, s in zip(targets, scales)]
    if given_as == "tensors":
        seeds = [tf.constant(s) for s in shaped]
    elif given_as == "numpy":
        seeds = shaped
    elif given_as == "variables":
        seeds = [tf.Variable(s) for s in shaped]
    elif given_as == "python scalar":  # a Python float becomes a float32 tensor
        seeds = [tf.constant(shaped[0]), scales[1] if pair[0].dtype == np.float32 else shaped[1], shaped[2]]
    else:  # entries past the number of targets are ignored
        seeds = [tf.constant(s) for s in shaped] + [tf.ones([7])]
    return tape.gradient(targets, {"a": a, "b": b}, output_gradients=seeds)


@case(
    ["gradient.output-gradients-dtype"],
    inputs={
        "x0": _grid("float32", strategies.shapes(min_dims=1, max_dims=1, max_side=3)),
        "op": st.sampled_from(["multiply", "scale", "sin", "square", "add", "identity", "reduce_sum", "negative"]),
        "seed_dtype": st.sampled_from(["float64", "float16", "int32"]),
    },
    examples=[{"x0": np.float32([1.0, 2.0]), "op": "multiply", "seed_dtype": "float64"}],
)
def output_gradient_of_another_dtype(tf, x0, op, seed_dtype):
    x = tf.constant(x0)
    w = tf.constant(x0 + 1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = {
            "multiply": lambda: x * w,
            "scale": lambda: x * 3.0,
            "sin": lambda: tf.sin(x),
            "square": lambda: tf.square(x),
            "add": lambda: x + w,
            "identity": lambda: tf.identity(x),
            "reduce_sum": lambda: tf.reduce_sum(x),
            "negative": lambda: -x,
        }[op]()
    seed = tf.cast(tf.ones_like(y) * 2.0, seed_dtype)
    # not cast: a gradient op that multiplies raises; pass-through gradients keep the seed's dtype
    return tape.gradient(y, [x, w], output_gradients=seed)


# -- targets of several shapes and dtypes ----------------------------------------------------------------


@case(
    ["gradient.targets-mixed", "structures.several-targets-sum", "structures.non-scalar-target-sum"],
    inputs={
        "x0": _grid("float32", strategies.shapes(max_dims=2, max_side=3)),
        "form": st.sampled_from(["list", "dict", "namedtuple", "nested", "repeated"]),
    },
    examples=[{"x0": np.float32([1.0, -2.0]), "form": "namedtuple"}],
)
def targets_of_several_shapes_and_dtypes(tf, x0, form):
    Targets = collections.namedtuple("Targets", ["wide", "same", "matrix", "half"])
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        wide = tf.cast(x, tf.float64) * 2.0
        same = x * x
        matrix = tf.reshape(x, [-1, 1]) * tf.constant([[1.0, 2.0, 3.0]])
        half = tf.cast(x, tf.float16) * 4.0
    targets = {
        "list": [wide, same, matrix, half],
        "dict": {"wide": wide, "same": same, "matrix": matrix, "half": half},
        "namedtuple": Targets(wide, same, matrix, half),
        "nested": [(wide, {"m": matrix}), [same, [half]]],
        "repeated": [same, wide, same, {"again": same}],  # counted as often as it is given
    }[form]
    return tape.gradient(targets, x), [t.dtype for t in (wide, same, matrix, half)]
