"""tf.IndexedSlices and tf.gather: TF's sparse gradient and the op that makes it.

The gradient of tf.gather on axis 0 is an IndexedSlices (the upstream rows and the
gathered indices) and stays one through the gradients that pass it on; several for one
tensor are concatenated, any dense one makes the sum dense. The class itself is
compared by its parts, its printed forms and its conversion to a dense tensor; gather
and gather_nd by their values, TF's exact errors and their gradients; Keras optimizers
and Variable.scatter_* by the values they leave.

Guides: https://www.tensorflow.org/api_docs/python/tf/IndexedSlices,
https://www.tensorflow.org/api_docs/python/tf/gather, tensorflow/python/ops/array_grad.py.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.casekit import attempt, upstream_like
from conformance.cases import case


def test_indexed_slices(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


def unaddressed(text):
    """Printed text with object addresses blanked (they differ run to run)."""
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", text)


def described(g):
    """A gradient's type name with the gradient: IndexedSlices and dense tensors look alike otherwise."""
    return type(g).__name__, g


# -- strategies ---------------------------------------------------------------------------

_FLOATS = st.sampled_from(["float32", "float64"])
_INDEX_DTYPES = st.sampled_from(["int32", "int64"])
_UP = strategies.grid("float64", (7,), 2.0)


def _params(min_dims=1, max_dims=3, max_side=4):
    return strategies.grid(_FLOATS, strategies.shapes(min_dims, max_dims, max_side=max_side), 2.0)


def _rows_of(params, max_dims=2):
    """Indices of rank 0 to `max_dims` (possibly empty, with repeats) into params' first dimension."""
    shape = strategies.shapes(0, max_dims, min_side=0, max_side=3)
    return st.tuples(st.just(params), strategies.int_arrays("int32", shape, 0, params.shape[0] - 1))


def _params_and_rows(max_dims=3):
    return _params(1, max_dims).flatmap(_rows_of)


@st.composite
def _gather_calls(draw):
    """(params, indices, axis, batch_dims, form): a valid tf.gather call on any axis."""
    params = draw(_params(1, 3, max_side=3))
    rank = params.ndim
    batch_dims = draw(st.integers(0, rank - 1))
    axis = draw(st.integers(batch_dims, rank - 1))
    tail = draw(strategies.shapes(0, 2, min_side=0, max_side=3))
    indices = draw(strategies.int_arrays("int32", st.just(params.shape[:batch_dims] + tail), 0, params.shape[axis] - 1))
    form = draw(st.sampled_from(["axis", "negative axis", "negative batch_dims", "default axis"]))
    if form == "default axis":
        axis = batch_dims
    return params, indices, axis, batch_dims, form


@st.composite
def _gather_nd_calls(draw):
    """(params, indices): index vectors of depth 1..rank(params), outer rank 1 or 2."""
    params = draw(_params(1, 3, max_side=3))
    depth = draw(st.integers(1, params.ndim))
    outer = draw(strategies.shapes(1, 2, min_side=1, max_side=3))
    columns = [draw(strategies.int_arrays("int32", st.just(outer), 0, params.shape[d] - 1)) for d in range(depth)]
    return params, np.stack(columns, axis=-1)


# -- the class: parts, printing, conversion ---------------------------------------------------


@st.composite
def _slices_parts(draw):
    """(values, indices, dense_rows): rows of a [dense_rows, ...] tensor, some repeated."""
    values = draw(strategies.grid("float32", strategies.shapes(1, 3, max_side=3), 3.0))
    dense_rows = draw(st.integers(1, 4))
    indices = draw(strategies.int_arrays("int32", st.just(values.shape[:1]), 0, dense_rows - 1))
    return values, indices, dense_rows


