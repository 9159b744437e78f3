"""Keras training: losses (classes and functions), optimizers (N steps from fixed weights),
learning-rate schedules, metrics, and compile/fit/evaluate/predict.

Weights start from Ones/Constant initializers or drawn values and fit runs with
shuffle=False, so every number is deterministic and compares with TF's; printed
progress is compared after its timings are blanked.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case

FLOAT32_LOOSE = (1e-5, 1e-6)  # float32 results that Keras turns into Python floats


def test_keras_training(case, check):
    check(case)


# -- strategies ---------------------------------------------------------------------------


def batch_and_classes():
    return st.tuples(st.integers(1, 4), st.integers(2, 4))


def probabilities(shape):
    return strategies.arrays("float32", shape, 0.0625, 0.9375)  # exact in float32


def regression_pair():
    return strategies.shapes(1, 3).flatmap(
        lambda s: st.tuples(strategies.arrays("float32", s, -3, 3), strategies.arrays("float32", s, -3, 3))
    )


def crossentropy_inputs():
    """(labels as class ids, logits or probabilities) for batches of a few classes."""
    return batch_and_classes().flatmap(
        lambda bc: st.tuples(
            strategies.int_arrays("int32", (bc[0],), 0, bc[1] - 1),
            strategies.arrays("float32", bc, -3.0, 3.0),
            probabilities(bc),
        )
    )


# -- helpers (their source goes into repro snippets) --------------------------------------


def loss_and_gradient(tf, loss_fn, y_true, y_pred):
    y_pred = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = loss_fn(y_true, y_pred)
    return loss, tape.gradient(loss, y_pred)


def blank_timings(text):
    """Progress output with its timings and redraws removed: the last state of each line."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    lines = [line.split("\r")[-1].replace("\b", "") for line in text.split("\n")]
    return [re.sub(r"\d+(?:ms|us|s)(?:/step)?", "#", line).rstrip() for line in lines]


# -- losses -------------------------------------------------------------------------------

REGRESSION_LOSSES = ("MeanSquaredError", "MeanAbsoluteError")


@case(
    ["keras.losses"],
    inputs={
        "pair": regression_pair(),
        "loss": st.sampled_from(REGRESSION_LOSSES),
        "reduction": st.sampled_from(["sum_over_batch_size", "sum", None]),
    },
)
def regression_losses(tf, pair, loss, reduction):
    y_true, y_pred = pair
    fn = getattr(tf.keras.losses, loss)(reduction=reduction)
    short = {"MeanSquaredError": tf.keras.losses.mse, "MeanAbsoluteError": tf.keras.losses.MAE}[loss]
    return [fn.name, *loss_and_gradient(tf, fn, y_true, y_pred), *loss_and_gradient(tf, short, y_true, y_pred)]


@case(["keras.losses"], inputs={"data": crossentropy_inputs(), "from_logits": st.booleans()})
def sparse_categorical_crossentropy(tf, data, from_logits):
    labels, logits, probs = data
    y_pred = logits if from_logits else probs
    fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    per_sample = tf.keras.losses.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits)
    return [fn.name, *loss_and_gradient(tf, fn, labels, y_pred), per_sample]


@case(["keras.losses"], inputs={"data": crossentropy_inputs(), "from_logits": st.booleans()})
def categorical_crossentropy(tf, data, from_logits):
    labels, logits, probs = data
    one_hot = np.eye(logits.shape[1], dtype=np.float32)[labels]
    y_pred = logits if from_logits else probs
    fn = tf.keras.losses.CategoricalCrossentropy(from_logits=from_logits)
    per_sample = tf.keras.losses.categorical_crossentropy(one_hot, y_pred, from_logits=from_logits)
    return [fn.name, *loss_and_gradient(tf, fn, one_hot, y_pred), per_sample]


def binary_inputs():
    """(labels of 0 and 1, logits, probabilities), all of one shape."""
    return strategies.shapes(1, 3).flatmap(
        lambda s: st.tuples(
            strategies.int_arrays("int32", s, 0, 1), strategies.arrays("float32", s, -3, 3), probabilities(s)
        )
    )


@case(["keras.losses"], inputs={"data": binary_inputs(), "from_logits": st.booleans()})
def binary_crossentropy(tf, data, from_logits):
    labels, logits, probs = data
    labels = labels.astype(np.float32)
    y_pred = logits if from_logits else probs
    fn = tf.keras.losses.BinaryCrossentropy(from_logits=from_logits)
    per_sample = tf.keras.losses.binary_crossentropy(labels, y_pred, from_logits=from_logits)
    return [fn.name, *loss_and_gradient(tf, fn, labels, y_pred), per_sample]


