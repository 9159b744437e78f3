"""tf.nn activations and softmaxes: values, gradients, kinks, dtypes and errors.

Each activation's forward value and gradient (a vector-Jacobian product with a drawn
upstream gradient) are compared with TensorFlow's over drawn shapes and float dtypes;
explicit examples put the kinks (0, and 6 for relu6) in every run, where TF's gradient
kernels make a choice of their own. Softmaxes are drawn with an axis.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import op_named, upstream_like


def test_ops_nn(case, check):
    check(case)


# -- strategies ---------------------------------------------------------------------------

FLOATS = ("float16", "float32", "float64")
_KINKS = np.array([-1.5, 0.0, 3.0, 6.0, 7.5], np.float32)


def upstreams():
    """A few nonzero multiples of 1/8 (exact in every float dtype), repeated to the output's shape."""
    return st.lists(st.integers(-16, 16).filter(bool).map(lambda n: n / 8), min_size=1, max_size=4)


def kinked(low, high, kinks, dtypes=FLOATS):
    """Arrays of values in [low, high] (kept off float16's subnormals), with the kinks often among them."""
    drawn = st.floats(low, high, width=16, allow_subnormal=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
    elements = st.sampled_from(kinks) | drawn
    return st.tuples(st.sampled_from(dtypes), strategies.shapes()).flatmap(
        lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=elements)
    )


# -- activations ------------------------------------------------------------------------


def activation(tf, op, x, up, kwargs):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, **kwargs)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


_RELU_KINKS = (-1.0, 0.0, 6.0)
_SMOOTH = (0.0,)
# Ranges keep clear of math-op differences (reported): the shim's float16 sigmoid overflows beyond
# 11 and rounds differently from Eigen's near 1 (so silu's beta * x stays within 10); its float32
# tanh does not saturate to 1 from 7.9 as Eigen's does, and near saturation differs by ulps that
# 1 - tanh^2 (the gradient) magnifies (so approximate gelu stays within 2.5).
# name, keyword arguments, value range, values drawn often
_ACTIVATIONS = [
    ("nn.relu6", {}, (-8.0, 8.0), _RELU_KINKS),
    ("nn.leaky_relu", {}, (-8.0, 8.0), _RELU_KINKS),
    ("nn.leaky_relu", {"alpha": 0.05}, (-8.0, 8.0), _RELU_KINKS),
    ("nn.leaky_relu", {"alpha": 1.5}, (-8.0, 8.0), _RELU_KINKS),  # alpha > 1: still the op's select, not a max
    ("nn.elu", {}, (-8.0, 8.0), _RELU_KINKS),
    ("nn.selu", {}, (-8.0, 8.0), _RELU_KINKS),
    ("nn.gelu", {}, (-5.0, 5.0), _SMOOTH),
    ("nn.gelu", {"approximate": True}, (-2.5, 2.5), _SMOOTH),  # see above
    ("nn.silu", {}, (-5.0, 5.0), _SMOOTH),
    ("nn.swish", {"beta": 2.0}, (-5.0, 5.0), _SMOOTH),
]

for _name, _kwargs, (_low, _high), _kinks in _ACTIVATIONS:
    _suffix = "_".join(f"{k}_{v}" for k, v in _kwargs.items()).replace(".", "")
    cases.add(
        activation,
        [f"ops.{_name}", "ops.nn.activation-kinks", "structures.output-gradients"],
        inputs={"x": kinked(_low, _high, _kinks), "up": upstreams()},
        examples=[{"x": _KINKS, "up": [1.0, -0.5, 2.0]}],
        fixed={"op": _name, "kwargs": _kwargs},
        name=_name.replace("nn.", "") + (f"_{_suffix}" if _suffix else ""),
        module=__name__,
    )


