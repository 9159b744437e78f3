"""`tf.linalg`: matrix transposes, diagonals and traces, inverses, determinants, solves and
Cholesky factors; each with TF's checks and its gradient (TF's formulas, in shim ops, so
they differentiate again and take a jacobian's batch of upstream gradients).

Complex matrices: inv, det, slogdet, solve, triangular_solve, norm, l2_normalize, tensordot,
matvec and the transposes take them as TF does; cholesky is real only for now (its complex
gradient is not written yet).
"""

from __future__ import annotations

import collections

import numpy as np

from .._core import errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import convert_to_tensor, make
from ._args import eager_fallback
from .array_ops import _transpose, broadcast_to
from .math_ops import _conj, _conj_if_complex, matmul, multiply, negative, reduce_sum, subtract


def _complex_unsupported(x):
    if x._dtype.is_complex:
        raise NotImplementedError("shim: tf.linalg on complex tensors is not implemented")


# Their forwards conjugate an adjoint and TF's gradients (matmuls with adjoint flags, inverses of the
# adjoint) are right for complex matrices as they are written.
_COMPLEX_READY = {"MatrixInverse", "MatrixDeterminant", "LogMatrixDeterminant", "MatrixSolve", "MatrixTriangularSolve"}


def _run(op, inputs, slow, name, **attrs):
    """Runs a linalg op the way TF's generated wrapper names it (no name on the slow path)."""
    if op.type not in _COMPLEX_READY:
        for x in inputs:
            _complex_unsupported(x)
    return op(*inputs, name=None if slow else name or "", unscoped=slow, **attrs)


def _adjoint_matrices(x):
    """Each matrix's adjoint: the conjugate transpose (the transpose for real matrices)."""
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if x.dtype.kind == "c" else x


# -- transposes -------------------------------------------------------------------------------


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """`tf.linalg.matrix_transpose`: the last two dims swapped."""
    a = convert_to_tensor(a)
    if a.ndim < 2:
        raise ValueError(
            f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {a} with shape: {a.shape}"
        )
    perm = tuple(range(a.ndim - 2)) + (a.ndim - 1, a.ndim - 2)
    if conjugate and a._dtype.is_complex:  # TF's ConjugateTranspose: same values and gradient as Conj of Transpose
        return _conj(_transpose(a, perm=perm))
    return _transpose(a, perm=perm)


def adjoint(matrix, name=None):
    """`tf.linalg.adjoint`: the conjugate transpose (the transpose, for real matrices)."""
    return matrix_transpose(matrix, conjugate=True)


