"""Train a small MLP on synthetic spirals with tf.GradientTape and an optimizer.

python examples/custom_training_loop.py                  # on TensorFlow
python examples/custom_training_loop.py --backend shim   # on the shim (or TFCOMPAT_BACKEND=shim)
"""

import json

import numpy as np

from _data import import_tf, parse_args, spirals, starting_weights

args = parse_args(__doc__)
tf = import_tf(args.backend)  # `import tensorflow as tf`, or `import shim as tf`

# -- data -----------------------------------------------------------------------------------
x_train, y_train = spirals()
BATCH_SIZE = 32
EPOCHS = args.epochs or 10

# -- model ----------------------------------------------------------------------------------
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(2,)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(3),
    ]
)
model.set_weights(starting_weights([2, 64, 64, 3]))

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.005)
train_loss = tf.keras.metrics.Mean(name="train_loss")
train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")


def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss(loss)
    train_accuracy(y, logits)


# -- training loop --------------------------------------------------------------------------
for epoch in range(EPOCHS):
    train_loss.reset_state()
    train_accuracy.reset_state()
    for start in range(0, len(x_train), BATCH_SIZE):
        train_step(x_train[start : start + BATCH_SIZE], y_train[start : start + BATCH_SIZE])
    if not args.json and (epoch + 1) % 2 == 0:
        print(f"Epoch {epoch + 1}: loss {train_loss.result():.4f}, accuracy {train_accuracy.result():.4f}")

logits = model(x_train)
final = {
    "loss": float(loss_fn(y_train, logits)),
    "accuracy": float(np.mean(np.argmax(logits.numpy(), axis=1) == y_train)),
}
print(json.dumps(final) if args.json else f"final: loss {final['loss']:.4f}, accuracy {final['accuracy']:.4f}")
