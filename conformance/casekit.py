"""Helpers that case bodies call: plain Python and numpy, TF reached only through `tf`.

Repro snippets include the source of every helper a case uses, so a snippet runs on
its own under `import tensorflow as tf` and under `import shim as tf`.
"""

from __future__ import annotations

import numpy as np


def attempt(fn, *args, **kwargs):
    """fn(*args, **kwargs), or the exception's class and message as text (several errors in one case)."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # the message is compared as text
        return f"{type(e).__name__}: {e}"


def op_named(tf, name):
    """`tf.math.sin` from "math.sin"."""
    fn = tf
    for part in name.split("."):
        fn = getattr(fn, part)
    return fn


def upstream_like(tf, y, up):
    """An upstream gradient for `y`: the drawn values repeated to y's shape, in y's dtype."""
    return tf.cast(np.resize(np.asarray(up, dtype=np.float64), y.shape.as_list()), y.dtype)


def map_leaves(structure, fn):
    """`fn` applied to each leaf of nested lists, tuples and dicts (dict order kept)."""
    if isinstance(structure, dict):
        return {k: map_leaves(v, fn) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_leaves(v, fn) for v in structure)
    return fn(structure)


def leaves(structure):
    """Leaves in TF's flattening order (dict keys sorted)."""
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in leaves(structure[k])]
    if isinstance(structure, (list, tuple)):
        return [leaf for v in structure for leaf in leaves(v)]
    return [structure]


SMOOTH_FUNCTIONS = ("cube", "quartic_poly", "sqrt_shifted", "log_shifted", "sin", "cos", "exp", "tanh", "sigmoid")


def smooth(tf, function, x):
    """One of SMOOTH_FUNCTIONS of x in [-2, 2], by name (all TF public API)."""
    if function == "cube":
        return x**3
    if function == "quartic_poly":
        return 0.5 * x**4 - 2.0 * x**2 + x
    if function == "sqrt_shifted":
        return tf.sqrt(x + 3.0)
    if function == "log_shifted":
        return tf.math.log(x + 3.0)
    return getattr(tf, function)(x)


def unary(tf, op, x, up):
    """The op named `op` on x, and its gradient for the drawn upstream values."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x)
    return y, tape.gradient(y, x, output_gradients=upstream_like(tf, y, up))


def binary(tf, op, dtype, x, y, up):
    """The op named `op` on x and y in `dtype`, and both gradients for the drawn upstream values."""
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = op_named(tf, op)(x, y)
    return z, tape.gradient(z, [x, y], output_gradients=upstream_like(tf, z, up))