def _swap(x):
    return _transpose(x, perm=tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


# -- diagonals and trace ----------------------------------------------------------------------


def _diag_part_forward(x):
    if np.ndim(x) < 2:
        raise errors.KernelError(f"input must be at least 2-dim, received shape: {shape_text(np.shape(x))}")
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


_diag_part = Op("MatrixDiagPartV3", _diag_part_forward)


def _diag_embed_forward(diagonal, shape):
    """Zeros of `shape` (batch dims first) with `diagonal` on the main diagonal of each matrix."""
    out = np.zeros(shape, dtype=np.asarray(diagonal).dtype)
    count = np.shape(diagonal)[-1]
    out[..., np.arange(count), np.arange(count)] = diagonal
    return out


# Not a TF op: TF's gradient is MatrixDiagV3 or MatrixSetDiagV3 on zeros, the same values.
_diag_embed = Op("MatrixDiagPartGrad", _diag_embed_forward)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002 (TF's name)
    """`tf.linalg.diag_part`: the main diagonal of each matrix (k=0 only)."""
    if k != 0 or padding_value != 0:
        raise NotImplementedError("shim: tf.linalg.diag_part with k != 0 or a padding value is not implemented")
    return _diag_part(convert_to_tensor(input), name=name)


@RegisterGradient("MatrixDiagPartV3")
@batchable
def _diag_part_grad(op, grad):
    lead = batch_dims(grad, op.outputs[0])
    return _diag_embed(grad, shape=lead + np.shape(op.inputs[0]._value))


@RegisterGradient("MatrixDiagPartGrad")
@batchable
def _diag_embed_grad(op, grad):
    return _diag_part(grad)


def trace(x, name=None):
    """`tf.linalg.trace`: the sum of each matrix's main diagonal."""
    return reduce_sum(diag_part(x), axis=[-1])


# -- band parts (the gradients of triangular ops keep one triangle) ----------------------------


def _band(x, lower: bool):
    keep = np.tril(np.ones(np.shape(x)[-2:], dtype=bool)) if lower else np.triu(np.ones(np.shape(x)[-2:], dtype=bool))
    return multiply(x, make(keep.astype(x._dtype.np_dtype), x._dtype))


def _diagonal_only(x):
    return multiply(x, make(np.eye(*np.shape(x._value)[-2:], dtype=x._dtype.np_dtype), x._dtype))


# -- inverse, determinants -----------------------------------------------------------------------


def _square(x):
    if np.ndim(x) < 2:
        raise errors.KernelError(f"Input tensor 0 must have rank >= 2, got {np.ndim(x)}")
    if np.shape(x)[-1] != np.shape(x)[-2]:
        raise errors.KernelError("Input matrix must be square.")


def _inverse_forward(x, adjoint):
    _square(x)
    matrices = _adjoint_matrices(x) if adjoint else np.asarray(x)
    try:
        return np.linalg.inv(matrices).astype(np.asarray(x).dtype)
    except np.linalg.LinAlgError:  # an exactly zero pivot, as TF's LU finds it
        raise errors.KernelError("Input is not invertible.") from None


_inverse = Op("MatrixInverse", _inverse_forward)


def inv(input, adjoint=False, name=None):  # noqa: A002
    """`tf.linalg.inv`: the inverse of each matrix (of its adjoint with adjoint=True)."""
    slow = eager_fallback(input)
    return _run(_inverse, [convert_to_tensor(input)], slow, name, adjoint=bool(adjoint))


@RegisterGradient("MatrixInverse")
@batchable
def _inverse_grad(op, grad):
    inverse = op.outputs[0]
    if op.attrs["adjoint"]:
        return negative(matmul(inverse, matmul(grad, inverse, adjoint_a=True)))
    return negative(matmul(inverse, matmul(grad, inverse, adjoint_b=True), adjoint_a=True))


def _determinant_forward(x):
    _square(x)
    return np.asarray(np.linalg.det(x)).astype(np.asarray(x).dtype)


_determinant = Op("MatrixDeterminant", _determinant_forward)


def det(input, name=None):  # noqa: A002
    """`tf.linalg.det`: each matrix's determinant."""
    return _run(_determinant, [convert_to_tensor(input)], eager_fallback(input), name)


def _matrix_scale(values, like):
    """values[..., None, None], to scale each matrix of `like`."""
    return values[..., None, None] if values.ndim else values


@RegisterGradient("MatrixDeterminant")
@batchable
def _determinant_grad(op, grad):
    """d det(a) = det(a) * inv(a)^T (TF's formula: zero matrices give nan, as in TF)."""
    return multiply(_matrix_scale(multiply(grad, op.outputs[0]), op.inputs[0]), inv(op.inputs[0], adjoint=True))


LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])


def _slogdet_forward(x):
    _square(x)
    sign, logdet = np.linalg.slogdet(x)
    dtype = np.asarray(x).dtype
    return np.asarray(sign).astype(dtype), np.asarray(logdet).astype(dtype)


_slogdet = Op("LogMatrixDeterminant", _slogdet_forward, num_outputs=2)


def slogdet(input, name=None):  # noqa: A002
    """`tf.linalg.slogdet`: (sign, log |det|) of each matrix."""
    return LogMatrixDeterminant(*_run(_slogdet, [convert_to_tensor(input)], eager_fallback(input), name))


@RegisterGradient("LogMatrixDeterminant")
@batchable
def _slogdet_grad(op, sign_grad, log_grad):
    return multiply(_matrix_scale(log_grad, op.inputs[0]), inv(op.inputs[0], adjoint=True))


# -- solves ------------------------------------------------------------------------------------


def _solve_checks(a, b):
    if np.ndim(a) != np.ndim(b):
        raise errors.KernelError("All input tensors must have the same rank.")
    if np.ndim(a) < 2:
        raise errors.KernelError(f"Input tensor 0 must have rank >= 2, got {np.ndim(a)}")
    if np.shape(a)[:-2] != np.shape(b)[:-2]:
        raise errors.KernelError("All input tensors must have the same outer dimensions.")
    if np.shape(a)[-1] != np.shape(a)[-2]:
        raise errors.KernelError("First input (lhs) must be a square matrix.")
    if np.shape(a)[-1] != np.shape(b)[-2]:
        raise errors.KernelError("Input matrix and rhs are incompatible.")


def _solve_forward(a, b, adjoint):
    _solve_checks(a, b)
    matrices = _adjoint_matrices(a) if adjoint else np.asarray(a)
    try:
        return np.linalg.solve(matrices, b).astype(np.asarray(a).dtype)
    except np.linalg.LinAlgError:
        raise errors.KernelError("Input matrix is not invertible.") from None