@case(
    ["ops.nn.activation-dtypes"],
    inputs={
        "op": st.sampled_from(["relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "softmax", "log_softmax"]),
        "values": st.lists(st.integers(-3, 3), min_size=1, max_size=3),
        "as_list": st.booleans(),
    },
)
def activation_integer_inputs(tf, op, values, as_list):
    """Integers: relu6 keeps them, leaky_relu casts to float32, the others raise TF's errors."""
    x = values if as_list else tf.constant(values)
    return getattr(tf.nn, op)(x)


@case(
    ["ops.nn.activation-dtypes"],
    inputs={"x": strategies.arrays(st.sampled_from(("float16", "float64")), low=-4.0, high=4.0)},
)
def activation_dtypes_kept(tf, x):
    x = tf.constant(x)
    ops = [tf.nn.relu6, tf.nn.leaky_relu, tf.nn.elu, tf.nn.selu, tf.nn.gelu, tf.nn.silu]
    return [op(x).dtype for op in ops]


@case(
    ["ops.nn.leaky_relu"],
    inputs={"alpha": st.sampled_from(["tensor", "array", "string", "int"])},
)
def leaky_relu_alpha_types(tf, alpha):
    """alpha is a float attribute: numpy arrays give their item, tensors and strings a TypeError."""
    value = {"tensor": tf.constant(0.3), "array": np.array(0.25), "string": "0.1", "int": 2}[alpha]
    return tf.nn.leaky_relu(tf.constant([-2.0, 1.0]), alpha=value)


@case(
    ["ops.nn.silu"],
    inputs={"x": strategies.arrays("float32", low=-4.0, high=4.0), "beta": strategies.python_floats(-2.0, 2.0)},
)
def silu_beta_gradient(tf, x, beta):
    """A watched beta gets TF's gradient: the sum over every element."""
    x, beta = tf.constant(x), tf.constant(beta)
    with tf.GradientTape() as tape:
        tape.watch([x, beta])
        y = tf.nn.silu(x, beta=beta)
    return y, tape.gradient(y, [x, beta])


@case(["ops.nn.gelu"], inputs={"x": strategies.arrays("float32", low=-3.0, high=3.0)})
def gelu_second_order(tf, x):
    """gelu is made of differentiable ops: its second derivative too."""
    x = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.gelu(x)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


# -- softmax, log_softmax -------------------------------------------------------------------


def _with_axis(dtypes):
    arrays = strategies.arrays(st.sampled_from(dtypes), strategies.shapes(1, 3), low=-6.0, high=6.0)
    return arrays.flatmap(lambda x: st.tuples(st.just(x), st.none() | st.integers(-x.ndim, x.ndim - 1)))


def softmaxes(tf, op, x_axis, up):
    x, axis = x_axis
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, axis=axis)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


for _name in ("nn.softmax", "nn.log_softmax", "math.softmax", "math.log_softmax"):
    cases.add(
        softmaxes,
        [f"ops.{_name}", "ops.nn.softmax-axis", "structures.output-gradients"],
        inputs={"x_axis": _with_axis(FLOATS), "up": upstreams()},
        examples=[{"x_axis": (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], np.float32), 0), "up": [1.0, -2.0]}],
        fixed={"op": _name},
        name=_name.replace(".", "_"),
        module=__name__,
    )


@case(
    ["ops.nn.softmax-axis"],
    inputs={"shift": st.sampled_from([0.0, 80.0, 1000.0]), "op": st.sampled_from(["softmax", "log_softmax"])},
)
def softmax_large_logits(tf, shift, op):
    """The max is subtracted first: large logits neither overflow nor lose the answer."""
    return getattr(tf.nn, op)(tf.constant([shift, shift + 1.0, shift - 2.0]))


@case(
    ["ops.nn.softmax-errors"],
    inputs={
        "op": st.sampled_from(["softmax", "log_softmax"]),
        "shape": strategies.shapes(0, 3),
        "axis": st.integers(-5, 4),
    },
)
def softmax_axis_errors(tf, op, shape, axis):
    """An axis outside [-rank, rank) and scalar logits raise TF's errors."""
    return getattr(tf.nn, op)(tf.zeros(shape), axis=axis)


# -- cross entropies and l2_loss ------------------------------------------------------------


def _distributions(draw_shape, dtype):
    """Rows of non-negative label weights (multiples of 1/8), not necessarily summing to 1."""
    return hnp.arrays(np.dtype(dtype), draw_shape, elements=st.integers(0, 8).map(lambda n: n / 8))