@case(
    ["keras.losses"],
    inputs={"x": strategies.arrays("float32", (3, 4), -4, 4), "labels": strategies.int_arrays("int32", (3,), 0, 3)},
)
def crossentropy_on_softmax_output_uses_logits(tf, x, labels):
    """A crossentropy of a Keras softmax's output works from its logits (exact even when saturated)."""
    x = tf.constant(x * 10.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.keras.losses.SparseCategoricalCrossentropy()(labels, tf.keras.activations.softmax(x))
    return loss, tape.gradient(loss, x)


@case(["keras.losses"], inputs={"shape": st.sampled_from([(2, 3), (3,), (1, 2, 2)])})
def crossentropy_shape_mismatch(tf, shape):
    return tf.keras.losses.categorical_crossentropy(np.ones(shape, np.float32), np.ones((2, 2), np.float32))


@case(["keras.losses"], inputs={"name": st.sampled_from(["foo", "Mse", "mse", "mae", "MeanSquaredError"])})
def loss_by_name(tf, name):
    """losses.get: snake-case names give functions, class names instances, others a ValueError."""
    loss = tf.keras.losses.get(name)
    return type(loss).__name__, getattr(loss, "__name__", None), loss([[1.0, 2.0]], [[0.5, 0.0]])


# -- optimizers ---------------------------------------------------------------------------

OPTIMIZERS = {
    "sgd": lambda tf, lr: tf.keras.optimizers.SGD(lr),
    "sgd momentum": lambda tf, lr: tf.keras.optimizers.SGD(lr, momentum=0.9),
    "sgd nesterov": lambda tf, lr: tf.keras.optimizers.SGD(lr, momentum=0.5, nesterov=True),
    "adam": lambda tf, lr: tf.keras.optimizers.Adam(lr),
    "adamw": lambda tf, lr: tf.keras.optimizers.AdamW(lr, weight_decay=0.1),
    "rmsprop": lambda tf, lr: tf.keras.optimizers.RMSprop(lr),
    "rmsprop centered momentum": lambda tf, lr: tf.keras.optimizers.RMSprop(lr, momentum=0.5, centered=True),
    "adagrad": lambda tf, lr: tf.keras.optimizers.Adagrad(lr),
    "sgd decay": lambda tf, lr: tf.keras.optimizers.SGD(
        tf.keras.optimizers.schedules.ExponentialDecay(lr, decay_steps=2, decay_rate=0.5)
    ),
    "adam staircase": lambda tf, lr: tf.keras.optimizers.Adam(
        tf.keras.optimizers.schedules.ExponentialDecay(lr, decay_steps=2, decay_rate=0.5, staircase=True)
    ),
}


def make_optimizer(tf, name, lr):
    return OPTIMIZERS[name](tf, lr)


@case(
    ["keras.optimizers"],
    inputs={
        "name": st.sampled_from(sorted(OPTIMIZERS)),
        "lr": st.sampled_from([0.1, 0.01, 0.5]),
        "start": strategies.python_floats(-2, 2),
        "grads": st.lists(strategies.arrays("float32", (2, 2), -2, 2), min_size=1, max_size=4),
        "dtype": st.sampled_from(["float32", "float64"]),
    },
)
def optimizer_steps(tf, name, lr, start, grads, dtype):
    """N apply_gradients on a Constant-initialised variable (float32 or float64): its values after
    each step, iterations, the learning rate."""
    optimizer = make_optimizer(tf, name, lr)
    variable = tf.Variable(tf.keras.initializers.Constant(start)((2, 2), dtype=dtype))
    seen = []
    for grad in grads:
        optimizer.apply_gradients([(tf.constant(grad.astype(dtype)), variable)])
        seen.append(variable.numpy().copy())
    return seen, optimizer.iterations.numpy(), np.asarray(optimizer.learning_rate)


@case(["keras.optimizers"], inputs={"steps": st.integers(1, 3)})
def optimizer_on_a_model(tf, steps):
    """Adam training a Dense(2) from Ones on a fixed batch: the weights after each step."""
    tf.keras.backend.clear_session()
    layer = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")
    optimizer = tf.keras.optimizers.Adam(0.1)
    x = tf.constant([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]])
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(x) - 1.5))
        optimizer.apply_gradients(zip(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables))
    return layer.get_weights(), optimizer.iterations.numpy()


