"""Keras layers and models: Dense, Flatten, Activation, Dropout, Input, Sequential, functional
Model; names and paths, lazy builds, input checks, weights, trainability, summaries;
activations and initializers by name.

Every case starts with `tf.keras.backend.clear_session()`, so automatic names
('dense', 'dense_1', ...) do not depend on the cases run before. Kernels are set from
drawn values (set_weights or a Constant initializer), so outputs and gradients compare
exactly; random initializers are compared by shape, dtype and their bounds.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_keras_layers(case, check):
    check(case)


# -- strategies ---------------------------------------------------------------------------

ACTIVATIONS = (
    "linear",
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "softplus",
    "softsign",
    "elu",
    "selu",
    "swish",
    "relu6",
    "exponential",
)


def dense_inputs():
    """(x, kernel, bias): x of shape (batch, n), a kernel (n, units) and a bias (units,).

    Pre-activations stay within +-5: beyond about 7.9, TF's float32 tanh is exactly 1 (Eigen clamps)."""
    dims = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
    return dims.flatmap(
        lambda d: st.tuples(
            strategies.arrays("float32", (d[0], d[1]), -1.0, 1.0),
            strategies.arrays("float32", (d[1], d[2]), -1.0, 1.0),
            strategies.arrays("float32", (d[2],), -1.0, 1.0),
        )
    )


# -- Dense ----------------------------------------------------------------------------------


@case(
    ["keras.dense-values", "keras.activations"],
    inputs={"xkb": dense_inputs(), "activation": st.sampled_from(ACTIVATIONS), "use_bias": st.booleans()},
)
def dense_forward_and_gradients(tf, xkb, activation, use_bias):
    """Dense(units, activation) on drawn weights: outputs and gradients wrt kernel, bias and inputs."""
    tf.keras.backend.clear_session()
    x, kernel, bias = xkb
    layer = tf.keras.layers.Dense(kernel.shape[1], activation=activation, use_bias=use_bias)
    layer.build(x.shape)
    layer.set_weights([kernel, bias] if use_bias else [kernel])
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * y)
    return y, tape.gradient(loss, [x] + layer.trainable_variables)


@case(["keras.dense-names", "keras.lazy-build"], inputs={"n_in": st.integers(1, 5), "units": st.integers(1, 5)})
def dense_names_paths_lazy_build(tf, n_in, units):
    """Auto names dense, dense_1, ...; no weights until the first call; weights 'kernel'/'bias'."""
    tf.keras.backend.clear_session()
    first, second = tf.keras.layers.Dense(units), tf.keras.layers.Dense(units, name="head")
    third = tf.keras.layers.Dense(units)
    before = (first.built, len(first.weights))
    y = first(np.ones((2, n_in), np.float32))
    return [
        [first.name, second.name, third.name],
        before,
        first.built,
        [(w.name, w.path, w.trainable, w.shape) for w in first.weights],
        y.shape,
        y.dtype,
    ]


@case(
    ["keras.input-checks"],
    inputs={"n_in": st.integers(1, 5), "other": st.integers(1, 6), "rank": st.sampled_from([1, 2, 3])},
)
def dense_wrong_input_shape(tf, n_in, other, rank):
    """A built Dense takes only inputs whose last axis matches its kernel, of rank >= 2."""
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Dense(3)
    layer(np.ones((2, n_in), np.float32))
    shape = [other] if rank == 1 else [2] * (rank - 1) + [other]
    return layer(np.ones(shape, np.float32)).shape


@case(["keras.flatten-activation-dropout"], inputs={"x": strategies.arrays("float32", strategies.shapes(1, 4))})
def flatten_and_activation_layers(tf, x):
    tf.keras.backend.clear_session()
    flat = tf.keras.layers.Flatten()
    act = tf.keras.layers.Activation("tanh")
    return flat(x), act(x), flat.name, act.name


