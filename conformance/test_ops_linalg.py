"""tf.einsum and linear algebra: transposes, diagonals and traces, inverses, determinants,
solves (general and triangular), Cholesky factors, norms and l2_normalize, tensordot, matvec and matmul's flags.

Matrix functions are compared on small well-conditioned (diagonally dominant) matrices,
forward and backward, in jacobians and to second order; singular matrices as TF treats them.

einsum is compared over a table of common equations (matmul, batch matmul with an
ellipsis that broadcasts, transpose, trace and diagonal, outer product, reductions,
implicit outputs), forward and backward, in a jacobian and to second order; bad
equations and shapes raise TensorFlow's exact errors. Three and four operands are contracted
pairwise in TF's order (opt_einsum's path), which shows in float16's rounding; complex operands
get TF's conjugated gradients.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases
from conformance.cases import case


def test_ops_linalg(case, check):
    check(case)


_EIGHTHS = st.integers(-24, 24).map(lambda n: n / 8)  # products of a few stay exact in float16

# equation -> the operands' shapes, from sizes (i, j, k, b)
EQUATIONS = {
    "ij,jk->ik": lambda i, j, k, b: [(i, j), (j, k)],
    "ij,jk": lambda i, j, k, b: [(i, j), (j, k)],
    "bij,bjk->bik": lambda i, j, k, b: [(b, i, j), (b, j, k)],
    "...ij,...jk->...ik": lambda i, j, k, b: [(b, 1, i, j), (k, j, i)],
    "ij->ji": lambda i, j, k, b: [(i, j)],
    "ii": lambda i, j, k, b: [(i, i)],
    "ii->i": lambda i, j, k, b: [(j, j)],
    "bii->b": lambda i, j, k, b: [(b, i, i)],
    "i,j->ij": lambda i, j, k, b: [(i,), (j,)],
    "ij->": lambda i, j, k, b: [(i, j)],
    "ijk->j": lambda i, j, k, b: [(i, j, k)],
    "ij,ij->i": lambda i, j, k, b: [(i, j), (i, j)],
    "i,i": lambda i, j, k, b: [(i,), (i,)],
    "ij,j->i": lambda i, j, k, b: [(i, j), (j,)],
    "Ab,bC->CA": lambda i, j, k, b: [(i, j), (j, k)],
    "ij,jk,kl->il": lambda i, j, k, b: [(i, j), (j, k), (k, b)],
    "ij,kl->": lambda i, j, k, b: [(i, j), (k, b)],
}


def _without_diagonals(equation):
    """TF's pfor cannot vectorise the gradient of a diagonal (a label repeated in one operand)."""
    return all(len(set(spec)) == len(spec) for spec in equation.split("->")[0].split(","))


def _operands(equations=None, table=EQUATIONS, elements=_EIGHTHS, parts=1):
    """(equation, operands) from `table`; each operand float64, or `parts` float64 arrays (a complex
    operand's real and imaginary parts)."""
    sizes = st.tuples(*(st.integers(1, 3) for _ in range(4)))

    def operand(shape):
        array = hnp.arrays(np.float64, shape, elements=elements)
        return array if parts == 1 else st.tuples(*(array for _ in range(parts)))

    def build(eq_sizes):
        equation, sizes_ = eq_sizes
        shapes = table[equation](*sizes_)
        return st.tuples(st.just(equation), st.tuples(*(operand(s) for s in shapes)))

    return st.tuples(st.sampled_from(sorted(equations or table)), sizes).flatmap(build)