_solve = Op("MatrixSolve", _solve_forward, uniform=True)


def solve(matrix, rhs, adjoint=False, name=None):
    """`tf.linalg.solve`: x with matrix @ x = rhs (adjoint(matrix) @ x with adjoint=True)."""
    slow = eager_fallback(matrix, rhs)
    from ._args import same_dtype

    a, b = same_dtype("MatrixSolve", [matrix, rhs], None if slow else name or "")
    return _run(_solve, [a, b], slow, name, adjoint=bool(adjoint))


@RegisterGradient("MatrixSolve")
@batchable
def _solve_grad(op, grad):
    a, c = op.inputs[0], op.outputs[0]
    adjoint_ = op.attrs["adjoint"]
    lead = batch_dims(grad, c)
    matrix = broadcast_to(a, lead + np.shape(a._value)) if lead else a  # the kernel does not broadcast
    grad_b = _solve(matrix, grad, adjoint=not adjoint_)
    if adjoint_:
        return negative(matmul(c, grad_b, adjoint_b=True)), grad_b
    return negative(matmul(grad_b, c, adjoint_b=True)), grad_b


def _triangular_forward(a, b, lower, adjoint):
    """Forward or back substitution on each matrix's triangle (the other triangle is ignored)."""
    a, b = np.asarray(a), np.asarray(b)
    triangle = np.tril(a) if lower else np.triu(a)
    if adjoint:
        triangle, lower = _adjoint_matrices(triangle), not lower
    n = a.shape[-1]
    out = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:], dtype=b.dtype)
    rows = range(n) if lower else range(n - 1, -1, -1)
    for i in rows:
        known = np.einsum("...j,...jk->...k", triangle[..., i, :], out)
        out[..., i, :] = (b[..., i, :] - known) / triangle[..., i, i][..., None]
    return out


def _triangular_checks(a, b, lower, adjoint):
    """The kernel's checks in its order; the batch dims' broadcast shape."""
    if np.ndim(a) < 2 or np.ndim(b) < 2:
        which, rank = (0, np.ndim(a)) if np.ndim(a) < 2 else (1, np.ndim(b))
        raise errors.KernelError(f"In[{which}] ndims must be >= 2: {rank}")
    if np.shape(a)[-1] != np.shape(a)[-2]:
        raise errors.KernelError(
            f"In[0] matrices in the last dimensions must be square ({np.shape(a)[-1]} =/= {np.shape(a)[-2]})"
        )
    try:
        batch = np.broadcast_shapes(np.shape(a)[:-2], np.shape(b)[:-2])
    except ValueError:
        raise errors.KernelError(
            f"In[0] and In[1] must have compatible batch dimensions: {shape_text(np.shape(a))} vs. {shape_text(np.shape(b))}"
        ) from None
    if np.shape(a)[-1] != np.shape(b)[-2]:
        raise errors.KernelError(
            f"In[0] mismatch In[1] shape: {np.shape(a)[-1]} vs. {np.shape(b)[-2]}: {shape_text(np.shape(a))} "
            f"{shape_text(np.shape(b))} {int(lower)} {int(adjoint)}"
        )
    return batch


_triangular_solve = Op("MatrixTriangularSolve", _triangular_forward, uniform=True)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """`tf.linalg.triangular_solve`: x with tri(matrix) @ x = rhs; the batch dims broadcast."""
    slow = eager_fallback(matrix, rhs)
    from ._args import same_dtype

    scope = None if slow else name or ""
    a, b = same_dtype("MatrixTriangularSolve", [matrix, rhs], scope)
    try:
        batch = _triangular_checks(a._value, b._value, lower, adjoint)
    except errors.KernelError as exc:
        raise errors.kernel_error("MatrixTriangularSolve", exc.text, scope) from None
    # broadcast first, so the gradients of the broadcasts sum back over the batch dims
    if np.shape(a._value)[:-2] != batch:
        a = broadcast_to(a, batch + np.shape(a._value)[-2:])
    if np.shape(b._value)[:-2] != batch:
        b = broadcast_to(b, batch + np.shape(b._value)[-2:])
    return _run(_triangular_solve, [a, b], slow, name, lower=bool(lower), adjoint=bool(adjoint))