@st.composite
def xent_inputs(draw, dtypes=FLOATS):
    """(labels, logits, axis) of one shape with rank 1-3, the class axis drawn."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(strategies.shapes(1, 3))
    logits = draw(strategies.arrays(dtype, shape, low=-6.0, high=6.0))
    labels = draw(_distributions(shape, dtype))
    axis = draw(st.sampled_from([-1]) | st.integers(0, len(shape) - 1))
    return labels, logits, axis


@case(
    ["ops.nn.softmax_cross_entropy_with_logits", "structures.output-gradients"],
    inputs={"drawn": xent_inputs(), "up": upstreams()},
    examples=[{"drawn": (np.array([[0.25, 0.75], [1.0, 0.0]]), np.array([[1.0, 2.0], [3.0, -1.0]]), -1), "up": [1.0]}],
)
def softmax_cross_entropy(tf, drawn, up):
    """Loss and gradients for both labels and logits (float16 logits are computed in float32)."""
    labels, logits, axis = drawn
    labels, logits = tf.constant(labels), tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch([labels, logits])
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis)
    return loss, tape.gradient(loss, [labels, logits], output_gradients=upstream_like(tf, loss, up))


@case(["ops.nn.softmax_cross_entropy_with_logits"], inputs={"drawn": xent_inputs(("float32", "float64"))})
def softmax_cross_entropy_second_order(tf, drawn):
    """The logits' gradient is differentiable again (TF's kernel output carries it)."""
    labels, logits, _ = drawn
    labels, logits = tf.constant(labels), tf.constant(logits)
    with tf.GradientTape() as outer:
        outer.watch(logits)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            loss = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
        g = inner.gradient(loss, logits)
        g2 = g * g
    return g, outer.gradient(g2, logits)


_XENT_CASES = {
    "labels wider": ([[0.25, 0.75]], [[1.0, 2.0, 3.0]]),
    "labels broadcast": ([0.25, 0.75], [[1.0, 2.0]]),
    "integer labels": ([[0, 1]], [[1.0, 2.0]]),
    "float64 labels": ("float64", [[1.0]], [[1.0]]),
    "scalars": (1.0, 2.0),
    "vectors": ([1.0, 0.0], [2.0, 1.0]),
    "integer logits": ([[1, 0]], [[1, 2]]),
    "float16": ("float16", [[1.0, 0.0]], [[1.0, 2.0]]),
}


@case(
    ["ops.nn.softmax_cross_entropy_with_logits", "ops.nn.cross-entropy-errors"],
    inputs={"which": st.sampled_from(sorted(_XENT_CASES)), "axis": st.sampled_from([-1, 0, 1, 2, -2])},
)
def softmax_cross_entropy_shapes_and_errors(tf, which, axis):
    """Labels are cast to the logits' dtype and broadcast; bad shapes and axes raise TF's errors."""
    spec = _XENT_CASES[which]
    if isinstance(spec[0], str):
        labels, logits = tf.constant(spec[1], dtype=spec[0]), tf.constant(spec[2], dtype=spec[0])
        if spec[0] == "float64":
            logits = tf.constant(spec[2])
    else:
        labels, logits = tf.constant(spec[0]), tf.constant(spec[1])
    return tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=axis)


@st.composite
def sparse_inputs(draw, dtypes=FLOATS, label_dtypes=("int32", "int64")):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(strategies.shapes(1, 3))
    logits = draw(strategies.arrays(dtype, shape, low=-6.0, high=6.0))
    labels = draw(
        hnp.arrays(np.dtype(draw(st.sampled_from(label_dtypes))), shape[:-1], elements=st.integers(0, shape[-1] - 1))
    )
    return labels, logits


@case(
    ["ops.nn.sparse_softmax_cross_entropy_with_logits", "structures.output-gradients"],
    inputs={"drawn": sparse_inputs(), "up": upstreams()},
    examples=[{"drawn": (np.array([1, 0]), np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)), "up": [1.0, -0.5]}],
)
def sparse_softmax_cross_entropy(tf, drawn, up):
    labels, logits = drawn
    labels, logits = tf.constant(labels), tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return loss, tape.gradient(loss, logits, output_gradients=upstream_like(tf, loss, up))


@case(["ops.nn.sparse_softmax_cross_entropy_with_logits"], inputs={"drawn": sparse_inputs(("float32", "float64"))})
def sparse_softmax_cross_entropy_second_order(tf, drawn):
    labels, logits = drawn
    labels, logits = tf.constant(labels), tf.constant(logits)
    with tf.GradientTape() as outer:
        outer.watch(logits)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        g = inner.gradient(loss, logits)
        g2 = tf.reduce_sum(g * g * logits)
    return g, outer.gradient(g2, logits)


@case(
    ["ops.nn.sparse_softmax_cross_entropy_with_logits", "ops.nn.cross-entropy-errors"],
    inputs={
        "labels": st.lists(st.integers(-2, 4), min_size=1, max_size=3),
        "label_dtype": st.sampled_from(["int32", "int64", "float32"]),
        "logits_rank": st.integers(0, 3),
        "logits_dtype": st.sampled_from(["float16", "float32", "int32"]),
    },
    examples=[{"labels": [0, 2], "label_dtype": "int32", "logits_rank": 2, "logits_dtype": "float32"}],
)
def sparse_softmax_cross_entropy_errors(tf, labels, label_dtype, logits_rank, logits_dtype):
    """Out-of-range labels (CPU's error), rank and shape mismatches, label and logits dtypes.
    (Both dtypes wrong is left out: TF reports one or the other depending on earlier calls.)"""
    if label_dtype == "float32" and logits_dtype == "int32":
        label_dtype = "int64"
    shape = [len(labels), 3, 2][:logits_rank]
    logits = tf.reshape(tf.range(int(np.prod(shape)), dtype=logits_dtype), shape)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels, dtype=label_dtype), logits)


@case(["ops.nn.cross-entropy-errors"], inputs={"fn": st.sampled_from(["softmax", "sparse", "sigmoid"])})
def cross_entropy_missing_argument(tf, fn):
    name = {"softmax": "softmax", "sparse": "sparse_softmax", "sigmoid": "sigmoid"}[fn]
    return getattr(tf.nn, f"{name}_cross_entropy_with_logits")(labels=None, logits=tf.constant([[1.0, 2.0]]))


@case(
    ["ops.nn.sigmoid_cross_entropy_with_logits", "structures.output-gradients"],
    inputs={"dtype": st.sampled_from(FLOATS), "x": kinked(-8.0, 8.0, (0.0,), ("float64",)), "up": upstreams()},
    examples=[
        {"dtype": "float32", "x": np.array([1.0, -1.0, 0.0, 1.0, -1.0, 0.0, 0.0]), "up": [1.0, -2.0]},
    ],
)
def sigmoid_cross_entropy(tf, dtype, x, up):
    """Loss and gradients for labels and logits; at logits 0 TF's where() picks the >= 0 branch."""
    logits = tf.constant(x.astype(dtype))
    labels = tf.constant((np.resize([0.0, 1.0, 0.5, 0.25], x.shape)).astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([labels, logits])
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return loss, tape.gradient(loss, [labels, logits], output_gradients=upstream_like(tf, loss, up))


@case(
    ["ops.nn.sigmoid_cross_entropy_with_logits", "ops.nn.cross-entropy-errors"],
    inputs={"labels": st.sampled_from([[1.0, 0.0], [1.0, 0.0, 1.0], [[1.0, 0.0]], [1, 0]])},
)
def sigmoid_cross_entropy_shapes(tf, labels):
    """Labels must have the logits' shape (ValueError) and dtype (the ops' error)."""
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(labels), logits=tf.constant([0.5, -2.0]))


@case(
    ["ops.nn.l2_loss", "structures.output-gradients"],
    inputs={"x": strategies.grid(st.sampled_from(FLOATS)), "up": upstreams()},
)
def l2_loss(tf, x, up):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.nn.l2_loss(x)
    return loss, tape.gradient(loss, x, output_gradients=upstream_like(tf, loss, up))


@case(["ops.nn.l2_loss"], inputs={"values": st.lists(st.integers(-3, 3), min_size=1, max_size=4)})
def l2_loss_integers(tf, values):
    """Integers are not in L2Loss's list: TF's InvalidArgumentError."""
    return tf.nn.l2_loss(tf.constant(values))


# -- moments, batch_normalization -----------------------------------------------------------------


@st.composite
def moments_inputs(draw):
    x = draw(strategies.grid(st.sampled_from(FLOATS), strategies.shapes(1, 3), bound=4.0))
    axes = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), max_size=x.ndim, unique_by=lambda a: a % x.ndim))
    return x, axes


