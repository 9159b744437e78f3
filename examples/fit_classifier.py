"""A small classifier trained with model.fit on synthetic spirals.

python examples/fit_classifier.py                  # on TensorFlow
python examples/fit_classifier.py --backend shim   # on the shim (or TFCOMPAT_BACKEND=shim)
"""

import json

from _data import import_tf, parse_args, spirals, starting_weights

args = parse_args(__doc__)
tf = import_tf(args.backend)  # `import tensorflow as tf`, or `import shim as tf`

x, y = spirals()
x_train, y_train, x_val, y_val = x[:480], y[:480], x[480:], y[480:]

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(2,)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(3, activation="softmax"),
    ]
)
model.set_weights(starting_weights([2, 64, 64, 3], seed=2))
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.005),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
if not args.json:
    model.summary()

history = model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=args.epochs or 10,
    validation_data=(x_val, y_val),
    shuffle=False,  # batches in order: the same run on every backend
    verbose=0 if args.json else 2,
)
val_loss, val_accuracy = model.evaluate(x_val, y_val, verbose=0)
final = {
    "loss": history.history["loss"][-1],
    "accuracy": history.history["accuracy"][-1],
    "val_loss": val_loss,
    "val_accuracy": val_accuracy,
}
print(json.dumps(final) if args.json else f"final: {final}")