@RegisterGradient("MatrixTriangularSolve")
@batchable
def _triangular_solve_grad(op, grad):
    a, c = op.inputs[0], op.outputs[0]
    lower, adjoint_ = op.attrs["lower"], op.attrs["adjoint"]
    grad_b = _triangular_solve(a, grad, lower=lower, adjoint=not adjoint_)
    grad_a = negative(matmul(c, grad_b, adjoint_b=True) if adjoint_ else matmul(grad_b, c, adjoint_b=True))
    return _band(grad_a, lower), grad_b


# -- Cholesky -------------------------------------------------------------------------------------


def _cholesky_forward(x):
    _square(x)
    try:
        return np.linalg.cholesky(x).astype(np.asarray(x).dtype)
    except np.linalg.LinAlgError:  # TF returns whatever its failed factorisation left: no error
        return np.full(np.shape(x), np.nan, dtype=np.asarray(x).dtype)


_cholesky = Op("Cholesky", _cholesky_forward)


def cholesky(input, name=None):  # noqa: A002
    """`tf.linalg.cholesky`: the lower factor L of each symmetric positive definite matrix (L L^T)."""
    return _run(_cholesky, [convert_to_tensor(input)], eager_fallback(input), name)


@RegisterGradient("Cholesky")
@batchable
def _cholesky_grad(op, grad):
    """TF's formula: with L^-1 from a triangular solve, Phi(L^T grad) halved on the diagonal."""
    factor = op.outputs[0]
    size = np.shape(factor._value)[-1]
    identity_ = make(
        np.broadcast_to(np.eye(size, dtype=factor._dtype.np_dtype), np.shape(factor._value)).copy(), factor._dtype
    )
    factor_inverse = _triangular_solve(factor, identity_, lower=True, adjoint=False)
    middle = matmul(factor, grad, adjoint_a=True)
    middle = subtract(
        _band(middle, True), multiply(_diagonal_only(middle), make(factor._dtype.np_dtype.type(0.5), factor._dtype))
    )
    grad_a = matmul(matmul(factor_inverse, middle, adjoint_a=True), factor_inverse)
    grad_a = multiply(grad_a + _swap(grad_a), make(factor._dtype.np_dtype.type(0.5), factor._dtype))
    return grad_a


# -- norms ---------------------------------------------------------------------------------------


# -- singular values (the matrix 2-norm) -------------------------------------------------------


def _singular_values_forward(a, compute_uv, full_matrices):
    return np.linalg.svd(a, compute_uv=False).astype(a.dtype)


def _singular_vectors_forward(a):
    u, _s, vh = np.linalg.svd(a, full_matrices=False)
    return u, vh


_singular_values = Op("Svd", _singular_values_forward)  # TF's Svd with compute_uv=False
# u and v^H for Svd's gradient. TF differentiates them too (Svd with compute_uv=True); the shim has
# no gradient for them yet, so a second derivative through a 2-norm fails loudly instead of being wrong.
_singular_vectors = Op("SvdVectors", _singular_vectors_forward, num_outputs=2)


@RegisterGradient("Svd")
def _svd_grad(op, grad_s):
    """TF's _SvdGrad for compute_uv=False: u diag(grad_s) v^H."""
    from .array_ops import expand_dims

    u, vh = _singular_vectors(op.inputs[0])
    return matmul(multiply(u, expand_dims(grad_s, -2)), vh)


def singular_values(a):
    """The singular values of the last two axes (largest first), as TF's Svd(compute_uv=False)."""
    return _run(_singular_values, [convert_to_tensor(a)], True, None, compute_uv=False, full_matrices=False)