@case(
    ["ops.nn.moments", "structures.output-gradients"],
    inputs={"drawn": moments_inputs(), "keepdims": st.booleans(), "up": upstreams()},
)
def moments(tf, drawn, keepdims, up):
    """Mean and population variance over drawn axes (none too); gradients of both (float16 via float32)."""
    x, axes = drawn
    x = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        mean, variance = tf.nn.moments(x, axes, keepdims=keepdims)
    return (
        mean,
        variance,
        tape.gradient(mean, x, output_gradients=upstream_like(tf, mean, up)),
        tape.gradient(variance, x, output_gradients=upstream_like(tf, variance, up)),
    )


@case(
    ["ops.nn.moments"],
    inputs={
        "axes": st.sampled_from(["int", "tuple", "duplicate", "out of range", "tensor", "tensor keepdims", "list x"])
    },
)
def moments_axes(tf, axes):
    """axes as an int or tuple; duplicates and out-of-range axes fail in Mean; a tensor in squeeze."""
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0]])
    given = {
        "int": 0,
        "tuple": (0, 1),
        "duplicate": [0, 0],
        "out of range": [2],
        "tensor": tf.constant([0]),
        "tensor keepdims": tf.constant([1]),
        "list x": [1],
    }[axes]
    if axes == "list x":
        return tf.nn.moments([1.0, 2.0, 4.0], given)
    return tf.nn.moments(x, given, keepdims=axes == "tensor keepdims")