@case(
    ["indexed_slices.class"],
    inputs={
        "parts": _slices_parts(),
        "index_dtype": _INDEX_DTYPES,
        "dense_shape": st.sampled_from(["tensor", "int64 tensor", "list", "none"]),
    },
)
def slices_attributes(tf, parts, index_dtype, dense_shape):
    values0, indices0, rows = parts
    shape = [rows, *values0.shape[1:]]
    given = {
        "tensor": tf.constant(shape),
        "int64 tensor": tf.constant(shape, dtype=tf.int64),
        "list": shape,
        "none": None,
    }[dense_shape]
    s = tf.IndexedSlices(tf.constant(values0), tf.constant(indices0, dtype=index_dtype), given)
    return {
        "values": s.values,
        "indices": s.indices,
        "dense_shape": s.dense_shape,
        "dtype": s.dtype,
        "shape": attempt(lambda: s.shape),
        "device": s.device,
        "name": attempt(lambda: s.name),
        "op": attempt(lambda: s.op),
        "type": type(s).__name__,
        "is_tensor": tf.is_tensor(s),
        "isinstance_tensor": isinstance(s, tf.Tensor),
        "negated": -s,
        "len": attempt(lambda: len(s)),
        "numpy": attempt(lambda: s.numpy()),
    }


@case(
    ["indexed_slices.class"],
    inputs={"parts": _slices_parts()},
)
def slices_hold_what_they_are_given(tf, parts):
    values0, indices0, rows = parts
    s = tf.IndexedSlices(values0.tolist(), indices0.tolist(), [rows, *values0.shape[1:]])
    return s.values, s.indices, s.dense_shape, attempt(lambda: s.dtype), attempt(lambda: s.shape), str(s)


@case(
    ["indexed_slices.composite"],
    inputs={
        "parts": _slices_parts(),
        "how": st.sampled_from(
            ["identity", "stop_gradient", "cast", "cast to its dtype", "constant", "watch", "shape"]
        ),
        "with_shape": st.booleans(),
    },
)
def slices_as_a_composite(tf, parts, how, with_shape):
    values0, indices0, rows = parts
    shape = tf.constant([rows, *values0.shape[1:]]) if with_shape else None
    s = tf.IndexedSlices(tf.constant(values0), tf.constant(indices0), shape)
    if how == "identity":
        return tf.identity(s)
    if how == "stop_gradient":
        return tf.stop_gradient(s)
    if how == "cast":
        return tf.cast(s, tf.float64)
    if how == "cast to its dtype":
        return tf.cast(s, tf.float32) is s, tf.cast(s, tf.float32)
    if how == "constant":
        return unaddressed(attempt(lambda: tf.constant(s)))
    if how == "shape":
        return tf.shape(s)
    with tf.GradientTape() as tape:
        tape.watch(s)
        y = tf.reduce_sum(s.values * s.values)
    return tape.gradient(y, s.values)


@case(
    ["indexed_slices.printing"],
    inputs={
        "parts": _slices_parts(),
        "index_dtype": _INDEX_DTYPES,
        "with_shape": st.booleans(),
        "values_dtype": _FLOATS,
    },
    examples=[
        {
            "parts": (np.float32([[1.0, 2.0], [3.0, 4.0]]), np.int32([0, 2]), 3),
            "index_dtype": "int32",
            "with_shape": True,
            "values_dtype": "float32",
        }
    ],
)
def slices_printed(tf, parts, index_dtype, with_shape, values_dtype):
    values0, indices0, rows = parts
    shape = tf.constant([rows, *values0.shape[1:]]) if with_shape else None
    s = tf.IndexedSlices(tf.constant(values0, dtype=values_dtype), tf.constant(indices0, dtype=index_dtype), shape)
    print(s)
    print(unaddressed(repr([s])))
    return str(s), unaddressed(repr(s)), f"{s}", unaddressed(repr({"g": s}))