@case(
    ["keras.flatten-activation-dropout"],
    inputs={
        "x": strategies.arrays("float32", strategies.shapes(2, 3), 0.5, 4.0),
        "rate": st.sampled_from([0.0, 0.25, 0.5]),
    },
)
def dropout_training_flag(tf, x, rate):
    """Dropout is the identity unless training; when training, kept values are scaled by 1/(1-rate)."""
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Dropout(rate)
    inference = layer(x)
    default = layer(x, training=False)
    trained = layer(x, training=True).numpy()
    kept = trained != 0
    scaled = bool(np.allclose(trained[kept], x[kept] / (1.0 - rate), rtol=1e-6))
    return inference, default, trained.shape, scaled, rate > 0 or bool(kept.all())


@case(["keras.flatten-activation-dropout"], inputs={"rate": st.sampled_from([-0.5, 1.5, 2.0])})
def dropout_bad_rate(tf, rate):
    return tf.keras.layers.Dropout(rate)


# -- Sequential and functional models -------------------------------------------------------


@case(
    ["keras.sequential", "keras.summary"],
    inputs={
        "n_in": st.integers(1, 6),
        "hidden": st.integers(1, 40),
        "how": st.sampled_from(["input", "input_shape", "add", "call"]),
    },
)
def sequential_ways_to_build(tf, n_in, hidden, how):
    """Sequential built from Input, from input_shape, by add, or by its first call; summary as Keras prints it."""
    tf.keras.backend.clear_session()
    layers = [tf.keras.layers.Dense(hidden, activation="relu"), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(2)]
    if how == "input":
        model = tf.keras.Sequential([tf.keras.Input((n_in,))] + layers)
    elif how == "input_shape":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first = tf.keras.layers.Dense(hidden, activation="relu", input_shape=(n_in,))
        model = tf.keras.Sequential([first] + layers[1:])
    else:
        model = tf.keras.Sequential()
        for layer in layers:
            model.add(layer)
    built_before_call = model.built
    model.summary()
    out = model(np.ones((3, n_in), np.float32))
    model.summary()
    return [
        model.name,
        built_before_call,
        [layer.name for layer in model.layers],
        [w.path for w in model.weights],
        model.count_params(),
        out.shape,
        [w.shape for w in model.trainable_variables],
    ]


@case(["keras.functional", "keras.summary"], inputs={"xkb": dense_inputs()})
def functional_model(tf, xkb):
    """Model(inputs, outputs): layers with the InputLayer first, its summary, and the same values as the layers."""
    tf.keras.backend.clear_session()
    x, kernel, bias = xkb
    inputs = tf.keras.Input((kernel.shape[0],))
    hidden = tf.keras.layers.Dense(kernel.shape[1], name="hidden")(inputs)
    outputs = tf.keras.layers.Activation("softmax")(hidden)
    model = tf.keras.Model(inputs, outputs)
    model.summary()
    model.layers[1].set_weights([kernel, bias])
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        y = model(xt)
        loss = tf.reduce_sum(y * tf.range(kernel.shape[1], dtype=tf.float32))
    return [model.name, [layer.name for layer in model.layers], y, tape.gradient(loss, model.trainable_variables)]


@case(["keras.weights"], inputs={"n_in": st.integers(1, 4), "units": st.integers(1, 4)})
def trainable_flag_and_weights(tf, n_in, units):
    """trainable=False moves a layer's weights to non_trainable_variables; get/set_weights round-trip."""
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.Input((n_in,)), tf.keras.layers.Dense(units), tf.keras.layers.Dense(1)])
    model.layers[0].trainable = False
    names = [[w.path for w in model.trainable_variables], [w.path for w in model.non_trainable_variables]]
    weights = [np.full(w.shape, i + 1.0, np.float32) for i, w in enumerate(model.get_weights())]
    model.set_weights(weights)
    model.summary()
    model.trainable = False
    return names, model.get_weights(), len(model.trainable_variables), len(model.non_trainable_variables)