@st.composite
def batch_norm_inputs(draw):
    dtype = draw(st.sampled_from(("float32", "float64")))
    shape = draw(strategies.shapes(1, 3))
    params = draw(st.sampled_from([(), (shape[-1],)]))
    x = draw(strategies.arrays(dtype, shape, low=-4.0, high=4.0))
    mean = draw(strategies.arrays(dtype, params, low=-2.0, high=2.0))
    variance = draw(strategies.arrays(dtype, params, low=0.25, high=4.0))
    offset = draw(st.none() | strategies.arrays(dtype, params, low=-2.0, high=2.0))
    scale = draw(st.none() | strategies.arrays(dtype, params, low=-2.0, high=2.0))
    return x, mean, variance, offset, scale


@case(
    ["ops.nn.batch_normalization", "structures.output-gradients"],
    inputs={"drawn": batch_norm_inputs(), "epsilon": st.sampled_from([1e-3, 1e-5, 0.5]), "up": upstreams()},
)
def batch_normalization(tf, drawn, epsilon, up):
    """Value and gradients for x, mean, variance, offset and scale (None for the absent ones)."""
    x, mean, variance, offset, scale = (None if v is None else tf.constant(v) for v in drawn)
    watched = [t for t in (x, mean, variance, offset, scale) if t is not None]
    with tf.GradientTape() as tape:
        tape.watch(watched)
        y = tf.nn.batch_normalization(x, mean, variance, offset, scale, epsilon)
    return y, tape.gradient(y, watched, output_gradients=upstream_like(tf, y, up))


@case(["ops.nn.batch_normalization"], inputs={"which": st.sampled_from(["python floats", "float16 x", "bad shape"])})
def batch_normalization_mixed_inputs(tf, which):
    """Python float statistics; float16 x with float32 statistics (cast to x's dtype); shapes that do not broadcast."""
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0]])
    if which == "python floats":
        return tf.nn.batch_normalization(x, 1.0, 2.0, None, None, 0.001)
    if which == "float16 x":
        return tf.nn.batch_normalization(tf.constant([1.0, 2.0], tf.float16), tf.constant(1.0), 2.0, 0.5, None, 0.001)
    return tf.nn.batch_normalization(x, tf.constant([1.0, 2.0]), 2.0, None, None, 0.001)


# -- dropout (the shim's draws are not TF's: only what does not depend on them is compared) -------