# -- metrics ------------------------------------------------------------------------------


@case(
    ["keras.metrics"],
    inputs={
        "batches": st.lists(strategies.arrays("float32", strategies.shapes(1, 2)), min_size=1, max_size=3),
        "weighted": st.booleans(),
    },
)
def mean_metric(tf, batches, weighted):
    metric = tf.keras.metrics.Mean()
    results = []
    for values in batches:
        weight = np.full(values.shape[:1], 2.0, np.float32) if weighted else None
        metric.update_state(values, sample_weight=weight)
        results.append(metric.result())
    metric.reset_state()
    return metric.name, results, metric.result()


@case(["keras.metrics"], inputs={"data": crossentropy_inputs()})
def accuracy_metrics(tf, data):
    labels, logits, _ = data
    sparse = tf.keras.metrics.SparseCategoricalAccuracy()
    sparse.update_state(labels, logits)
    first = sparse.result()
    sparse.update_state(labels[:1], logits[:1])
    exact = tf.keras.metrics.Accuracy()
    exact.update_state(labels, np.argmax(logits, axis=-1))
    return [sparse.name, first, sparse.result(), exact.name, exact.result()]


# -- compile / fit / evaluate / predict ---------------------------------------------------


def small_classifier(tf, n_in, classes, loss, metrics):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((n_in,)),
            tf.keras.layers.Dense(5, activation="tanh", kernel_initializer=tf.keras.initializers.Constant(0.1)),
            tf.keras.layers.Dense(classes, kernel_initializer="ones"),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=loss, metrics=metrics)
    return model


@case(
    ["keras.fit"],
    inputs={
        "x": strategies.arrays("float32", (10, 3), -1, 1),
        "y": strategies.int_arrays("int32", (10,), 0, 2),
        "batch_size": st.sampled_from([3, 4, 10, 32]),
        "epochs": st.integers(1, 3),
        "validate": st.booleans(),
    },
    tolerance=FLOAT32_LOOSE,
    max_examples=4,
)
def fit_history_evaluate_predict(tf, x, y, batch_size, epochs, validate):
    """fit (shuffle=False) returns a History of per-epoch logs; evaluate and predict after it."""
    tf.keras.backend.clear_session()
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = small_classifier(tf, 3, 3, loss, ["accuracy"])
    history = model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
        validation_data=(x, y) if validate else None,
    )
    return [
        history.history,
        history.epoch,
        history.params,
        model.evaluate(x, y, verbose=0),
        model.evaluate(x, y, verbose=0, return_dict=True),
        model.predict(x, verbose=0),
        model.get_weights(),
    ]


@case(
    ["keras.fit"],
    inputs={
        "x": strategies.arrays("float32", (8, 2), -1, 1),
        "y": strategies.arrays("float32", (8, 1), -1, 1),
        "loss": st.sampled_from(["mse", "mae", "mean_squared_error"]),
        "optimizer": st.sampled_from(["sgd", "adam", "rmsprop", "adagrad"]),
    },
    tolerance=FLOAT32_LOOSE,
    max_examples=4,
)
def fit_regression_by_names(tf, x, y, loss, optimizer):
    """compile by names: optimizer and loss strings; the loss logged is the batch-size-weighted mean."""
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizer, loss=loss)
    history = model.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0)
    return history.history, model.evaluate(x, y, verbose=0), model.get_weights()


@case(
    ["keras.fit", "keras.progress"],
    inputs={"verbose": st.sampled_from([1, 2]), "epochs": st.integers(1, 2), "batch_size": st.sampled_from([4, 10])},
    max_examples=4,
)
def fit_progress_output(tf, verbose, epochs, batch_size):
    """What fit and evaluate print at verbose 1 and 2, timings blanked."""
    tf.keras.backend.clear_session()
    x = np.linspace(-1, 1, 30, dtype=np.float32).reshape(10, 3)
    y = np.arange(10) % 3
    model = small_classifier(tf, 3, 3, tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=verbose, validation_data=(x, y))
        model.evaluate(x, y, verbose=verbose)
    return blank_timings(out.getvalue())


@case(["keras.fit"], inputs={"which": st.sampled_from(["fit", "evaluate"])})
def fit_before_compile(tf, which):
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    x = np.ones((4, 2), np.float32)
    return getattr(model, which)(x, np.ones((4, 1), np.float32), verbose=0)