@case(["keras.weights"], inputs={"n_in": st.integers(1, 4), "which": st.sampled_from(["count", "shape", "unbuilt"])})
def weights_errors(tf, n_in, which):
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Dense(3)
    if which == "unbuilt":
        return layer.count_params()
    layer(np.ones((1, n_in), np.float32))
    if which == "count":
        return layer.set_weights([np.ones((n_in, 3), np.float32)])
    return layer.set_weights([np.ones((n_in + 1, 3), np.float32), np.ones(3, np.float32)])


# -- activations and initializers ---------------------------------------------------------


@case(
    ["keras.activations"],
    inputs={
        "x": strategies.arrays("float32", strategies.shapes(1, 2), -3.0, 3.0, exclude=0.0),
        "name": st.sampled_from(ACTIVATIONS),
    },
)
def activation_by_name(tf, x, name):
    """tf.keras.activations.get(name) and the function of that name: values and gradients."""
    fn = tf.keras.activations.get(name)
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    same = bool(np.array_equal(getattr(tf.keras.activations, name)(x).numpy(), y.numpy()))
    return y, tape.gradient(y, x), same, fn.__name__


@case(["keras.activations"], inputs={"name": st.sampled_from(["foo", "Relu", "soft_max"])})
def activation_unknown_name(tf, name):
    return tf.keras.activations.get(name)


@case(["keras.activations"])
def activation_callable_passes_through(tf):
    fn = tf.keras.activations.get(tf.math.square)
    return fn is tf.math.square, tf.keras.activations.get(None)(tf.constant([1.0, -2.0]))


@case(
    ["keras.initializers"],
    inputs={
        "shape": strategies.shapes(1, 3),
        "name": st.sampled_from(["zeros", "ones", "Zeros", "Ones"]),
        "value": strategies.python_floats(),
    },
)
def deterministic_initializers(tf, shape, name, value):
    """Zeros, Ones and Constant by name and class: values and float32 dtype."""
    by_name = tf.keras.initializers.get(name)(shape)
    by_class = getattr(tf.keras.initializers, name[0].upper() + name[1:])()(shape, dtype="float64")
    return by_name, by_class, tf.keras.initializers.Constant(value)(shape)


RANDOM_INITIALIZERS = ("glorot_uniform", "he_normal", "random_normal", "random_uniform", "GlorotUniform", "HeNormal")


@case(
    ["keras.initializers"],
    inputs={
        "shape": strategies.shapes(2, 4, 1, 6),
        "name": st.sampled_from(RANDOM_INITIALIZERS),
        "seed": st.integers(0, 100),
    },
)
def random_initializers(tf, shape, name, seed):
    """Random initializers: shape and dtype, and draws within each distribution's bounds (values differ)."""
    fan_in, fan_out = shape[-2] * int(np.prod(shape[:-2])), shape[-1] * int(np.prod(shape[:-2]))
    bound = {
        "glorot_uniform": np.sqrt(6.0 / (fan_in + fan_out)),
        "he_normal": 2 * np.sqrt(2.0 / fan_in) / 0.8796256610342398,
        "random_normal": None,
        "random_uniform": 0.05,
    }[{"GlorotUniform": "glorot_uniform", "HeNormal": "he_normal"}.get(name, name)]
    init = tf.keras.initializers.get(name)
    value = init(shape).numpy()
    seeded = type(init)(seed=seed)
    within = True if bound is None else bool(np.all(np.abs(value) <= bound * (1 + 1e-6)))
    return value.shape, value.dtype.name, within, bool(np.array_equal(seeded(shape).numpy(), seeded(shape).numpy()))


@case(["keras.initializers"], inputs={"name": st.sampled_from(["foo", "glorot", "he"])})
def initializer_unknown_name(tf, name):
    return tf.keras.initializers.get(name)


@case(
    ["keras.initializers", "keras.dense-values"],
    inputs={"x": strategies.arrays("float32", (2, 3)), "value": strategies.python_floats(-1, 1)},
)
def dense_with_constant_initializers(tf, x, value):
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.Constant(value), bias_initializer="ones")
    return layer(x), layer.get_weights()