@st.composite
def dropout_inputs(draw):
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(strategies.shapes(1, 3))
    x = draw(strategies.arrays(dtype, shape, low=0.5, high=4.0))  # nonzero: a zero output means dropped
    noise = draw(st.none() | st.tuples(*(st.sampled_from([d, 1]) for d in shape)).map(list))
    rate = draw(st.sampled_from([0.0, 0.1, 0.5, 0.75]))
    return x, rate, noise


@case(["ops.nn.dropout"], inputs={"drawn": dropout_inputs(), "rate_as_tensor": st.booleans()})
def dropout(tf, drawn, rate_as_tensor):
    """Kept elements are x / (1 - rate), the others 0; the mask is constant along noise_shape's 1s;
    the gradient is the same mask times the scale; rate 0 returns x itself."""
    x, rate, noise = drawn
    x = tf.constant(x)
    given = tf.constant(rate, dtype=x.dtype) if rate_as_tensor else rate
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.dropout(x, given, noise_shape=noise)
    grad = tape.gradient(y, x).numpy().astype(np.float64)
    out = y.numpy().astype(np.float64)
    kept = out != 0
    scale = np.float64(np.asarray(1 / (1 - rate), dtype=x.dtype.as_numpy_dtype))
    if rate_as_tensor:  # x / (1 - rate) in x's dtype
        scaled = (x / (1 - tf.constant(rate, dtype=x.dtype))).numpy().astype(np.float64)
    else:  # x * (1 / (1 - rate)) in x's dtype
        scaled = (x * tf.constant(1 / (1 - rate), dtype=x.dtype)).numpy().astype(np.float64)
    constant_along_noise = True
    if noise is not None:
        for axis, size in enumerate(noise):
            if size == 1:
                constant_along_noise &= bool(np.all(kept == np.take(kept, [0], axis=axis)))
    return {
        "dtype": y.dtype,
        "shape": y.shape,
        "kept scaled, dropped zero": bool(np.all(np.where(kept, out == scaled, out == 0))),
        "gradient masks as the forward": bool(np.allclose(grad, np.where(kept, scale, 0.0), rtol=1e-3)),
        "mask constant along noise_shape 1s": constant_along_noise,
        "rate 0 is x": (y is x) if rate == 0 and not rate_as_tensor else None,
    }


@case(
    ["ops.nn.dropout"],
    inputs={"seed": st.integers(0, 1000), "op_seed": st.none() | st.integers(0, 1000)},
)
def dropout_reproducible_after_set_seed(tf, seed, op_seed):
    """The same global seed (and op seed) gives the same masks again, in the same sequence."""
    masks = []
    for _ in range(2):
        tf.random.set_seed(seed)
        first = tf.nn.dropout(tf.ones([4, 8]), 0.5, seed=op_seed).numpy() != 0
        second = tf.nn.dropout(tf.ones([4, 8]), 0.5, seed=op_seed).numpy() != 0
        masks.append((first, second))
    return bool(np.array_equal(masks[0][0], masks[1][0]) and np.array_equal(masks[0][1], masks[1][1]))


_RATES = {
    "1.0": 1.0,
    "-0.1": -0.1,
    "int 1": 1,
    "numpy float": "np",
    "string": "0.5",
    "float64 tensor": "float64",
    "int tensor": "int32",
    "vector tensor": "vector",
}


@case(
    ["ops.nn.dropout-errors"],
    inputs={
        "rate": st.sampled_from(sorted(_RATES)),
        "x_dtype": st.sampled_from(["float32", "int32"]),
        "noise": st.sampled_from([None, [2, 1], [1, 3, 4], [4]]),
    },
)
def dropout_errors(tf, rate, x_dtype, noise):
    """Rates outside [0, 1), non-numbers, tensors of another dtype or rank; integer x; a noise_shape
    that does not broadcast. Returns only the shape and dtype when nothing is raised."""
    spec = _RATES[rate]
    if spec == "np":
        given = np.float32(0.5)
    elif spec == "float64":
        given = tf.constant(0.5, tf.float64)
    elif spec == "int32":
        given = tf.constant(0)
    elif spec == "vector":
        given = tf.constant([0.5])
    else:
        given = spec
    y = tf.nn.dropout(tf.ones([3, 4], dtype=x_dtype), given, noise_shape=noise)
    return y.dtype, y.shape