@case(
    ["indexed_slices.conversion"],
    inputs={
        "parts": _slices_parts(),
        "how": st.sampled_from(
            ["convert_to_tensor", "tf.add", "tensor + slices", "slices + 1.0", "reduce_sum", "multiply", "negated"]
        ),
        "dense_shape": st.sampled_from(["tensor", "int64 tensor", "list", "wide", "none"]),
        "index_dtype": _INDEX_DTYPES,
    },
)
def slices_converted(tf, parts, how, dense_shape, index_dtype):
    values0, indices0, rows = parts
    tail = list(values0.shape[1:])
    given = {
        "tensor": tf.constant([rows, *tail]),
        "int64 tensor": tf.constant([rows, *tail], dtype=tf.int64),
        "list": [rows, *tail],
        "wide": tf.constant([rows + 2, *[d + 5 for d in tail]]),  # TF reads dense_shape[0] only
        "none": None,
    }[dense_shape]
    s = tf.IndexedSlices(tf.constant(values0), tf.constant(indices0, dtype=index_dtype), given)
    if how == "convert_to_tensor":
        return tf.convert_to_tensor(s)
    if how == "tf.add":
        return tf.add(s, 1.0)
    if how == "tensor + slices":
        return tf.constant(1.0) + s
    if how == "slices + 1.0":
        return s + 1.0
    if how == "reduce_sum":
        return tf.reduce_sum(s)
    if how == "multiply":
        return tf.multiply(s, tf.constant(2.0))
    return tf.convert_to_tensor(-s)


@case(
    ["indexed_slices.conversion"],
    inputs={
        "parts": _slices_parts(),
        "fault": st.sampled_from(
            ["index too large", "negative index", "too many indices", "dtype", "dtype hint", "same dtype"]
        ),
    },
)
def slices_conversion_checks(tf, parts, fault):
    values0, indices0, rows = parts
    indices = indices0.copy()
    if fault == "index too large":
        indices[-1] = rows + int(indices0[0])
    if fault == "negative index":  # TF's UnsortedSegmentSum drops the row
        indices[0] = -1
    if fault == "too many indices":
        indices = np.concatenate([indices, indices[:1]])
    s = tf.IndexedSlices(tf.constant(values0), tf.constant(indices), tf.constant([rows, *values0.shape[1:]]))
    if fault == "dtype":
        return tf.convert_to_tensor(s, dtype=tf.float64)
    if fault == "dtype hint":
        return tf.convert_to_tensor(s, dtype_hint=tf.float64)
    if fault == "same dtype":
        return tf.convert_to_tensor(s, dtype=tf.float32)
    return tf.convert_to_tensor(s)


@case(
    ["indexed_slices.conversion"],
    inputs={"pi": _params_and_rows(2), "through": st.sampled_from(["identity", "multiply", "square"])},
)
def output_gradients_are_densified(tf, pi, through):
    x0, rows0 = pi
    x = tf.constant(x0)
    rows = np.reshape(rows0, [-1])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = {"identity": tf.identity, "multiply": lambda t: t * 3.0, "square": tf.square}[through](x)
    upstream = tf.IndexedSlices(tf.ones([rows.size, *x0.shape[1:]], dtype=x.dtype), tf.constant(rows), tf.shape(x))
    return described(tape.gradient(y, x, output_gradients=upstream))


# -- gradients: which are IndexedSlices, and what they hold -------------------------------------


@case(
    ["indexed_slices.gradient-type", "gather.gradient"],
    inputs={
        "pi": _params_and_rows(),
        "index_dtype": _INDEX_DTYPES,
        "source": st.sampled_from(["variable", "tensor"]),
        "up": _UP,
    },
    examples=[
        {
            "pi": (np.float32([[0.0, 1.0, 2.0], [2.0, 3.0, 4.0], [4.0, 5.0, 6.0], [6.0, 7.0, 8.0]]), np.int32([1, 3])),
            "index_dtype": "int32",
            "source": "variable",
            "up": np.ones(7),
        }
    ],
)
def gather_rows_gradient(tf, pi, index_dtype, source, up):
    params0, indices0 = pi
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    indices = tf.constant(indices0, dtype=index_dtype)
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.gather(params, indices)
        loss = tf.reduce_sum(y * upstream_like(tf, y, up))
    grads = tape.gradient(loss, [params, indices])
    return y, described(grads[0]), grads[1]


