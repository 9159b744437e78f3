"""Complex gradients follow TF's conjugate convention, checked by finite differences in complex128.

For a real loss L(z) = sum(re(conj(w) * f(z))) with a fixed random complex w, TF's gradient
of f at z for the upstream gradient w is dL/dre(z) + i dL/dim(z). The tape's gradient is
compared with that, by central differences over the real and imaginary part of each element
(a float argument is moved along its real axis only). Ops whose TF gradient is not
conjugated (squared_difference, cumprod, xlogy, multiply_no_nan, reduce_euclidean_norm) are
left out: the conformance cases show TF's choice there.
"""

from __future__ import annotations

import numpy as np
import pytest

import shim as tf
from gradcheck import assert_batched_jacobian
from shim.ops import math_ops

STEP = 1e-6
rng = np.random.default_rng(7)


def _complex(re, im, shape=(2, 3)):
    return rng.uniform(*re, shape) + 1j * rng.uniform(*im, shape)


def _loss(fn, args, w):
    out = fn(*[tf.constant(a) for a in args]).numpy()
    return float(np.sum(np.real(np.conj(w) * out)))


def numeric_gradient(fn, args, index, w):
    """dL/dre + i dL/dim of args[index] (dL/dx for a float argument) by central differences."""
    base = [np.array(a) for a in args]
    grad = np.zeros(base[index].shape, np.complex128)
    flat = grad.reshape(-1)
    directions = (1.0, 1j) if base[index].dtype.kind == "c" else (1.0,)
    for k in range(flat.size):
        for direction in directions:
            values = []
            for sign in (1.0, -1.0):
                moved = [a.copy() for a in base]
                moved[index].reshape(-1)[k] += sign * STEP * direction
                values.append(_loss(fn, moved, w))
            flat[k] += direction * (values[0] - values[1]) / (2 * STEP)
    return grad


def assert_conjugate_gradients(fn, *args, rtol=1e-6, atol=1e-7):
    tensors = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        out = fn(*tensors)
    shape = out.shape.as_list()
    w = rng.uniform(-1, 1, shape) + (1j * rng.uniform(-1, 1, shape) if out.dtype.is_complex else 0)
    grads = tape.gradient(out, tensors, output_gradients=tf.constant(w.astype(out.dtype.as_numpy_dtype)))
    for i, grad in enumerate(grads):
        numeric = numeric_gradient(fn, args, i, w)
        got = np.zeros_like(numeric) if grad is None else tf.convert_to_tensor(grad).numpy()
        assert got.dtype == np.asarray(args[i]).dtype, f"argument {i}: gradient dtype {got.dtype}"
        np.testing.assert_allclose(got, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of argument {i}")


# name, the real parts' range, the imaginary parts' range (off the branch cuts and poles)
UNARY = [
    ("sin", (-1.5, 1.5), (-1.5, 1.5)),
    ("cos", (-1.5, 1.5), (-1.5, 1.5)),
    ("tan", (-1.0, 1.0), (-1.0, 1.0)),
    ("exp", (-2.0, 2.0), (-3.0, 3.0)),
    ("expm1", (-2.0, 2.0), (-3.0, 3.0)),
    ("log", (0.25, 3.0), (-2.0, 2.0)),
    ("log1p", (0.0, 2.0), (-2.0, 2.0)),
    ("sqrt", (0.25, 3.0), (-2.0, 2.0)),
    ("rsqrt", (0.25, 3.0), (-2.0, 2.0)),
    ("reciprocal", (0.25, 2.0), (-2.0, 2.0)),
    ("square", (-2.0, 2.0), (-2.0, 2.0)),
    ("tanh", (-1.0, 1.0), (-1.0, 1.0)),
    ("sigmoid", (-2.0, 2.0), (-1.5, 1.5)),
    ("sinh", (-2.0, 2.0), (-2.0, 2.0)),
    ("cosh", (-2.0, 2.0), (-2.0, 2.0)),
    ("asin", (-0.8, 0.8), (0.25, 1.0)),
    ("acos", (-0.8, 0.8), (0.25, 1.0)),
    ("atan", (0.25, 1.0), (-0.75, 0.75)),
    ("asinh", (0.25, 1.0), (-0.75, 0.75)),
    ("acosh", (-2.0, 2.0), (0.25, 2.0)),
    ("atanh", (-0.8, 0.8), (0.25, 1.0)),
    ("negative", (-2.0, 2.0), (-2.0, 2.0)),
    ("conj", (-2.0, 2.0), (-2.0, 2.0)),
    # real outputs
    ("abs", (0.25, 2.0), (-2.0, 2.0)),
    ("real", (-2.0, 2.0), (-2.0, 2.0)),
    ("imag", (-2.0, 2.0), (-2.0, 2.0)),
    ("angle", (0.25, 2.0), (-2.0, 2.0)),
    ("sign", (0.25, 2.0), (-2.0, 2.0)),
]


@pytest.mark.parametrize("name, re, im", UNARY, ids=[u[0] for u in UNARY])
def test_unary(name, re, im):
    assert_conjugate_gradients(getattr(tf.math, name), _complex(re, im))


def test_unary_second_order_through_complex():
    """The gradient functions are shim ops on complex values: a nested tape differentiates them again."""

    def first_derivative_loss(z):
        with tf.GradientTape() as tape:
            tape.watch(z)
            y = tf.reduce_sum(tf.math.real(tf.sin(z) * tf.exp(z)))
        return tape.gradient(y, z) * tf.tanh(z)

    assert_conjugate_gradients(first_derivative_loss, _complex((-1, 1), (-1, 1)))


BINARY = {
    "add": tf.math.add,
    "subtract": tf.math.subtract,
    "multiply": tf.math.multiply,
    "truediv": tf.math.truediv,
    "divide_no_nan": tf.math.divide_no_nan,
    "pow": tf.math.pow,
    "operators": lambda x, y: x * y - x / y + 0.5 * x**2,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3), (3,)), ((1, 3), (2, 1))], ids=["same", "row", "outer"])
