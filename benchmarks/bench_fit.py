"""One epoch of examples/fit_classifier.py's model.fit on the shim and on TensorFlow.

    python benchmarks/bench_fit.py [--repeat N]

TF runs `fit` as it does by default (its train step compiled with tf.function) and with
run_eagerly=True. Two workloads: a steady epoch (the same model fit again: TF's compiled
step is reused) and a first epoch of a fresh model (TF traces its step then). Best-of-N
times, the shim's and TF's runs interleaved. Target: the shim at least 2x faster than TF's
default fit.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))

from _data import spirals, starting_weights  # noqa: E402 (the example's own data)
from timing import timed  # noqa: E402

X, Y = spirals()
X_TRAIN, Y_TRAIN = X[:480], Y[:480]


def build(tf, run_eagerly=False):
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(2,)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.set_weights(starting_weights([2, 64, 64, 3], seed=2))
    options = {"run_eagerly": True} if run_eagerly else {}
    model.compile(
        optimizer=tf.keras.optimizers.Adam(0.005),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        **options,
    )
    return model


def steady_epoch(tf, run_eagerly=False):
    model = build(tf, run_eagerly)
    return lambda: model.fit(X_TRAIN, Y_TRAIN, batch_size=32, epochs=1, shuffle=False, verbose=0)


def first_epoch(tf, run_eagerly=False):
    return lambda: build(tf, run_eagerly).fit(X_TRAIN, Y_TRAIN, batch_size=32, epochs=1, shuffle=False, verbose=0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import shim

    try:
        tf = importlib.import_module("tensorflow")
    except ImportError:
        tf = None
    print(
        f"{'workload (15 steps of 32)':34} {'shim ms':>9} {'TF ms':>9} {'TF eager ms':>12} {'TF/shim':>8} "
        f"{'eager/shim':>11}  target"
    )
    for label, workload in [("fit, one steady epoch", steady_epoch), ("fit, first epoch of a new model", first_epoch)]:
        if tf is None:
            (shim_s,) = timed(workload(shim), repeat=args.repeat)
            print(f"{label:34} {shim_s * 1e3:9.1f} {'':>9} {'':>12} {'':>8} {'':>11}  TF/shim >= 2")
            continue
        shim_s, tf_s, eager_s = timed(workload(shim), workload(tf), workload(tf, run_eagerly=True), repeat=args.repeat)
        print(
            f"{label:34} {shim_s * 1e3:9.1f} {tf_s * 1e3:9.1f} {eager_s * 1e3:12.1f} {tf_s / shim_s:8.1f} "
            f"{eager_s / shim_s:11.1f}  TF/shim >= 2"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
