"""Unit tests of shim.keras (no TF needed): float64 finite-difference checks of the
activations and losses the layers and fit differentiate, and the bookkeeping that the
conformance families compare with TF (names, builds, optimizer arithmetic, fit's logs)."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from gradcheck import assert_gradients

import shim as tf
from shim.keras import _ops, losses

RNG = np.random.default_rng(0)
ACTIVATIONS = [
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "softplus",
    "softsign",
    "elu",
    "selu",
    "swish",
    "exponential",
    "leaky_relu",
    "log_softmax",
]


@pytest.fixture(autouse=True)
def fresh_session():
    tf.keras.backend.clear_session()


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_gradients(name):
    x = RNG.uniform(-2, 2, (3, 4))
    x[np.abs(x) < 0.1] = 0.5  # away from the kinks at 0
    assert_gradients(tf.keras.activations.get(name), x)


def test_softmax_gradient_axis_0():
    assert_gradients(lambda x: _ops.softmax(x, axis=0), RNG.normal(size=(3, 2)))


@pytest.mark.parametrize("from_logits", [True, False])
def test_crossentropy_gradients(from_logits):
    labels = np.eye(3)[[0, 2, 1, 1]]
    logits = RNG.normal(size=(4, 3))
    pred = logits if from_logits else np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert_gradients(lambda p: losses.categorical_crossentropy(labels, p, from_logits=from_logits), pred)
    sparse = np.array([0, 2, 1, 1])
    assert_gradients(lambda p: losses.sparse_categorical_crossentropy(sparse, p, from_logits=from_logits), pred)


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_crossentropy_gradients(from_logits):
    labels = np.array([[0.0, 1.0], [1.0, 1.0]])
    pred = RNG.normal(size=(2, 2)) if from_logits else RNG.uniform(0.1, 0.9, (2, 2))
    assert_gradients(lambda p: losses.binary_crossentropy(labels, p, from_logits=from_logits), pred)


def test_regression_loss_gradients():
    y_true, y_pred = RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2))
    assert_gradients(lambda p: tf.keras.losses.mse(y_true, p), y_pred)
    assert_gradients(lambda p: tf.keras.losses.mae(y_true, p), y_pred)


def test_dense_gradients_through_call():
    layer = tf.keras.layers.Dense(3, activation="tanh")
    layer.build((None, 2))
    bias = RNG.normal(size=3)
    assert_gradients(lambda x, k: tf.tanh(tf.matmul(x, k) + bias), RNG.normal(size=(4, 2)), RNG.normal(size=(2, 3)))
    out = layer(np.ones((1, 2), np.float32))
    assert out.dtype == tf.float32


def test_names_paths_and_lazy_build():
    first, second = tf.keras.layers.Dense(2), tf.keras.layers.Dense(2)
    assert (first.name, second.name, first.built, first.weights) == ("dense", "dense_1", False, [])
    first(np.ones((1, 3), np.float32))
    assert [(w.name, w.path) for w in first.weights] == [("kernel", "dense/kernel"), ("bias", "dense/bias")]
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        first(np.ones((1, 4), np.float32))
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    assert [w.path for w in model.weights] == ["sequential/dense_2/kernel", "sequential/dense_2/bias"]
    tf.keras.backend.clear_session()
    assert tf.keras.layers.Dense(1).name == "dense"


def test_summary_layout():
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8), tf.keras.layers.Dense(2)])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary()
    lines = out.getvalue().splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert lines[4] == "│ dense (Dense)                   │ (None, 8)              │            40 │"
    assert lines[-3:] == [
        " Total params: 58 (232.00 B)",
        " Trainable params: 58 (232.00 B)",
        " Non-trainable params: 0 (0.00 B)",
    ]


def test_sgd_momentum_and_adagrad_arithmetic():
    var = tf.Variable([1.0, -2.0])
    sgd = tf.keras.optimizers.SGD(0.1, momentum=0.9)
    for _ in range(2):
        sgd.apply_gradients([(tf.constant([1.0, 1.0]), var)])
    # m1 = -0.1, m2 = 0.9 * -0.1 - 0.1 = -0.19; w = w0 + m1 + m2
    np.testing.assert_allclose(var.numpy(), [1.0 - 0.29, -2.0 - 0.29], rtol=1e-6)
    var = tf.Variable([1.0])
    tf.keras.optimizers.Adagrad(0.5).apply_gradients([(tf.constant([2.0]), var)])
    np.testing.assert_allclose(var.numpy(), [1.0 - 0.5 * 2.0 / np.sqrt(0.1 + 4.0 + 1e-7)], rtol=1e-6)


def test_exponential_decay_schedule():
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5, staircase=True)
    opt = tf.keras.optimizers.SGD(schedule)
    var = tf.Variable(0.0)
    for _ in range(3):
        opt.apply_gradients([(tf.constant(1.0), var)])
    assert var.numpy() == pytest.approx(-(1.0 + 1.0 + 0.5))
    assert int(opt.iterations.numpy()) == 3


def test_adamw_decays_before_the_adam_step():
    var = tf.Variable([2.0])
    tf.keras.optimizers.AdamW(0.1, weight_decay=0.5).apply_gradients([(tf.constant([0.0]), var)])
    assert var.numpy()[0] == pytest.approx(2.0 - 2.0 * 0.5 * 0.1)


def test_metrics_update_result_reset():
    metric = tf.keras.metrics.SparseCategoricalAccuracy()
    metric.update_state([0, 1, 2], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1]])
    assert float(metric.result()) == pytest.approx(2 / 3)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_fit_learns_and_logs_per_epoch():
    x = RNG.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(2)])
    model.compile(
        optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0, validation_data=(x, y))
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert loss == pytest.approx(history.history["val_loss"][-1], rel=1e-6)
    assert model.predict(x, verbose=0).shape == (64, 2)


def test_fit_requires_compile():
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="You must call `compile\\(\\)`"):
        model.fit(np.ones((2, 2)), np.ones((2, 1)), verbose=0)


def test_progress_bar_line():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bar = tf.keras.utils.Progbar(3, verbose=2)
        bar.update(3, [("loss", 0.5)], finalize=True)
    text = out.getvalue()
    assert text.startswith("3/3 - 0s - ") and text.endswith("step - loss: 0.5000\n")


@pytest.mark.parametrize("lr", [0.1, 0.003])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_numpy_path_equals_op_by_op_path(lr, dtype):
    """Outside tapes Adam steps in numpy; inside a tape op by op: the same bits either way."""
    grads = [RNG.normal(size=(3, 2)).astype(dtype) for _ in range(4)]
    fast_var, slow_var = tf.Variable(np.ones((3, 2), dtype)), tf.Variable(np.ones((3, 2), dtype))
    fast, slow = tf.keras.optimizers.Adam(lr), tf.keras.optimizers.Adam(lr)
    for g in grads:
        fast.apply_gradients([(tf.constant(g), fast_var)])
        with tf.GradientTape():
            slow.apply_gradients([(tf.constant(g), slow_var)])
    np.testing.assert_array_equal(fast_var.numpy(), slow_var.numpy())


def test_conv2d_layer_gradients():
    """The Conv2D layer's computation (conv2d, broadcast bias, relu) against finite differences."""
    layer = tf.keras.layers.Conv2D(2, 2, padding="same")
    x, kernel, bias = RNG.normal(size=(1, 3, 3, 2)), RNG.normal(size=(2, 2, 2, 2)), RNG.normal(size=2)

    def conv(images, k):
        return tf.nn.conv2d(images, k, strides=(1, 1, 1, 1), padding="SAME") + tf.reshape(bias, (1, 1, 1, 2))

    assert_gradients(conv, x, kernel)
    assert layer(x.astype(np.float32)).shape == (1, 3, 3, 2)
    assert [w.path for w in layer.weights] == ["conv2d/kernel", "conv2d/bias"]


