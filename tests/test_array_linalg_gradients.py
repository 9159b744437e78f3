"""Float64 finite-difference checks of the array and linalg ops' gradients, and of their
batched (jacobian) gradients against the row-by-row pass."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_batched_jacobian, assert_gradients

import shim as tf

RNG = np.random.default_rng(3)


def _x(*shape):
    return RNG.uniform(-1.5, 1.5, shape)


def _square(*shape):
    """Well-conditioned square matrices: diagonally dominant."""
    n = shape[-1]
    return RNG.uniform(-0.5, 0.5, shape) + np.eye(n) * (n + 1)


# name -> (function of shim tensors, float64 arguments)
FUNCTIONS = {
    "strided_slice": (lambda x: tf.strided_slice(x, [0, 3], [3, 0], [2, -1]), (_x(3, 4),)),
    "strided_slice masks": (
        lambda x: tf.strided_slice(
            x, [1, 0, 1], [0, 0, 3], begin_mask=4, end_mask=2, new_axis_mask=1, shrink_axis_mask=2
        ),
        (_x(3, 4),),
    ),
    "split count": (lambda x: tf.split(x, 2, axis=1)[1] * tf.split(x, 2, axis=1)[0], (_x(3, 4),)),
    "split sizes": (lambda x: tf.split(x, [1, -1, 1], axis=0)[1], (_x(4, 2),)),
    "pad constant": (lambda x: tf.pad(x, [[1, 2], [0, 1]]), (_x(2, 3),)),
    "pad constant value": (lambda x: tf.pad(x, [[0, 1], [2, 0]], constant_values=2.5), (_x(2, 3),)),
    "pad reflect": (lambda x: tf.pad(x, [[2, 1], [1, 2]], mode="REFLECT"), (_x(3, 4),)),
    "pad symmetric": (lambda x: tf.pad(x, [[3, 1], [0, 2]], mode="SYMMETRIC"), (_x(3, 2),)),
    "reverse": (lambda x: tf.reverse(x, [0, -1]) * x, (_x(2, 3),)),
    "roll": (lambda x: tf.roll(x, [1, -3, 1], [0, 1, 0]) * x, (_x(3, 4),)),
    "repeat counts": (lambda x: tf.repeat(x, [2, 0, 3], axis=1), (_x(2, 3),)),
    "repeat one count": (lambda x: tf.repeat(x, 3), (_x(2, 2),)),
    "meshgrid": (lambda x, y: tf.meshgrid(x, y)[0] * tf.meshgrid(x, y)[1], (_x(3), _x(2))),
    "boolean_mask": (lambda x: tf.boolean_mask(x, [[True, False, True], [False, True, True]]), (_x(2, 3, 2),)),
    "boolean_mask axis": (lambda x: tf.boolean_mask(x, [True, False, True], axis=1), (_x(2, 3),)),
    "scatter_nd": (lambda u: tf.scatter_nd([[2, 0], [0, 1], [2, 0]], u * u, [3, 2]), (_x(3),)),
    "tensor_scatter_nd_update": (
        lambda t, u: tf.tensor_scatter_nd_update(t * t, [[2], [0]], u * t[:1]),  # no repeats: TF's gradient
        (_x(3, 2), _x(2, 2)),  # gives an overwritten update its position's gradient, finite differences 0
    ),
    "tensor_scatter_nd_add": (lambda t, u: tf.tensor_scatter_nd_add(t * t, [[1, 1], [1, 1]], u * u), (_x(2, 2), _x(2))),
    "einsum matmul": (lambda a, b: tf.einsum("ij,jk->ik", a, b), (_x(2, 3), _x(3, 2))),
    "einsum broadcast batch": (lambda a, b: tf.einsum("...ij,...jk->...ik", a, b), (_x(2, 1, 2, 3), _x(2, 3, 2))),
    "einsum trace": (lambda a: tf.einsum("ii", a * a), (_x(3, 3),)),
    "einsum diagonal": (lambda a: tf.einsum("bii->bi", a) * tf.einsum("bij->b", a)[:, None], (_x(2, 3, 3),)),
    "einsum outer and sum": (lambda a, b: tf.einsum("i,jk->ij", a, b), (_x(2), _x(3, 2))),
    "einsum three": (lambda a, b, c: tf.einsum("ij,jk,kl->il", a, b, c), (_x(2, 2), _x(2, 3), _x(3, 2))),
    "einsum four": (
        lambda a, b, c, d: tf.einsum("ij,jk,kl,lm->im", a, b, c, d),
        (_x(2, 3), _x(3, 4), _x(4, 2), _x(2, 3)),
    ),
    "einsum three ellipsis": (
        lambda a, b, c: tf.einsum("...ij,jk,kl->...il", a, b, c),
        (_x(2, 1, 2, 3), _x(3, 2), _x(2, 2)),
    ),
    "einsum three diagonal and sums": (
        lambda a, b, c: tf.einsum("ii,ijm,jk->k", a, b, c),
        (_x(2, 2), _x(2, 3, 2), _x(3, 2)),
    ),
    "inv": (lambda a: tf.linalg.inv(a), (_square(2, 3, 3),)),
    "inv adjoint": (lambda a: tf.linalg.inv(a, adjoint=True), (_square(3),)),
    "det": (lambda a: tf.linalg.det(a), (_square(2, 3, 3),)),
    "slogdet": (lambda a: tf.linalg.slogdet(a).log_abs_determinant, (_square(3),)),
    "cholesky": (lambda a: tf.linalg.cholesky(tf.matmul(a, a, transpose_b=True)), (_square(2, 3, 3),)),
    "solve": (lambda a, b: tf.linalg.solve(a, b), (_square(2, 3, 3), _x(2, 3, 2))),
    "solve adjoint": (lambda a, b: tf.linalg.solve(a, b, adjoint=True), (_square(3), _x(3, 1))),
    "triangular_solve": (lambda a, b: tf.linalg.triangular_solve(a, b), (_square(2, 3, 3), _x(3, 2))),
    "triangular_solve upper adjoint": (
        lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
        (_square(3), _x(2, 3, 1)),
    ),
    "trace and diag_part": (lambda a: tf.linalg.trace(a)[:, None] * tf.linalg.diag_part(a), (_x(2, 3, 4),)),
    "matrix_transpose": (lambda a: tf.linalg.matrix_transpose(a) * 2.0, (_x(2, 3, 4),)),
    "norm euclidean": (lambda a: tf.norm(a, axis=1), (_x(2, 3),)),
    "norm p": (lambda a: tf.norm(a * a + 0.5, ord=3), (_x(2, 3),)),
    "norm matrix 1": (lambda a: tf.norm(a, ord=1, axis=(1, 0)), (_x(2, 3, 4),)),
    "norm matrix inf": (lambda a: tf.norm(a, ord=np.inf, axis=(-1, -2), keepdims=True), (_x(2, 3, 4),)),
    "norm matrix 2": (lambda a: tf.norm(a, ord=2, axis=(2, 0)), (_x(2, 3, 4),)),
    "l2_normalize": (lambda a: tf.math.l2_normalize(a, axis=-1), (_x(2, 3),)),
    "tensordot pairs": (lambda a, b: tf.tensordot(a, b, [[1, 2], [1, 0]]), (_x(2, 3, 4), _x(4, 3))),
    "tensordot int": (lambda a, b: tf.tensordot(a, b, 1), (_x(2, 3), _x(3, 2))),
    "matvec": (lambda a, v: tf.linalg.matvec(a, v, transpose_a=True), (_x(2, 3, 3), _x(3))),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradient_matches_finite_differences(name):
    fn, args = FUNCTIONS[name]
    assert_gradients(fn, *args)


# the matrix 2-norm's gradient is first order only (see the test at the end)
@pytest.mark.parametrize("name", sorted(set(FUNCTIONS) - {"norm matrix 2"}))
def test_second_order_gradient_matches_finite_differences(name):
    fn, args = FUNCTIONS[name]

    def gradient(*xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            y = tf.reduce_sum(fn(*xs) ** 2)
        return tape.gradient(y, xs[0])

    assert_gradients(gradient, *args)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_batched_jacobian_matches_row_by_row(name):
    fn, args = FUNCTIONS[name]
    assert_batched_jacobian(fn, *args, require_batched=False)


def test_a_second_derivative_through_the_matrix_2_norm_fails_loudly():
    """Its gradient's singular vectors have no gradient yet: an error, not a wrong hessian."""
    a = tf.constant(np.arange(6.0).reshape(2, 3) + 1.0)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            n = tf.norm(a, ord=2, axis=(0, 1))
        g = inner.gradient(n, a)
    with pytest.raises(LookupError, match="SvdVectors"):
        outer.gradient(g, a)