def test_binary(name, shapes):
    x = _complex((0.25, 2.0), (-1.0, 1.0), shapes[0])
    y = _complex((0.5, 1.5), (-1.0, 1.0), shapes[1])
    assert_conjugate_gradients(BINARY[name], x, y)


MATMULS = {
    "plain": lambda a, b: tf.matmul(a, b),
    "transpose_a": lambda a, b: tf.matmul(tf.transpose(a), b, transpose_a=True),
    "transpose_b": lambda a, b: tf.matmul(a, tf.transpose(b), transpose_b=True),
    "adjoint_a": lambda a, b: tf.matmul(tf.transpose(a), b, adjoint_a=True),
    "adjoint_b": lambda a, b: tf.matmul(a, tf.transpose(b), adjoint_b=True),
    "both adjoint": lambda a, b: tf.matmul(tf.transpose(a), tf.transpose(b), adjoint_a=True, adjoint_b=True),
    "batched": lambda a, b: tf.matmul(tf.stack([a, 2.0 * a]), b),
    "batched transpose_a": lambda a, b: tf.matmul(tf.stack([tf.transpose(a)]), b, transpose_a=True),
    "batched adjoint_b": lambda a, b: tf.matmul(a, tf.stack([tf.transpose(b)] * 2), adjoint_b=True),
    "tensordot": lambda a, b: tf.tensordot(a, b, 1),
    "matvec": lambda a, b: tf.linalg.matvec(a, b[:, 0]),
    "adjoint": lambda a, b: tf.linalg.adjoint(a) * b[:, :1],
}


@pytest.mark.parametrize("name", sorted(MATMULS))
def test_matmul(name):
    assert_conjugate_gradients(MATMULS[name], _complex((-1, 1), (-1, 1), (2, 3)), _complex((-1, 1), (-1, 1), (3, 2)))


REDUCTIONS = {
    "reduce_sum": lambda x: tf.reduce_sum(x, axis=1),
    "reduce_mean": lambda x: tf.reduce_mean(x, axis=0),
    "reduce_prod": lambda x: tf.reduce_prod(x, axis=1),
    "reduce_prod all": lambda x: tf.reduce_prod(x),
    "cumsum": lambda x: tf.math.cumsum(x, axis=1, reverse=True),
    "add_n": lambda x: tf.math.add_n([x, x * x]),
    "norm": lambda x: tf.norm(x, axis=1),
    "norm ord 1": lambda x: tf.norm(x, ord=1),
    "l2_normalize": lambda x: tf.math.l2_normalize(x, axis=1),
    "reduce_variance": lambda x: tf.math.reduce_variance(x, axis=0),
    "reduce_std": lambda x: tf.math.reduce_std(x),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions(name):
    assert_conjugate_gradients(REDUCTIONS[name], _complex((0.25, 1.5), (-1.0, 1.0)))


LINALG = {
    "inv": lambda a, b: tf.linalg.inv(a),
    "inv adjoint": lambda a, b: tf.linalg.inv(a, adjoint=True),
    "solve": lambda a, b: tf.linalg.solve(a, b),
    "solve adjoint": lambda a, b: tf.linalg.solve(a, b, adjoint=True),
    "triangular_solve": lambda a, b: tf.linalg.triangular_solve(a, b),
    "triangular_solve upper adjoint": lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
}


@pytest.mark.parametrize("name", sorted(LINALG))
def test_linalg(name):
    a = _complex((-1, 1), (-1, 1), (2, 3, 3)) + 3 * np.eye(3)
    assert_conjugate_gradients(LINALG[name], a, _complex((-1, 1), (-1, 1), (2, 3, 2)))


def test_determinants_follow_tf_not_the_convention():
    """TF's det and slogdet gradients leave det(a) unconjugated: grad * det(a) * inv(a)^H (finite differences
    give conj(det(a)) there), as the conformance case ops_complex.linalg shows."""
    a = _complex((-1, 1), (-1, 1), (3, 3)) + 3 * np.eye(3)
    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        d = tf.linalg.det(x)
    expected = np.linalg.det(a) * np.conj(np.linalg.inv(a)).T
    np.testing.assert_allclose(tape.gradient(d, x).numpy(), expected, rtol=1e-12)


def test_complex_of_float_parts():
    """tf.complex of float64 sources (broadcasting): their gradients are real(g) and imag(g), summed."""
    assert_conjugate_gradients(
        lambda re, im: tf.exp(tf.complex(re, im)), rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3,))
    )