@case(
    ["gather.values", "gather.gradient", "indexed_slices.gradient-type"],
    inputs={"call": _gather_calls(), "source": st.sampled_from(["variable", "tensor"]), "up": _UP},
)
def gather_on_any_axis(tf, call, source, up):
    params0, indices0, axis, batch_dims, form = call
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    with tf.GradientTape() as tape:
        tape.watch(params)
        if form == "default axis":
            y = tf.gather(params, indices0, batch_dims=batch_dims)
        elif form == "negative axis":
            y = tf.gather(params, indices0, axis=axis - params0.ndim, batch_dims=batch_dims)
        elif form == "negative batch_dims":
            y = tf.gather(params, indices0, axis=axis, batch_dims=batch_dims - indices0.ndim)
        else:
            y = tf.gather(params, tf.constant(indices0), axis=tf.constant(axis), batch_dims=batch_dims)
        loss = tf.reduce_sum(y * upstream_like(tf, y, up))
    return y, described(tape.gradient(loss, params))


@case(
    ["gather.values"],
    inputs={
        "pi": _params_and_rows(),
        "dtype": st.sampled_from(["int32", "int64", "bool", "string", "float16"]),
        "container": st.sampled_from(["list", "array", "tensor", "variable"]),
    },
)
def gather_any_dtype(tf, pi, dtype, container):
    params0, indices0 = pi
    if dtype == "string":
        params = tf.constant(np.vectorize(lambda v: f"s{v}")(params0))
    else:
        params = tf.cast(tf.constant(params0 * 8), dtype)
    if container == "variable":
        params = tf.Variable(params)
    indices = {"list": indices0.tolist(), "array": indices0, "tensor": tf.constant(indices0), "variable": indices0}[
        container
    ]
    return tf.gather(params, indices), tf.gather(params, indices, axis=0, batch_dims=0, validate_indices=True)


_GATHER_FAULTS = (
    "index too large", "negative index", "axis too large", "axis too negative", "batch_dims too large",
    "batch shape differs", "batch_dims above axis", "float indices", "int8 indices", "scalar params", "float axis",
)  # fmt: skip


