"""Float64 finite-difference checks of the shim's gradients: one function for every op's test.

`assert_gradients(fn, *args)` compares, for each argument, the tape's vector-Jacobian
product with a random cotangent against central differences of <cotangent, fn(x)>,
one coordinate at a time. Arguments are float64 numpy arrays; `fn` takes shim tensors
and returns one tensor. Keep the points away from an op's kinks: finite differences
cannot see TF's choice there (the conformance cases check those).
"""

from __future__ import annotations

import numpy as np

import shim as tf

STEP = 1e-6


def numeric_vjp(fn, args, index, cotangent):
    """d<cotangent, fn(args)>/d args[index] by central differences."""
    base = [np.array(a, dtype=np.float64) for a in args]
    grad = np.zeros_like(base[index])
    flat = grad.reshape(-1)
    for k in range(flat.size):
        values = []
        for sign in (1.0, -1.0):
            moved = [a.copy() for a in base]
            moved[index].reshape(-1)[k] += sign * STEP
            out = fn(*[tf.constant(a) for a in moved]).numpy()
            values.append(float(np.sum(cotangent * out)))
        flat[k] = (values[0] - values[1]) / (2 * STEP)
    return grad


def tape_vjps(fn, args, cotangent):
    """The tape's gradients of <cotangent, fn(args)> for every argument."""
    tensors = [tf.constant(np.asarray(a, dtype=np.float64)) for a in args]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        out = fn(*tensors)
    grads = tape.gradient(out, tensors, output_gradients=tf.constant(cotangent))
    return [None if g is None else tf.convert_to_tensor(g).numpy() for g in grads]


def assert_gradients(fn, *args, rtol=1e-5, atol=1e-6, seed=0, wrt=None):
    """The tape's gradient of fn at args equals central differences, for each argument in `wrt`
    (all by default); an argument the tape gives None for must have a zero numeric gradient."""
    rng = np.random.default_rng(seed)
    out = fn(*[tf.constant(np.asarray(a, dtype=np.float64)) for a in args])
    cotangent = rng.uniform(-1.0, 1.0, np.shape(out.numpy()))
    analytic = tape_vjps(fn, args, cotangent)
    for i in range(len(args)) if wrt is None else wrt:
        numeric = numeric_vjp(fn, args, i, cotangent)
        got = np.zeros_like(numeric) if analytic[i] is None else analytic[i]
        np.testing.assert_allclose(got, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of argument {i}")


def _refuse_rows(*_):
    raise AssertionError("a batchable gradient ran row by row")


def assert_batched_jacobian(fn, *args, require_batched: bool = True, rtol: float = 1e-12, atol: float = 1e-12):
    """The jacobian of fn at args from one batched pass equals the one from a pass per row;
    with `require_batched`, no gradient on the way may fall back to running row by row."""
    from unittest import mock

    from shim._core import backward

    xs = [a if isinstance(a, tf.Tensor) else tf.constant(a) for a in args]

    def jacobian(pfor):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xs)
            y = fn(*xs)
        return [j.numpy() for j in tape.jacobian(y, xs, experimental_use_pfor=pfor)]

    looped = jacobian(False)
    if require_batched:
        with mock.patch.object(backward, "_row_by_row", _refuse_rows):
            vectorised = jacobian(True)
    else:
        vectorised = jacobian(True)
    for v, r in zip(vectorised, looped):
        np.testing.assert_allclose(v, r, rtol=rtol, atol=atol)