# -- Conv2D, MaxPooling2D, Embedding --------------------------------------------------------


def conv_inputs():
    """(images [n, h, w, c], kernel [kh, kw, c, filters], bias [filters])."""
    dims = st.tuples(st.integers(1, 2), st.integers(3, 5), st.integers(1, 2), st.integers(1, 3), st.integers(1, 3))
    return dims.flatmap(
        lambda d: st.tuples(
            strategies.arrays("float32", (d[0], d[1], d[1], d[2]), -1.0, 1.0),
            strategies.arrays("float32", (d[3], d[3], d[2], d[4]), -1.0, 1.0),
            strategies.arrays("float32", (d[4],), -1.0, 1.0),
        )
    )


@case(
    ["keras.conv-pool-embedding"],
    inputs={"xkb": conv_inputs(), "padding": st.sampled_from(["valid", "same"]), "strides": st.sampled_from([1, 2])},
)
def conv2d_and_max_pooling(tf, xkb, padding, strides):
    """Conv2D on drawn kernels then MaxPooling2D: names, paths, shapes, values and gradients."""
    tf.keras.backend.clear_session()
    x, kernel, bias = xkb
    conv = tf.keras.layers.Conv2D(kernel.shape[-1], kernel.shape[0], strides=strides, padding=padding)
    pool = tf.keras.layers.MaxPooling2D(pool_size=2, padding="same")
    conv.build(x.shape)
    conv.set_weights([kernel, bias])
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = pool(conv(x))
        loss = tf.reduce_sum(y * y)
    return [
        conv.name,
        pool.name,
        [w.path for w in conv.weights],
        y,
        tape.gradient(loss, [x] + conv.trainable_variables),
    ]


@case(
    ["keras.conv-pool-embedding"],
    inputs={"ids": strategies.int_arrays("int32", strategies.shapes(1, 2), 0, 4), "dim": st.integers(1, 3)},
)
def embedding_lookup_and_gradient(tf, ids, dim):
    """Embedding rows by id, and the table's gradient (IndexedSlices: one row per id, repeats kept)."""
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Embedding(5, dim)
    layer.build()
    layer.set_weights([np.arange(5 * dim, dtype=np.float32).reshape(5, dim)])
    with tf.GradientTape() as tape:
        out = layer(ids)
    grad = tape.gradient(out, layer.trainable_variables)[0]
    return layer.name, layer.weights[0].path, out, type(grad).__name__, tf.convert_to_tensor(grad)


@case(["keras.conv-pool-embedding", "keras.summary"], inputs={"side": st.integers(4, 7), "filters": st.integers(1, 4)})
def small_convnet_summary(tf, side, filters):
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.Input((side, side, 1)),
            tf.keras.layers.Conv2D(filters, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2),
        ]
    )
    model.summary()
    return model.count_params()


@case(
    ["keras.batch-normalization"],
    inputs={
        "x": strategies.arrays("float32", strategies.shapes(2, 3, min_side=2), -3.0, 3.0),
        "training": st.booleans(),
        "axis": st.sampled_from([-1, 1]),
    },
    # a batch of equal values normalises to 0 up to the mean's last-bit rounding (reduce_mean's
    # order of summation) times 1/sqrt(epsilon): about 1e-5 where TF and numpy sum differently
    tolerance=(1e-4, 1e-4),
)
def batch_normalization_train_and_infer(tf, x, training, axis):
    """Batch moments when training (moving averages updated), moving ones otherwise; weights and gradients."""
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.BatchNormalization(axis=axis, momentum=0.9)
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(y * tf.range(y.shape[-1], dtype=tf.float32))
    grads = tape.gradient(loss, [x] + layer.trainable_variables)
    return [
        y,
        grads,
        [(w.path, w.trainable) for w in layer.weights],
        [w.path for w in layer.non_trainable_variables],
        layer.get_weights(),
    ]