def test_casts_between_float_and_complex():
    z = _complex((-1, 1), (-1, 1))
    assert_conjugate_gradients(lambda r, z: tf.cast(r, tf.complex128) * z, rng.uniform(-1, 1, (2, 3)), z)
    assert_conjugate_gradients(lambda z: tf.cast(z, tf.float64) ** 2, z)


def test_real_losses():
    """Real-valued losses of complex sources: |z|^2 has gradient 2z, re(z^2) 2 conj(z)."""
    z = _complex((0.25, 1.5), (-1.0, 1.0))
    for loss, expected in [
        (lambda z: tf.reduce_sum(tf.abs(z) ** 2), 2 * z),
        (lambda z: tf.reduce_sum(tf.math.real(z * z)), 2 * np.conj(z)),
    ]:
        source = tf.Variable(z)
        with tf.GradientTape() as tape:
            value = loss(source)
        np.testing.assert_allclose(tape.gradient(value, source).numpy(), expected, rtol=1e-12)
        assert_conjugate_gradients(loss, z)


def test_real_dtypes_take_no_conj(monkeypatch):
    """Float gradients record no Conj op: the complex branches are skipped before any op runs."""

    def refuse(*_):
        raise AssertionError("a float gradient ran Conj")

    monkeypatch.setattr(math_ops._conj, "forward", refuse)
    x, y = tf.constant(rng.uniform(0.5, 1.5, (2, 3))), tf.constant(rng.uniform(0.5, 1.5, (3, 2)))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        out = tf.reduce_sum(tf.matmul(x, y)) + tf.reduce_prod(tf.math.sqrt(x) * tf.exp(x) / tf.math.pow(x, 2.0))
        out += tf.reduce_sum(tf.math.acos(x - 1.0) + tf.tanh(x) + tf.sigmoid(x) + tf.math.rsqrt(x) + tf.math.log1p(x))
        out += tf.reduce_sum(tf.matmul(tf.stack([x]), tf.transpose(y), adjoint_b=True))
    assert all(g is not None for g in tape.gradient(out, [x, y]))


# -- jacobians: the batchable gradients take a whole batch of complex rows at once ---------------

JACOBIAN_FUNCTIONS = {
    "elementwise": lambda x, y: tf.sin(x) * tf.exp(y) + tf.math.sqrt(x) / tf.tanh(y) + tf.math.reciprocal(x),
    "inverse trigonometry": lambda x, y: tf.math.asin(x - 1.0) + tf.math.atan(y) * tf.math.acosh(x + 1.0j),
    "parts": lambda x, y: (
        tf.complex(tf.abs(x), tf.math.angle(y)) + tf.cast(tf.math.real(x * y), x.dtype) + tf.math.sign(y)
    ),
    "matmul": lambda x, y: tf.matmul(x, y, adjoint_b=True) + tf.matmul(x, y, transpose_a=True),
    "batched matmul": lambda x, y: tf.matmul(tf.stack([x, y]), y, transpose_a=True),
    "reductions": lambda x, y: tf.concat(
        [tf.reduce_prod(x, axis=1), tf.reduce_mean(y, axis=0), tf.math.cumsum(x * y, axis=1)[:, 0]], 0
    ),
    "pow and division": lambda x, y: tf.math.pow(x, y) + tf.math.divide_no_nan(x, y) - x / (y * y),
    "linalg": lambda x, y: (
        tf.linalg.inv(x + 3.0)
        + tf.linalg.solve(y + 3.0, x, adjoint=True)
        + tf.linalg.triangular_solve(x + 3.0, y, adjoint=True)
    ),
}


@pytest.mark.parametrize("name", sorted(JACOBIAN_FUNCTIONS))
def test_jacobians_are_one_batched_pass(name):
    assert_batched_jacobian(JACOBIAN_FUNCTIONS[name], *[_complex((0.5, 1.5), (-0.5, 0.5), (3, 3)) for _ in range(2)])