@case(
    ["linalg.einsum"],
    inputs={"dtype": st.sampled_from(["float16", "float32", "float64"]), "problem": _operands()},
    name="einsum",
)
def case_einsum(tf, dtype, problem):
    """Values, and the gradient of sum(out**2) for every operand."""
    equation, arrays = problem
    xs = [tf.constant(a.astype(dtype)) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = tf.einsum(equation, *xs)
        loss = tf.reduce_sum(out * out)
    return out, tape.gradient(loss, xs)


@case(["linalg.einsum"], inputs={"problem": _operands([e for e in EQUATIONS if _without_diagonals(e)])}, max_examples=8)
def einsum_jacobians_and_second_order(tf, problem):
    """Jacobians (a batch of upstream gradients) and gradients of gradients, float64."""
    equation, arrays = problem
    xs = [tf.constant(a) for a in arrays]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(xs)
        with tf.GradientTape() as inner:
            inner.watch(xs)
            out = tf.einsum(equation, *xs)
            loss = tf.reduce_sum(out * out * out)
        grads = inner.gradient(loss, xs)
        first = grads[0]
    return outer.jacobian(out, xs), outer.gradient(first, xs)


# three and four operands: TF contracts them pairwise in opt_einsum's order, one Einsum op a pair
MANY_OPERANDS = {
    "ij,jk,kl->il": lambda i, j, k, b: [(i, j), (j, k), (k, b)],
    "ij,jk,kl,lb->ib": lambda i, j, k, b: [(i, j), (j, k), (k, b), (b, i)],
    "ij,jk,kl,li->": lambda i, j, k, b: [(i, j), (j, k), (k, b), (b, i)],
    "bij,bjk,bk->bi": lambda i, j, k, b: [(b, i, j), (b, j, k), (b, k)],
    "i,ij,j->": lambda i, j, k, b: [(i,), (i, j), (j,)],
    "ijk,jk,k,i->j": lambda i, j, k, b: [(i, j, k), (j, k), (k,), (i,)],
    "ii,ij,jk->k": lambda i, j, k, b: [(i, i), (i, j), (j, k)],
    "abc,cd,db->a": lambda i, j, k, b: [(i, j, k), (k, b), (b, j)],
    "...ij,jk,kl->...il": lambda i, j, k, b: [(b, 1, i, j), (j, k), (k, i)],
    "ij,kl,jl": lambda i, j, k, b: [(i, j), (k, b), (j, b)],
}
_SIXTEENTHS = st.integers(-64, 64).map(lambda n: n / 16)  # products of three or four round in float16


@case(
    ["linalg.einsum-path"],
    inputs={
        "dtype": st.sampled_from(["float16", "float32"]),
        "problem": _operands(table=MANY_OPERANDS, elements=_SIXTEENTHS),
        "optimize": st.sampled_from(["greedy", "optimal"]),
    },
)
def einsum_many_operands(tf, dtype, problem, optimize):
    """Values, and the gradient of sum(out**2) for every operand, of three or four operands."""
    equation, arrays = problem
    xs = [tf.constant(a.astype(dtype)) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = tf.einsum(equation, *xs, optimize=optimize)
        loss = tf.reduce_sum(out * out)
    return out, tape.gradient(loss, xs)


@case(
    ["linalg.einsum-path"],
    examples=[
        {"which": w}
        for w in ("rank", "dims", "dims later", "dtypes", "bool", "named labels", "two ellipses", "broadcast", "scalar")
    ],
)
def einsum_many_operands_errors(tf, which):
    """TF's Python shape checks (ValueError) come first; then each pairwise Einsum's kernel errors."""
    ones = tf.ones
    calls = {
        "rank": lambda: tf.einsum("ij,jk,kl->il", ones((2, 3)), ones((3, 4, 1)), ones((4, 5))),
        "dims": lambda: tf.einsum("ij,jk,kl->il", ones((2, 3)), ones((4, 4)), ones((4, 5))),
        "dims later": lambda: tf.einsum("ij,jk,kl->il", ones((2, 3)), ones((3, 4)), ones((5, 5))),
        "dtypes": lambda: tf.einsum("ij,jk,kl->il", ones((2, 3)), ones((3, 4)), ones((4, 5), tf.float64)),
        "bool": lambda: tf.einsum("i,i,i->", tf.constant([True]), tf.constant([True]), tf.constant([True])),
        "named labels": lambda: tf.einsum("...ijk,jk,k->...i", ones((2, 3)), ones((3, 4)), ones((4,))),
        "two ellipses": lambda: tf.einsum("...i...,i,i->i", ones((2, 3)), ones((3,)), ones((3,))),
        "broadcast": lambda: tf.einsum("...ij,...jk,kl->...il", ones((2, 2, 3)), ones((5, 3, 4)), ones((4, 2))),
        "scalar": lambda: tf.einsum(",i,i->i", tf.constant(2.0), ones((3,)), np.ones((3,), np.float32)),
    }
    return calls[which]()


COMPLEX_EQUATIONS = [
    "i,j->ij",
    "ij,jk->ik",
    "bij,bjk->bik",
    "...ij,...jk->...ik",
    "ij->ji",
    "ii->i",
    "ijk->j",
    "ij,ij->i",
    "ij,j->i",
    "ij,jk,kl->il",
    "i,ij,j->",
    "ij,jk,kl,lb->ib",
]


@case(
    ["linalg.einsum-complex"],
    inputs={
        "dtype": st.sampled_from(["complex64", "complex128"]),
        "problem": _operands(COMPLEX_EQUATIONS, table={**EQUATIONS, **MANY_OPERANDS}, parts=2),
        "upstream": st.tuples(_EIGHTHS, _EIGHTHS),
    },
)
def einsum_complex(tf, dtype, problem, upstream):
    """Values, and the gradients for complex Variables of an upstream gradient that is complex too."""
    equation, parts = problem
    xs = [tf.Variable(tf.constant((re + 1j * im).astype(dtype))) for re, im in parts]
    with tf.GradientTape(persistent=True) as tape:
        out = tf.einsum(equation, *xs)
    upstream = tf.constant(np.full(out.shape, complex(*upstream), dtype))
    return out, tape.gradient(out, xs), tape.gradient(out, xs, output_gradients=upstream)


@case(["linalg.einsum"], inputs={"n": st.integers(1, 3)})
def einsum_inputs(tf, n):
    """numpy operands convert to the first tensor's dtype; integers; spaces in the equation."""
    b = tf.ones((3, n))
    return (
        tf.einsum("ij,jk->ik", np.ones((2, 3)), b),
        tf.einsum("ij , jk -> ik", tf.ones((2, 3), tf.int32), tf.ones((3, n), tf.int32)),
        tf.einsum("ij->i", b, name="x", optimize="greedy"),
    )


# -- matrices -----------------------------------------------------------------------------------


def _matrices(square=True, min_dims=2, max_dims=3):
    """float64 (batches of) small matrices; square ones made diagonally dominant (well conditioned)."""

    def build(shape):
        def dominant(m):
            if square:
                n = shape[-1]
                m = m + np.eye(n) * (n + 1) * np.sign(np.diagonal(m, axis1=-2, axis2=-1)[..., None] + 0.5)
            return m

        return hnp.arrays(np.float64, shape, elements=_EIGHTHS.map(lambda v: v / 2)).map(dominant)

    def shape_of(dims):
        n, m = dims[-1], dims[-2]
        return tuple(dims[:-2]) + ((n, n) if square else (m, n))

    return st.lists(st.integers(1, 3), min_size=min_dims, max_size=max_dims).map(shape_of).flatmap(build)


def _spd(m):
    """A symmetric positive definite matrix from a dominant one."""
    return m @ np.swapaxes(m, -1, -2) + np.eye(m.shape[-1])


LINALG = ("inv", "inv_adjoint", "det", "slogdet", "cholesky", "trace", "diag_part", "matrix_transpose", "adjoint")


def _linalg_fn(tf, op):
    return {
        "inv": tf.linalg.inv,
        "inv_adjoint": lambda x: tf.linalg.inv(x, adjoint=True),
        "det": tf.linalg.det,
        "slogdet": lambda x: tf.linalg.slogdet(x)[1] * tf.linalg.slogdet(x).sign,
        "cholesky": lambda x: tf.linalg.cholesky(x),
        "trace": tf.linalg.trace,
        "diag_part": tf.linalg.diag_part,
        "matrix_transpose": tf.linalg.matrix_transpose,
        "adjoint": tf.linalg.adjoint,
    }[op]


@case(
    ["linalg.matrix-functions", "linalg.layout"],
    inputs={"op": st.sampled_from(LINALG), "dtype": st.sampled_from(["float32", "float64"]), "m": _matrices()},
    name="matrix_functions",
)
def case_matrix_functions(tf, op, dtype, m):
    """Values and the gradient of sum(f(x)**2) (Cholesky on m m^T + 1, symmetrised by TF's gradient)."""
    x = tf.constant((_spd(m) if op == "cholesky" else m).astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = _linalg_fn(tf, op)(x)
        loss = tf.reduce_sum(y * y)
    return y, tape.gradient(loss, x)


@case(["linalg.layout"], inputs={"m": _matrices(square=False, max_dims=4)})
def nonsquare_layout(tf, m):
    """diag_part, trace and transposes of non-square (batches of) matrices, and their gradients."""
    x = tf.constant(m)
    with tf.GradientTape() as tape:
        tape.watch(x)
        ys = tf.linalg.diag_part(x), tf.linalg.trace(x), tf.linalg.matrix_transpose(x)
        loss = tf.add_n([tf.reduce_sum(y * y) for y in ys])
    return ys, tape.gradient(loss, x)


@case(
    ["linalg.solve"],
    inputs={
        "m": _matrices(),
        "columns": st.integers(1, 3),
        "adjoint": st.booleans(),
        "lower": st.booleans(),
        "dtype": st.sampled_from(["float32", "float64"]),
    },
    name="solve",
)
def case_solve(tf, m, columns, adjoint, lower, dtype):
    """solve and triangular_solve (the other triangle ignored): values and both gradients."""
    a = tf.constant(m.astype(dtype))
    b = tf.reshape(tf.cast(tf.range(m.shape[-1] * columns), dtype) / 4 - 1, [m.shape[-1], columns])
    b = tf.broadcast_to(b, m.shape[:-2] + (m.shape[-1], columns))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        x = tf.linalg.solve(a, b, adjoint=adjoint)
        t = tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint)
        loss_x, loss_t = tf.reduce_sum(x * x), tf.reduce_sum(t * t)
    return x, t, tape.gradient(loss_x, [a, b]), tape.gradient(loss_t, [a, b])


@case(["linalg.solve"], inputs={"m": _matrices(min_dims=2, max_dims=2)})
def triangular_solve_broadcast(tf, m):
    """triangular_solve broadcasts batch dims; the gradients sum back over them."""
    a = tf.constant(np.stack([m, m * 2]))
    b = tf.ones((m.shape[-1], 2), tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        x = tf.linalg.triangular_solve(a, b)
    return x, tape.gradient(x, [a, b])


@case(["linalg.matrix-functions", "linalg.solve"], inputs={"m": _matrices(min_dims=2, max_dims=2)}, max_examples=10)
def linalg_jacobians(tf, m):
    """Jacobians (a batch of upstream gradients) and second-order gradients, float64."""
    x = tf.constant(m)
    fns = [
        tf.linalg.inv,
        tf.linalg.det,
        lambda a: tf.linalg.slogdet(a)[1],
        lambda a: tf.linalg.cholesky(tf.matmul(a, a, transpose_b=True)),
        lambda a: tf.linalg.solve(a, a[:, :1]),
        lambda a: tf.linalg.triangular_solve(a, a[:, :1] * a[:, :1], lower=False, adjoint=True),
        tf.linalg.trace,
    ]
    out = []
    for fn in fns:
        with tf.GradientTape(persistent=True) as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = fn(x)
                loss = tf.reduce_sum(y * y * y)
            g = inner.gradient(loss, x)
        out.append((outer.jacobian(y, x), outer.gradient(g, x)))
    return out


@case(["linalg.matrix-functions"], inputs={"n": st.integers(1, 3)})
def singular_matrices(tf, n):
    """A singular matrix: det 0, slogdet (0, -inf); inv and solve raise, as does det's gradient."""
    x = tf.zeros((n, n))
    with tf.GradientTape() as tape:
        tape.watch(x)
        d = tf.linalg.det(x)
    results = [d, tf.linalg.slogdet(x)]
    for fn in (lambda: tf.linalg.inv(x), lambda: tf.linalg.solve(x, tf.ones((n, 1))), lambda: tape.gradient(d, x)):
        try:
            results.append(fn())
        except tf.errors.InvalidArgumentError as exc:
            results.append(str(exc))
    return results


# -- norms -----------------------------------------------------------------------------------------


def _norm_args(shape):
    rank = len(shape)
    vector = st.tuples(st.sampled_from(["euclidean", 1, 2, np.inf, 3, 0.5]), st.none() | st.integers(-rank, rank - 1))
    pairs = st.permutations(list(range(rank))).map(lambda p: tuple(p[:2])) if rank >= 2 else st.nothing()
    matrix = st.tuples(st.sampled_from(["euclidean", "fro", 1, np.inf]), pairs)
    return st.tuples(vector | matrix, st.sampled_from([None, True, False]))


@case(
    ["linalg.norm"],
    inputs={
        "dtype": st.sampled_from(["float32", "float64"]),
        "x_args": hnp.arrays(np.float64, st.sampled_from([(3,), (2, 3), (2, 2, 2), (1, 3)]), elements=_EIGHTHS).flatmap(
            lambda x: st.tuples(st.just(x), _norm_args(x.shape))
        ),
        "namespace": st.sampled_from(["norm", "linalg.norm"]),
    },
    examples=[{"dtype": "float32", "x_args": (np.zeros(3), (("euclidean", None), None)), "namespace": "norm"}],
    name="norm",
)
def case_norm(tf, dtype, x_args, namespace):
    """Vector and matrix norms, keepdims; gradients, nan at 0 for the euclidean norm (sqrt's)."""
    x, ((order, axis), keepdims) = x_args
    fn = tf.norm if namespace == "norm" else tf.linalg.norm
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x, ord=order, axis=axis, keepdims=keepdims)
    return y, tape.gradient(y, x)


@case(
    ["linalg.norm"],
    inputs={
        "dtype": st.sampled_from(["float32", "float64"]),
        "x": hnp.arrays(
            np.float64,
            st.sampled_from([(2, 3), (3, 3), (2, 2, 3), (3, 1, 2)]),
            elements=st.floats(-2.0, 2.0).filter(lambda v: abs(v) > 0.1),
        ),
        "axis_keepdims": st.tuples(st.sampled_from([(-2, -1), (0, 1), (1, 0), (-1, 0)]), st.sampled_from([None, True])),
    },
    name="matrix_2_norm",
)
def case_matrix_2_norm(tf, dtype, x, axis_keepdims):
    """The matrix 2-norm (the largest singular value) over any two axes, and its gradient u1 v1^T."""
    axis, keepdims = axis_keepdims
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.norm(x, ord=2, axis=axis, keepdims=keepdims)
    return y, tape.gradient(y, x)


@case(
    ["linalg.l2-normalize"],
    inputs={
        "x": hnp.arrays(np.float64, st.sampled_from([(3,), (2, 3), (2, 2, 2)]), elements=_EIGHTHS),
        "axis": st.sampled_from([None, 0, -1]),
        "epsilon": st.sampled_from([1e-12, 0.5]),
        "namespace": st.sampled_from(["math", "nn", "linalg"]),
    },
    examples=[{"x": np.zeros((2, 3)), "axis": 1, "epsilon": 1e-12, "namespace": "nn"}],
    name="l2_normalize",
)
def case_l2_normalize(tf, x, axis, epsilon, namespace):
    """x / sqrt(max(sum(x**2), epsilon)) and its gradient (zeros stay zero, with finite gradients)."""
    x = tf.constant(x.astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = getattr(tf, namespace).l2_normalize(x, axis=axis, epsilon=epsilon)
        loss = tf.reduce_sum(y * y * y)
    return y, tape.gradient(loss, x), tf.nn.l2_normalize(x, dim=0)


# -- tensordot, matvec, matmul's flags -------------------------------------------------------------

TENSORDOT_AXES = ([[1, 2], [1, 0]], [[-2], [1]], (2, 0), 1, 0, [[], []])


@case(
    ["linalg.tensordot"],
    inputs={
        "axes_index": st.integers(0, len(TENSORDOT_AXES) - 1),
        "dtype": st.sampled_from(["float32", "float64"]),
        "a": hnp.arrays(np.float64, (2, 3, 4), elements=_EIGHTHS),
        "b": hnp.arrays(np.float64, (4, 3), elements=_EIGHTHS),
        "namespace": st.sampled_from(["tensordot", "linalg.tensordot"]),
    },
    name="tensordot",
)
def case_tensordot(tf, axes_index, dtype, a, b, namespace):
    """An int (the last axes of a with the first of b) or a pair of axis lists; both gradients."""
    fn = tf.tensordot if namespace == "tensordot" else tf.linalg.tensordot
    x, y = tf.constant(a.astype(dtype)), tf.constant(b.astype(dtype))
    axes = TENSORDOT_AXES[axes_index]
    if axes == 1:
        y = tf.transpose(y)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = fn(x, y, axes)
        loss = tf.reduce_sum(z * z)
    return z, tape.gradient(loss, [x, y])


@case(
    ["linalg.matvec", "linalg.matmul-flags"],
    inputs={
        "flags": st.sampled_from([{}, {"transpose_a": True}, {"adjoint_a": True}]),
        "batch": st.sampled_from([(), (2,), (2, 1)]),
        "dtype": st.sampled_from(["float32", "float64"]),
        "m": hnp.arrays(np.float64, (2, 3, 3), elements=_EIGHTHS),
    },
    name="matvec_and_matmul_flags",
)
def case_matvec_and_matmul_flags(tf, flags, batch, dtype, m):
    """matvec and matmul with transpose/adjoint flags, batch dims broadcasting; gradients."""
    a = tf.constant(m[: (batch[0] if batch else 1)].reshape(batch + (3, 3)).astype(dtype))
    v = tf.constant(m[0, 0].astype(dtype))
    b = tf.constant(m[-1].astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([a, v, b])
        y = tf.linalg.matvec(a, v, **flags)
        z = tf.matmul(a, b, **{**flags, **({"transpose_b": True} if flags else {"adjoint_b": True})})
        loss = tf.reduce_sum(y * y) + tf.reduce_sum(z * z * z)
    return y, z, tape.gradient(loss, [a, v, b])


@case(
    ["linalg.complex-adjoint"],
    inputs={
        "flags": st.sampled_from([{"adjoint_a": True}, {"adjoint_b": True}, {"adjoint_a": True, "adjoint_b": True}]),
        "batched": st.booleans(),
        "dtype": st.sampled_from(["complex64", "complex128"]),
        "re": hnp.arrays(np.float64, (2, 2, 2), elements=_EIGHTHS),
        "im": hnp.arrays(np.float64, (2, 2, 2), elements=_EIGHTHS),
    },
    name="complex_matmul_adjoint",
)
def case_complex_matmul_adjoint(tf, flags, batched, dtype, re, im):
    """adjoint_a/b conjugate complex matrices (values only), on matrices and on batches; tf.math.conj."""
    z = (re + 1j * im).astype(dtype)
    a, b = tf.constant(z[0]), tf.constant(z[1])
    if batched:
        a = tf.stack([a, b])
    return tf.matmul(a, b, **flags), tf.math.conj(b), tf.math.conj(tf.constant(re[0]))


def _bad_call(tf, which):
    a, b = tf.ones((2, 3)), tf.ones((3, 4))
    calls = {
        "einsum dims": lambda: tf.einsum("ij,jk->ik", a, a),
        "einsum diagonal dims": lambda: tf.einsum("ii->i", a),
        "einsum rank": lambda: tf.einsum("ijk,jl->il", a, tf.ones((5, 5, 5))),
        "einsum rank second": lambda: tf.einsum("ij,jl->il", a, tf.ones((5, 5, 5))),
        "einsum dtypes": lambda: tf.einsum("ij,jk->ik", a, tf.cast(b, tf.float64)),
        "einsum count": lambda: tf.einsum("ij,jk->ik", a),
        "einsum unknown label": lambda: tf.einsum("ij->k", a),
        "einsum repeated output": lambda: tf.einsum("ij,jk->ikk", a, b),
        "einsum format": lambda: tf.einsum("i0,j->ij", a, b),
        "einsum keyword": lambda: tf.einsum("ij,jk->ik", a, b, foo=1),
        "einsum list": lambda: tf.einsum("i,i->", [1.0, 2], [3.0, 4]),
        "einsum float": lambda: tf.einsum("ij,jk->ik", 1.0, b),
        "einsum bool": lambda: tf.einsum("ij,jk", tf.constant([[True]]), tf.constant([[True]])),
        "einsum broadcast": lambda: tf.einsum("...ij,...jk->...ik", tf.ones((2, 2, 3)), tf.ones((5, 3, 4))),
        "einsum lost ellipsis": lambda: tf.einsum("...ij,...j", tf.ones((2, 2, 3)), tf.ones((3,))),
        "transpose vector": lambda: tf.linalg.matrix_transpose(tf.ones((3,))),
        "diag_part vector": lambda: tf.linalg.diag_part(tf.ones((3,))),
        "trace vector": lambda: tf.linalg.trace(tf.ones((3,))),
        "inv square": lambda: tf.linalg.inv(tf.ones((2, 3))),
        "inv vector": lambda: tf.linalg.inv(tf.ones((3,))),
        "inv int": lambda: tf.linalg.inv(tf.constant([[1, 2], [3, 4]])),
        "det square": lambda: tf.linalg.det(tf.ones((2, 3))),
        "slogdet square": lambda: tf.linalg.slogdet(tf.ones((3, 2))),
        "cholesky square": lambda: tf.linalg.cholesky(tf.ones((2, 3))),
        "cholesky vector": lambda: tf.linalg.cholesky(tf.ones((3,))),
        "solve rhs": lambda: tf.linalg.solve(tf.eye(2), tf.ones((3, 1))),
        "solve ranks": lambda: tf.linalg.solve(tf.eye(2), tf.ones((2,))),
        "solve vector": lambda: tf.linalg.solve(tf.ones((3,)), tf.ones((2,))),
        "solve square": lambda: tf.linalg.solve(tf.ones((2, 3)), tf.ones((2, 1))),
        "solve batch": lambda: tf.linalg.solve(tf.ones((3, 2, 2)), tf.ones((2, 2, 1))),
        "solve dtypes": lambda: tf.linalg.solve(tf.eye(2), tf.ones((2, 1), tf.float64)),
        "triangular rhs": lambda: tf.linalg.triangular_solve(tf.eye(2), tf.ones((3, 1)), lower=False, adjoint=True),
        "triangular square": lambda: tf.linalg.triangular_solve(tf.ones((2, 3)), tf.ones((2, 1))),
        "triangular batch": lambda: tf.linalg.triangular_solve(tf.ones((3, 2, 2)), tf.ones((2, 2, 1))),
        "triangular vector": lambda: tf.linalg.triangular_solve(tf.eye(2), tf.ones((2,))),
        "triangular dtypes": lambda: tf.linalg.triangular_solve(tf.eye(2), tf.ones((2, 1), tf.float64)),
        "norm ord zero": lambda: tf.norm(a, ord=0),
        "norm ord negative": lambda: tf.norm(a, ord=-1),
        "norm nuclear": lambda: tf.norm(a, ord="nuc", axis=(0, 1)),
        "norm same axes": lambda: tf.norm(a, axis=(0, 0)),
        "norm three axes": lambda: tf.norm(a, axis=(0, 1, 1)),
        "norm axis range": lambda: tf.norm(a, axis=2),
        "norm float axis": lambda: tf.norm(a, axis=1.0),
        "tensordot negative": lambda: tf.tensordot(a, b, -1),
        "tensordot too many": lambda: tf.tensordot(a, b, 3),
        "tensordot pair lengths": lambda: tf.tensordot(a, b, [[1], [0, 1]]),
        "tensordot three": lambda: tf.tensordot(a, b, [1, 2, 3]),
        "tensordot sizes": lambda: tf.tensordot(a, b, [[0], [0]]),
        "tensordot dtypes": lambda: tf.tensordot(a, tf.cast(b, tf.float64), 1),
        "matvec sizes": lambda: tf.linalg.matvec(b, [1.0, 2.0]),
        "matmul both flags": lambda: tf.matmul(a, b, adjoint_a=True, transpose_a=True),
        "matmul batch": lambda: tf.matmul(tf.ones((2, 4, 3)), tf.ones((3, 3, 4))),
    }
    return calls[which]()


def linalg_errors(tf, which):
    return _bad_call(tf, which)


_ERRORS = {
    "tensordot": [
        "tensordot negative",
        "tensordot too many",
        "tensordot pair lengths",
        "tensordot three",
        "tensordot sizes",
        "tensordot dtypes",
    ],
    "matvec": ["matvec sizes"],
    "matmul-flags": ["matmul both flags", "matmul batch"],
    "norm": [
        "norm ord zero",
        "norm ord negative",
        "norm nuclear",
        "norm same axes",
        "norm three axes",
        "norm axis range",
        "norm float axis",
    ],
    "layout": ["transpose vector", "diag_part vector", "trace vector"],
    "matrix-functions": [
        "inv square",
        "inv vector",
        "inv int",
        "det square",
        "slogdet square",
        "cholesky square",
        "cholesky vector",
    ],
    "solve": [
        "solve rhs",
        "solve ranks",
        "solve vector",
        "solve square",
        "solve batch",
        "solve dtypes",
        "triangular rhs",
        "triangular square",
        "triangular batch",
        "triangular vector",
        "triangular dtypes",
    ],
    "einsum": [
        "einsum dims",
        "einsum diagonal dims",
        "einsum rank",
        "einsum rank second",
        "einsum dtypes",
        "einsum count",
        "einsum unknown label",
        "einsum repeated output",
        "einsum format",
        "einsum keyword",
        "einsum list",
        "einsum float",
        "einsum bool",
        "einsum broadcast",
        "einsum lost ellipsis",
    ],
}

for _op, _variants in _ERRORS.items():
    cases.add(
        linalg_errors,
        [f"linalg.{_op}"],
        examples=[{"which": v} for v in _variants],
        name=f"{_op.replace('-', '_')}_errors",
        module=__name__,
    )