def test_embedding_gradient_rows():
    layer = tf.keras.layers.Embedding(4, 2, embeddings_initializer="ones")
    with tf.GradientTape() as tape:
        out = layer(np.array([1, 1, 3]))
    grad = tape.gradient(out, layer.trainable_variables)[0]
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy(), [[0, 0], [2, 2], [0, 0], [1, 1]])
    assert layer.name == "embedding" and tf.keras.layers.MaxPooling2D().name == "max_pooling2d"


def test_batch_normalization_training_gradients_and_moving_stats():
    """The layer's training computation (moments, then normalisation) against finite differences."""
    gamma, beta = RNG.uniform(0.5, 1.5, 3), RNG.normal(size=3)

    def normalise(x):
        mean, variance = tf.nn.moments(x, axes=[0])
        return tf.nn.batch_normalization(x, mean, variance, beta, gamma, 0.001)

    assert_gradients(normalise, RNG.normal(size=(4, 3)))
    layer = tf.keras.layers.BatchNormalization(momentum=0.5)
    x = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    layer(x, training=True)
    np.testing.assert_allclose(layer.moving_mean.numpy(), [1.0, 2.0])  # 0.5 * 0 + 0.5 * [2, 4]
    np.testing.assert_allclose(layer.moving_variance.numpy(), [1.0, 2.5])  # 0.5 * 1 + 0.5 * [1, 4]
    assert [w.path for w in layer.non_trainable_variables] == [
        "batch_normalization/moving_mean",
        "batch_normalization/moving_variance",
    ]