@case(
    ["gather.errors"],
    inputs={
        "pi": _params_and_rows(),
        "fault": st.sampled_from(_GATHER_FAULTS),
        "container": st.sampled_from(["list", "array", "tensor"]),
        "source": st.sampled_from(["variable", "tensor"]),
        "name": st.sampled_from([None, "picked"]),
    },
    examples=[
        {
            "pi": (np.float32([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.int32([0, 1])),
            "fault": "index too large",
            "container": "list",
            "source": "tensor",
            "name": None,
        }
    ],
)
def gather_errors(tf, pi, fault, container, source, name):
    params0, indices0 = pi
    indices, axis, batch_dims = np.reshape(indices0, [-1]), None, 0
    rank = params0.ndim
    if fault == "index too large":
        indices = np.append(indices, params0.shape[0] + len(indices))
    if fault == "negative index":
        indices = np.append(indices, -1 - len(indices))
    if fault == "axis too large":
        axis = rank + len(indices) % 2
    if fault == "axis too negative":
        axis = -rank - 1
    if fault == "batch_dims too large":
        axis, batch_dims = min(1, rank - 1), indices.ndim + 1
    if fault == "batch shape differs":
        params0 = np.concatenate([params0, params0])
        indices, axis, batch_dims = np.zeros([params0.shape[0] // 2 + 1, 1], np.int32), -1, 1
    if fault == "batch_dims above axis":
        params0 = params0.reshape([1, *params0.shape])
        indices, axis, batch_dims = np.zeros([1, 1], np.int32), -params0.ndim, 1
    if fault == "float indices":
        indices = indices.astype(np.float32)
    if fault == "int8 indices":
        indices = indices.astype(np.int8)
    if fault == "scalar params":
        params0 = params0.reshape(-1)[0]
    if fault == "float axis":  # with int indices: when two attrs are wrong, TF names either, run to run
        indices, axis = np.zeros([1], np.int32), 0.0 if rank == 1 else 1.0
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    given = {"list": indices.tolist(), "array": indices, "tensor": tf.constant(indices)}[container]
    return tf.gather(params, given, axis=axis, batch_dims=batch_dims, name=name)


# -- gather_nd -------------------------------------------------------------------------------


@case(
    ["gather.gather-nd", "indexed_slices.gradient-type"],
    inputs={
        "call": _gather_nd_calls(),
        "source": st.sampled_from(["variable", "tensor"]),
        "index_dtype": _INDEX_DTYPES,
        "up": _UP,
    },
    examples=[
        {
            "call": (np.float32([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.int32([[2], [0]])),
            "source": "variable",
            "index_dtype": "int64",
            "up": np.ones(7),
        }
    ],
)
def gather_nd_values_and_gradients(tf, call, source, index_dtype, up):
    params0, indices0 = call
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.gather_nd(params, tf.constant(indices0, dtype=index_dtype))
        loss = tf.reduce_sum(y * upstream_like(tf, y, up))
    return y, described(tape.gradient(loss, params))


@case(
    ["gather.gather-nd"],
    inputs={
        "call": _gather_nd_calls(),
        "fault": st.sampled_from(
            ["index too large", "negative index", "too deep", "scalar indices", "scalar params", "float indices"]
        ),
        "container": st.sampled_from(["list", "tensor"]),
        "source": st.sampled_from(["variable", "tensor"]),
    },
)
def gather_nd_errors(tf, call, fault, container, source):
    params0, indices = call
    indices = indices.copy()
    if fault == "index too large":
        indices[(-1,) * indices.ndim] = params0.shape[indices.shape[-1] - 1]
    if fault == "negative index":
        indices[(0,) * indices.ndim] = -1
    if fault == "too deep":
        indices = np.zeros([2, params0.ndim + 1], np.int32)
    if fault == "scalar indices":
        indices = np.int32(0)
    if fault == "scalar params":
        params0 = params0.reshape(-1)[0]
    if fault == "float indices":
        indices = indices.astype(np.float32)
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    given = indices.tolist() if container == "list" else tf.constant(indices)
    return tf.gather_nd(params, given)


# -- what carries an IndexedSlices gradient, and how several add up ------------------------------

_THROUGH = {
    "identity": lambda tf, v: tf.identity(v),
    "identity twice": lambda tf, v: tf.identity(tf.identity(v)),
    "read_value": lambda tf, v: v.read_value() if isinstance(v, tf.Variable) else v,
    "convert_to_tensor": lambda tf, v: tf.convert_to_tensor(v),
    "cast to float64": lambda tf, v: tf.cast(v, tf.float64),
    "cast to int32": lambda tf, v: tf.cast(v, tf.int32),
    "negative": lambda tf, v: -v,
    "plus a constant": lambda tf, v: v + 1.5,
    "constant plus": lambda tf, v: 1.5 + v,
    "minus a scalar tensor": lambda tf, v: v - tf.constant(0.5, dtype=v.dtype),
    "plus a row": lambda tf, v: v + tf.ones(v.shape[1:], dtype=v.dtype),
    "times a constant": lambda tf, v: v * 2.0,
    "concat rows": lambda tf, v: tf.concat([v, v * 2.0, v], 0),
    "concat columns": lambda tf, v: tf.concat([v, v], -1),
    "reshape": lambda tf, v: tf.reshape(v, v.shape),
    "tile": lambda tf, v: tf.tile(v, [2] + [1] * (len(v.shape) - 1)),
    "transpose twice": lambda tf, v: tf.transpose(tf.transpose(v)),
    "slice": lambda tf, v: v[:],
    "stop_gradient": lambda tf, v: tf.stop_gradient(v),
}


@case(
    ["indexed_slices.passes-through"],
    inputs={
        "pi": _params_and_rows(2),
        "through": st.sampled_from(sorted(_THROUGH)),
        "source": st.sampled_from(["variable", "tensor"]),
        "up": _UP,
    },
)
def gradients_passed_on(tf, pi, through, source, up):
    params0, indices0 = pi
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.cast(tf.gather(_THROUGH[through](tf, params), indices0), params.dtype)
        loss = tf.reduce_sum(y * upstream_like(tf, y, up))
    return described(tape.gradient(loss, params))


@st.composite
def _several_rows(draw):
    """params and 1-3 index lists into its rows."""
    params = draw(_params(1, 2))
    count = draw(st.integers(1, 3))
    rows = [
        draw(strategies.int_arrays("int32", strategies.shapes(1, 1, min_side=0, max_side=3), 0, params.shape[0] - 1))
        for _ in range(count)
    ]
    return params, rows


@case(
    ["indexed_slices.aggregation"],
    inputs={
        "call": _several_rows(),
        "combine": st.sampled_from(["chain", "nested", "reversed", "stacked", "list of targets", "sources twice"]),
        "index_dtypes": st.lists(_INDEX_DTYPES, min_size=3, max_size=3),
        "dense_term": st.booleans(),
        "source": st.sampled_from(["variable", "tensor"]),
    },
    examples=[
        {
            "call": (np.float32([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), [np.int32([0]), np.int32([1])]),
            "combine": "chain",
            "index_dtypes": ["int32", "int32", "int32"],
            "dense_term": False,
            "source": "variable",
        },
        {
            "call": (np.float32([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), [np.int32([0, 2, 0]), np.int32([1])]),
            "combine": "list of targets",
            "index_dtypes": ["int32", "int64", "int32"],
            "dense_term": False,
            "source": "variable",
        },
    ],
)
def aggregated_gradients(tf, call, combine, index_dtypes, dense_term, source):
    params0, rows = call
    params = tf.Variable(params0) if source == "variable" else tf.constant(params0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(params)
        parts = [
            tf.reduce_sum(tf.gather(params, tf.constant(r, dtype=d)) * (i + 1.0))
            for i, (r, d) in enumerate(zip(rows, index_dtypes))
        ]
        if dense_term:
            parts.append(tf.reduce_sum(params * 0.5))
        if combine == "list of targets":
            target = parts
        elif combine == "stacked":
            target = tf.reduce_sum(tf.stack(parts))
        elif combine == "nested":
            target = parts[0]
            for p in parts[1:]:
                target = p + target
        else:
            target = parts[0]
            for p in parts[1:][::-1] if combine == "reversed" else parts[1:]:
                target = target + p
    if combine == "sources twice":
        return [described(g) for g in tape.gradient(target, [params, params])]
    return described(tape.gradient(target, params))


@case(
    ["indexed_slices.custom-gradient"],
    inputs={"pi": _params_and_rows(2), "grad_fn": st.sampled_from(["hand on", "times two", "densify first"])},
)
def custom_gradient_receives_slices(tf, pi, grad_fn):
    params0, indices0 = pi
    seen = []

    @tf.custom_gradient
    def passthrough(x):
        def grad(dy):
            seen.append(type(dy).__name__)
            if grad_fn == "times two":
                return dy * 2.0
            if grad_fn == "densify first":
                return tf.convert_to_tensor(dy) * 2.0
            return dy

        return tf.identity(x), grad

    v = tf.Variable(params0)
    with tf.GradientTape() as tape:
        y = tf.gather(passthrough(v), indices0)
    return described(attempt(lambda: tape.gradient(y, v))), seen


@case(
    ["gather.gradient", "indexed_slices.gradient-type"],
    inputs={"pi": _params_and_rows(2), "kind": st.sampled_from(["values", "dense", "jacobian"])},
)
def gradients_of_gather_gradients(tf, pi, kind):
    params0, indices0 = pi
    x = tf.constant(params0)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.gather(x, indices0) ** 3)
        g = inner.gradient(y, x)
        z = tf.reduce_sum(g.values * g.values) if kind == "values" else tf.convert_to_tensor(g)
    if kind == "jacobian":
        return outer.jacobian(z, x, experimental_use_pfor=False)
    return type(g).__name__, described(outer.gradient(z, x))


# -- applying IndexedSlices: optimizers and scatter_* --------------------------------------------

_OPTIMIZERS = {
    "sgd": lambda tf, lr: tf.keras.optimizers.SGD(lr),
    "sgd momentum": lambda tf, lr: tf.keras.optimizers.SGD(lr, momentum=0.9),
    "sgd nesterov": lambda tf, lr: tf.keras.optimizers.SGD(lr, momentum=0.5, nesterov=True),
    "adam": lambda tf, lr: tf.keras.optimizers.Adam(lr),
    "adam amsgrad": lambda tf, lr: tf.keras.optimizers.Adam(lr, amsgrad=True),
}


@case(
    ["indexed_slices.optimizers"],
    inputs={
        "pi": _params_and_rows(2),
        "optimizer": st.sampled_from(sorted(_OPTIMIZERS)),
        "lr": st.sampled_from([0.1, 0.25, 0.5]),
        "steps": st.integers(1, 3),
        "dense": st.booleans(),
    },
    examples=[
        {
            "pi": (np.float32([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.int32([0, 0])),
            "optimizer": "adam",
            "lr": 0.1,
            "steps": 2,
            "dense": False,
        }
    ],
)
def optimizer_steps(tf, pi, optimizer, lr, steps, dense):
    params0, indices0 = pi
    v = tf.Variable(params0)
    opt = _OPTIMIZERS[optimizer](tf, lr)
    kinds = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.gather(v, indices0) ** 2)
        g = tape.gradient(loss, v)
        kinds.append(type(g).__name__)
        opt.apply_gradients([(tf.convert_to_tensor(g) if dense else g, v)])
    return v.numpy(), kinds, opt.iterations.numpy()


_SCATTERS = ("scatter_add", "scatter_sub", "scatter_update", "scatter_mul", "scatter_div", "scatter_max", "scatter_min")


@case(
    ["indexed_slices.scatter"],
    inputs={
        "pi": _params_and_rows(2),
        "method": st.sampled_from(_SCATTERS),
        "fault": st.sampled_from(
            [None, None, "scalar updates", "index too large", "not slices", "float64 updates", "rank"]
        ),
        "container": st.sampled_from(["list", "tensor"]),
    },
)
def variable_scatter(tf, pi, method, fault, container):
    params0, indices0 = pi
    v = tf.Variable(params0)
    rows = np.reshape(indices0, [-1])
    updates = (
        np.arange(1, rows.size * int(np.prod(params0.shape[1:])) + 1, dtype=params0.dtype).reshape(
            [rows.size, *params0.shape[1:]]
        )
        / 4
    )
    if fault == "scalar updates":
        updates = params0.dtype.type(2.5)
    if fault == "index too large":
        rows = np.append(rows, params0.shape[0])
        updates = np.concatenate(
            [updates, updates[:1] if updates.size else np.ones([1, *params0.shape[1:]], params0.dtype)]
        )
    if fault == "rank":
        updates = updates.reshape(-1)
        rows = rows.reshape([1, -1]) if params0.ndim == 1 else rows
    values = tf.constant(updates, dtype=tf.float64 if fault == "float64 updates" else v.dtype)
    delta = tf.IndexedSlices(values, rows.tolist() if container == "list" else tf.constant(rows))
    result = getattr(v, method)(values if fault == "not slices" else delta)
    return v, repr(result)


@case(
    ["indexed_slices.scatter", "gather.values"],
    inputs={"pi": _params_and_rows(2), "watch_accessed": st.booleans()},
)
def reads_and_scatters_are_accesses(tf, pi, watch_accessed):
    params0, indices0 = pi
    v = tf.Variable(params0)
    w = tf.Variable(params0)
    with tf.GradientTape(watch_accessed_variables=watch_accessed) as tape:
        picked = v.sparse_read(indices0)
        w.scatter_add(tf.IndexedSlices(tf.ones([1, *params0.shape[1:]], dtype=w.dtype), tf.constant([0])))
    return picked, [x.name for x in tape.watched_variables()], described(tape.gradient(picked, v))
