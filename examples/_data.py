"""What both examples share: the synthetic dataset, starting weights, and the backend switch."""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--backend",
        choices=["tensorflow", "shim"],
        default=os.environ.get("TFCOMPAT_BACKEND", "tensorflow"),
        help="run on TensorFlow or on the shim (also: TFCOMPAT_BACKEND=shim)",
    )
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the final figures as JSON")
    return parser.parse_args()


def import_tf(backend):
    if backend == "shim":
        try:
            import shim as tf
        except ImportError:  # run from a checkout: the shim sits next to examples/
            sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            import shim as tf
    else:
        import tensorflow as tf
    return tf


def spirals(n_per_class=200, classes=3, seed=0):
    """Interleaved noisy spirals in 2-D: (x float32 [n, 2], y int32 [n]), in a seeded shuffled order."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, n_per_class)
        theta = np.linspace(c * 2 * np.pi / classes, c * 2 * np.pi / classes + 3.0, n_per_class)
        theta = theta + rng.normal(0, 0.5, n_per_class)
        xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        ys.append(np.full(n_per_class, c))
    x, y = np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.int32)
    order = rng.permutation(len(x))
    return x[order], y[order]


def starting_weights(sizes, seed=1):
    """Glorot-uniform kernels and zero biases from a seeded numpy generator, so that every
    backend starts from the same point (Keras' own initializers draw differently per backend)."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32)]
    return weights