def _matrix_2_norm(x, axis):
    """TF's: the largest singular value, the two axes moved last and the result moved back."""
    from .array_ops import expand_dims, transpose
    from .math_ops import abs as abs_
    from .math_ops import reduce_max

    rank = x.ndim
    chosen = [a + rank if a < 0 else a for a in axis]
    before = [a for a in range(rank) if a not in chosen] + chosen
    after = [before.index(a) for a in range(rank)]
    values = singular_values(transpose(x, before))
    return transpose(expand_dims(reduce_max(abs_(values), axis=-1, keepdims=True), -1), after)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002 (TF's argument name)
    """`tf.norm` / `tf.linalg.norm`, built as TF builds it (so its gradient is TF's, nan at 0 for
    the euclidean norm): vector norms over one axis or all, matrix norms over two axes."""
    from .array_ops import squeeze
    from .math_ops import abs as abs_
    from .math_ops import pow as pow_
    from .math_ops import reduce_max, sqrt

    matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if matrix:
        axis = tuple(axis)
        if not isinstance(axis[0], int) or not isinstance(axis[1], int) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        if (not np.isreal(ord) or ord <= 0) and ord not in ["euclidean", 1, 2, np.inf]:
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    x = convert_to_tensor(tensor)
    if ord in ["fro", "euclidean", 2, 2.0]:
        if matrix and ord in [2, 2.0]:
            result = _matrix_2_norm(x, axis)
            return result if keepdims else squeeze(result, axis)
        # complex: TF's sqrt(sum(x * conj(x))), a complex result
        result = sqrt(reduce_sum(multiply(x, _conj_if_complex(x)), axis, keepdims=True))
    else:
        result = abs_(x)
        if ord == 1:
            result = reduce_sum(result, None if axis is None else axis[0], keepdims=True)
            if matrix:
                result = reduce_max(result, axis[-1], keepdims=True)
        elif ord == np.inf:
            if matrix:
                result = reduce_sum(result, axis[1], keepdims=True)
            result = reduce_max(result, None if axis is None else axis[0], keepdims=True)
        else:  # a p-norm, p > 0
            real_type = result._dtype  # |x| is real for complex x
            power = make(real_type.np_dtype.type(ord), real_type)
            result = pow_(
                reduce_sum(pow_(result, power), axis, keepdims=True),
                make(real_type.np_dtype.type(1.0 / ord), real_type),
            )
    if not keepdims:
        result = squeeze(result, axis)
    return result


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """`tf.math.l2_normalize` / `tf.nn.l2_normalize`: x / sqrt(max(sum(x**2), epsilon))."""
    from .math_ops import complex as complex_
    from .math_ops import imag, maximum, real, rsqrt, square

    if dim is not None:  # TF's deprecated name for axis
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    x = convert_to_tensor(x)
    if x._dtype.is_complex:  # TF's: the real and imaginary parts scaled by 1 / |x|
        re, im = real(x), imag(x)
        square_sum = real(reduce_sum(square(re) + square(im), axis, keepdims=True))
        inv_norm = rsqrt(maximum(square_sum, make(re._dtype.np_dtype.type(epsilon), re._dtype)))
        return complex_(multiply(re, inv_norm), multiply(im, inv_norm))
    square_sum = reduce_sum(square(x), axis, keepdims=True)
    return multiply(x, rsqrt(maximum(square_sum, make(x._dtype.np_dtype.type(epsilon), x._dtype))))


# -- tensordot and matvec (TF builds both on matmul) -------------------------------------------


def _tensordot_axes(a, axes):
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > a.ndim:
            raise ValueError(
                f"`axes` must not be larger than the number of dimensions of tensor {a}.  "
                f"Received {axes}, vs tensor dimensions {a.ndim}."
            )
        return list(range(a.ndim - axes, a.ndim)), list(range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
        return [int(i) for i in a_axes], [int(i) for i in b_axes]
    pair = np.asarray(convert_to_tensor(axes)._value)  # a tensor of two axis lists
    return [int(i) for i in np.reshape(pair[0], -1)], [int(i) for i in np.reshape(pair[1], -1)]


def _contraction_matrix(x, axes, flipped):
    """x transposed and reshaped to a matrix: free dims by contracted dims (the other way if flipped)."""
    from .array_ops import _reshape

    shape = list(np.shape(x._value))
    axes = [i if i >= 0 else i + len(shape) for i in axes]
    free = [i for i in range(len(shape)) if i not in axes]
    prod_free, prod_axes = int(np.prod([shape[i] for i in free])), int(np.prod([shape[i] for i in axes]))
    perm = axes + free if flipped else free + axes
    if perm != list(range(len(shape))):
        x = _transpose(x, perm=tuple(perm))
    new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
    if list(np.shape(x._value)) != new_shape:
        x = _reshape(x, shape=tuple(new_shape))
    return x, [shape[i] for i in free]


def tensordot(a, b, axes, name=None):
    """`tf.tensordot`: sums over the paired axes of a and b (the last `axes` of a with the first of b)."""
    from .array_ops import _reshape

    a, b = convert_to_tensor(a), convert_to_tensor(b)
    a_axes, b_axes = _tensordot_axes(a, axes)
    a_matrix, a_free = _contraction_matrix(a, a_axes, False)
    b_matrix, b_free = _contraction_matrix(b, b_axes, True)
    product = matmul(a_matrix, b_matrix)
    if list(np.shape(product._value)) == a_free + b_free:
        return product
    return _reshape(product, shape=tuple(a_free + b_free))


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    """`tf.linalg.matvec`: (batches of) matrix-vector products, a matmul with b as a column."""
    from .array_ops import expand_dims, squeeze

    return squeeze(matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a), -1)
