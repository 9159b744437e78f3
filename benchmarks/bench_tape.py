"""Tape workloads on the shim, on TensorFlow (when installed) and as hand-written numpy, in one run.

    python benchmarks/bench_tape.py [--repeat N]

Prints a table of best-of-N times (the least disturbed run on a shared machine; the shim
and numpy runs interleaved) and the ratios the project targets:
scalar chain >= 10x faster than TF eager; MLP step <= 2x numpy; matmul+tanh <= 1.15x numpy.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from timing import timed  # noqa: E402 (benchmarks/ is the script's own folder)

CHAIN_STEPS = 1000


def scalar_chain(tf):
    y0 = tf.Variable(0.5)

    def run():
        with tf.GradientTape() as tape:
            y = y0 * 1.0
            for _ in range(CHAIN_STEPS):
                y = y * 0.999 + tf.sin(y) * 0.001
        return tape.gradient(y, y0)

    return run


def scalar_chain_numpy():
    def run():
        y = np.float32(0.5)
        ys = []
        for _ in range(CHAIN_STEPS):
            ys.append(y)
            y = y * np.float32(0.999) + np.sin(y) * np.float32(0.001)
        g = np.float32(1.0)
        for y in reversed(ys):
            g = g * (np.float32(0.999) + np.cos(y) * np.float32(0.001))
        return g

    return run


def _mlp_data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 784)).astype(np.float32)
    t = rng.standard_normal((64, 10)).astype(np.float32)
    w1 = (rng.standard_normal((784, 256)) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((256, 10)) * 0.05).astype(np.float32)
    return x, t, w1, w2


def mlp_step(tf):
    x, t, w1, w2 = _mlp_data()
    x, t = tf.constant(x), tf.constant(t)
    w1, b1 = tf.Variable(w1), tf.Variable(np.zeros(256, np.float32))
    w2, b2 = tf.Variable(w2), tf.Variable(np.zeros(10, np.float32))
    params = [w1, b1, w2, b2]

    def run():
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.matmul(x, w1) + b1)
            out = tf.matmul(h, w2) + b2
            loss = tf.reduce_mean(tf.square(out - t))
        grads = tape.gradient(loss, params)
        for p, g in zip(params, grads):
            p.assign_sub(0.01 * g)

    return run


def mlp_step_numpy():
    x, t, w1, w2 = _mlp_data()
    b1, b2 = np.zeros(256, np.float32), np.zeros(10, np.float32)
    params = [w1, b1, w2, b2]

    def run():
        w1, b1, w2, b2 = params
        z = x @ w1 + b1
        h = np.maximum(z, 0)
        out = h @ w2 + b2
        diff = out - t
        dout = (2.0 / diff.size) * diff
        dw2 = h.T @ dout
        db2 = dout.sum(0)
        dh = dout @ w2.T
        dz = dh * (z > 0)
        dw1 = x.T @ dz
        db1 = dz.sum(0)
        for i, g in enumerate((dw1, db1, dw2, db2)):
            params[i] = params[i] - np.float32(0.01) * g

    return run


def matmul_tanh(tf):
    rng = np.random.default_rng(1)
    x = tf.constant(rng.standard_normal((1024, 1024)).astype(np.float32))
    w = tf.Variable((rng.standard_normal((1024, 1024)) * 0.03).astype(np.float32))

    def run():
        with tf.GradientTape() as tape:
            y = tf.tanh(tf.matmul(x, w))
        return tape.gradient(y, w)

    return run


def matmul_tanh_numpy():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1024, 1024)).astype(np.float32)
    w = (rng.standard_normal((1024, 1024)) * 0.03).astype(np.float32)

    def run():
        y = np.tanh(x @ w)
        return x.T @ (1 - y * y)

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    import shim

    workloads = [
        ("scalar chain (1000 steps)", scalar_chain, scalar_chain_numpy, "TF/shim >= 10"),
        ("MLP step 784-256-10, batch 64", mlp_step, mlp_step_numpy, "shim/numpy <= 2"),
        ("matmul 1024 + tanh gradient", matmul_tanh, matmul_tanh_numpy, "shim/numpy <= 1.15"),
    ]
    # The shim and numpy are timed before TensorFlow is imported: TF's import starts
    # thread pools that would otherwise share the two cores with them.
    own = [timed(make(shim), make_numpy(), repeat=args.repeat) for _, make, make_numpy, _ in workloads]
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        tf = importlib.import_module("tensorflow")
    except ImportError:
        tf = None
    print(f"{'workload':32} {'shim ms':>9} {'numpy ms':>9} {'TF ms':>9} {'shim/numpy':>11} {'TF/shim':>8}  target")
    for (label, make, _, target), (t_shim, t_np) in zip(workloads, own):
        t_tf = timed(make(tf), repeat=args.repeat)[0] if tf is not None else float("nan")
        print(
            f"{label:32} {t_shim * 1e3:9.2f} {t_np * 1e3:9.2f} {t_tf * 1e3:9.2f} "
            f"{t_shim / t_np:11.2f} {t_tf / t_shim:8.1f}  {target}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
