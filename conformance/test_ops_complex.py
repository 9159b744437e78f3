"""Complex tensors: values, dtypes and gradients of the ops on complex64 and complex128.

TF's gradient for a complex input is conjugated: through z = f(x) the upstream gradient g
becomes g * conj(f'(x)), so for a real loss L a complex source gets dL/dre + i dL/dim.
Cases draw complex inputs (real and imaginary parts each in a range that keeps off branch
cuts and poles) and complex upstream gradients, and compare values and gradients with TF's
for every elementwise op, the binary ops, matmul and its flags, reductions, the parts of a
complex number (tf.complex, real, imag, angle, conj, abs, sign), norms, casts between complex
and float, and real losses computed through complex intermediates. Ops TF has no complex
kernel for raise TF's errors.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import cases, strategies
from conformance.cases import case
from conformance.casekit import attempt, op_named


def test_ops_complex(case, check):
    check(case)


# -- helpers (their source goes into repro snippets) -------------------------------------


def complex_upstream(tf, y, up):
    """An upstream gradient for `y`: the drawn complex values repeated to y's shape (real parts if y is real)."""
    values = np.resize(np.asarray(up, dtype=np.complex128), y.shape.as_list())
    if not y.dtype.is_complex:
        values = values.real
    return tf.constant(values.astype(y.dtype.as_numpy_dtype))


def unary_complex(tf, op, dtype, x, up):
    """The op named `op` on x in `dtype`, and x's gradient for the drawn complex upstream values."""
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x)
    return y, tape.gradient(y, x, output_gradients=complex_upstream(tf, y, up))


def binary_complex(tf, op, dtype, x, y, up):
    """The op named `op` on x and y in `dtype` (broadcasting), and both gradients for the drawn upstream values."""
    x, y = tf.constant(x.astype(dtype)), tf.constant(y.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = op_named(tf, op)(x, y)
    return z, tape.gradient(z, [x, y], output_gradients=complex_upstream(tf, z, up))


# -- strategies ---------------------------------------------------------------------------

COMPLEX = strategies.COMPLEX_DTYPES


# -- unary ops ----------------------------------------------------------------------------

# name, the real parts' range, the imaginary parts' range (off the branch cuts and poles), min |x|
_UNARY = [
    ("math.sin", (-1.5, 1.5), (-1.5, 1.5), 0.0),
    ("math.cos", (-1.5, 1.5), (-1.5, 1.5), 0.0),
    ("math.tan", (-1.0, 1.0), (-1.0, 1.0), 0.0),
    ("math.exp", (-2.0, 2.0), (-3.0, 3.0), 0.0),
    ("math.expm1", (-2.0, 2.0), (-3.0, 3.0), 0.25),
    ("math.log", (0.25, 3.0), (-2.0, 2.0), 0.0),
    ("math.log1p", (0.0, 2.0), (-2.0, 2.0), 0.0),
    ("math.sqrt", (0.25, 3.0), (-2.0, 2.0), 0.0),
    ("math.rsqrt", (0.25, 3.0), (-2.0, 2.0), 0.0),
    ("math.reciprocal", (-2.0, 2.0), (-2.0, 2.0), 0.25),
    ("math.square", (-2.0, 2.0), (-2.0, 2.0), 0.0),
    ("math.tanh", (-1.0, 1.0), (-1.0, 1.0), 0.0),
    ("math.sigmoid", (-2.0, 2.0), (-1.5, 1.5), 0.0),
    ("math.sinh", (-2.0, 2.0), (-2.0, 2.0), 0.0),
    ("math.cosh", (-2.0, 2.0), (-2.0, 2.0), 0.0),
    ("math.asin", (-0.875, 0.875), (0.25, 1.0), 0.0),
    ("math.acos", (-0.875, 0.875), (0.25, 1.0), 0.0),
    ("math.atan", (0.25, 1.0), (-0.75, 0.75), 0.0),
    ("math.asinh", (0.25, 1.0), (-0.75, 0.75), 0.0),
    ("math.acosh", (-2.0, 2.0), (0.25, 2.0), 0.0),
    ("math.atanh", (-0.875, 0.875), (0.25, 1.0), 0.0),
    ("math.negative", (-2.0, 2.0), (-2.0, 2.0), 0.0),
    ("math.conj", (-2.0, 2.0), (-2.0, 2.0), 0.0),
]

for _name, _re, _im, _min_abs in _UNARY:
    cases.add(
        unary_complex,
        ["ops.complex.unary", "ops.complex.conjugate-gradients", "structures.output-gradients"],
        inputs={
            "dtype": st.sampled_from(COMPLEX),
            "x": strategies.complex_operands(_re, _im, _min_abs),
            "up": strategies.complex_upstreams(),
        },
        examples=[{"dtype": "complex64", "x": np.array([0.5 + 0.5j, 0.75 + 0.25j]), "up": [1.0, 0.5 - 0.5j]}],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


# the parts of a complex number, its modulus and its sign: real outputs for abs, real, imag and angle
_PARTS = ["abs", "math.abs", "math.real", "math.imag", "math.angle", "math.sign"]

for _name in _PARTS:
    cases.add(
        unary_complex,
        ["ops.complex.parts", "ops.complex.abs-sign", "ops.complex.conjugate-gradients"],
        inputs={
            "dtype": st.sampled_from(COMPLEX),
            "x": strategies.complex_operands(min_abs=0.125),
            "up": strategies.complex_upstreams(),
        },
        examples=[{"dtype": "complex64", "x": np.array([3 + 4j, -1 - 1j, 2j]), "up": [1.0, 0.5 - 0.5j]}],
        fixed={"op": _name},
        name=_name.replace("math.", "parts_"),
        module=__name__,
    )


@case(["ops.complex.abs-sign", "ops.complex.parts"], inputs={"dtype": st.sampled_from(COMPLEX)})
def parts_at_zero(tf, dtype):
    """|0| is 0 with a zero gradient (div_no_nan), sign(0) is 0 with a zero gradient; abs and sign of nonzeros."""
    x = tf.constant(np.array([0j, 3 - 4j, -2j]).astype(dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, s = tf.abs(x), tf.math.sign(x)
    return a, s, tape.gradient(a, x), tape.gradient(s, x)


@case(["ops.complex.parts"], inputs={"x": strategies.arrays(strategies.float_dtypes(), low=-3.0, high=3.0)})
def parts_of_real_tensors(tf, x):
    """real() gives a real tensor back as it is, imag() zeros, angle() pi where x < 0 (none has a gradient
    but real's), conj() the tensor itself; abs keeps the dtype."""
    x = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        parts = [tf.math.real(x), tf.math.imag(x), tf.math.angle(x), tf.math.conj(x), tf.abs(x)]
    return parts, [tape.gradient(p, x) for p in parts]


@case(["ops.complex.parts"])
def parts_conversions_and_errors(tf):
    """Python and numpy numbers, integer tensors, strings, bools and mixed or integer parts of tf.complex; a
    subnormal complex64 has modulus 0 (flushed), so its sign is 0."""
    f32 = tf.constant([1.0, 2.0])
    return [
        attempt(tf.math.real, 1 + 2j),
        attempt(tf.math.imag, 1 + 2j),
        attempt(tf.math.angle, -1 + 0j),
        attempt(tf.abs, 3 - 4j),
        attempt(tf.math.sign, [1 + 1j, 0j]),
        attempt(tf.math.real, 3),
        attempt(tf.math.imag, tf.constant([1, 2])),
        attempt(tf.math.real, tf.constant("a")),
        attempt(tf.math.real, tf.constant([True])),
        attempt(tf.math.angle, 3),
        attempt(tf.math.angle, tf.constant([-1.0, 2.0], tf.float16)),
        attempt(tf.math.conj, tf.constant("a")),
        attempt(tf.math.conj, tf.constant([True])),
        attempt(tf.math.conj, tf.constant([1, 2])),
        attempt(tf.abs, tf.constant([1e-40 + 0j, 3 + 4j], tf.complex64)),
        attempt(tf.math.sign, tf.constant([1e-40 + 0j, 3 + 4j], tf.complex64)),
        attempt(tf.complex, 1.0, 2.0),
        attempt(tf.complex, 1, 2),
        attempt(tf.complex, f32, tf.constant([1.0, 2.0], tf.float64)),
        attempt(tf.complex, f32, tf.constant([1.0, 2.0], tf.float16)),
        attempt(tf.complex, f32, tf.constant([1.0, 2.0, 3.0])),
        attempt(tf.dtypes.complex, tf.constant([0.5], tf.float64), tf.constant([[1.0], [2.0]], tf.float64)),
    ]


@case(
    ["ops.complex.parts", "ops.complex.float-sources", "tape.broadcasting"],
    inputs={
        "dtype": strategies.float_dtypes(),
        "re": strategies.operands(),
        "im": strategies.operands(),
        "up": strategies.complex_upstreams(),
    },
)
def complex_from_parts(tf, dtype, re, im, up):
    """tf.complex(re, im) broadcasts; the float sources get real(grad) and imag(grad), summed to their shapes."""
    re, im = tf.constant(re.astype(dtype)), tf.constant(im.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch([re, im])
        z = tf.complex(re, im)
    return z, tape.gradient(z, [re, im], output_gradients=complex_upstream(tf, z, up))


# -- binary ops ---------------------------------------------------------------------------

_ANY = strategies.complex_operands()
_NONZERO = strategies.complex_operands(min_abs=0.5)
_ZERO_OR = hnp.arrays(
    np.complex128, strategies.compatible_shapes(), elements=st.sampled_from([0j, 0j, 1 - 1j, -0.5 + 2j, 1.5j])
)

# name, x's values, y's values
_BINARY = [
    ("math.add", _ANY, _ANY),
    ("math.subtract", _ANY, _ANY),
    ("math.multiply", _ANY, _ANY),
    ("math.truediv", _ANY, _NONZERO),
    ("math.divide_no_nan", _ANY, _ZERO_OR),
    ("math.multiply_no_nan", _ANY, _ZERO_OR),
    ("math.squared_difference", _ANY, _ANY),
    ("math.pow", strategies.complex_operands((0.25, 2.0), (-1.0, 1.0)), strategies.complex_operands((-1.5, 1.5))),
    ("math.xlogy", _ANY, strategies.complex_operands((0.25, 2.0), (-1.0, 1.0))),
]

for _name, _x, _y in _BINARY:
    cases.add(
        binary_complex,
        ["ops.complex.binary", "ops.complex.conjugate-gradients", "tape.broadcasting"],
        inputs={"dtype": st.sampled_from(COMPLEX), "x": _x, "y": _y, "up": strategies.complex_upstreams()},
        examples=[
            {
                "dtype": "complex64",
                "x": np.array([0.5 + 0.5j, 1.5 - 0.25j]),
                "y": np.array([1 - 1j, 0.5 + 1j]),
                "up": [1.0, 0.5 - 0.5j],
            }
        ],
        fixed={"op": _name},
        name=_name.replace("math.", ""),
        module=__name__,
    )


@case(
    ["ops.complex.binary", "ops.complex.conjugate-gradients"],
    inputs={"dtype": st.sampled_from(COMPLEX), "x": _ANY, "y": _ANY, "up": strategies.complex_upstreams()},
)
def python_operators(tf, dtype, x, y, up):
    """x * y, x / y, x ** 2 and -x with Python numbers: the same ops and gradients as tf.math's."""
    x, y = tf.constant(x.astype(dtype)), tf.constant((y + 2.5).astype(dtype))  # re(y) + 2.5 > 0: no zero divisor
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x * y - x / y + 0.5 * x**2 - (1 - 2j) * y
    return z, tape.gradient(z, [x, y], output_gradients=complex_upstream(tf, z, up))


# -- matmul, tensordot, matvec ------------------------------------------------------------


def _matrix_pair():
    """(a, b, flags): a and b whose product is defined under the drawn transpose/adjoint flags, batched or not."""
    flags = st.tuples(st.sampled_from(["", "transpose", "adjoint"]), st.sampled_from(["", "transpose", "adjoint"]))
    dims = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.sampled_from([(), (2,), (1,)]))

    def build(d):
        (n, k, m, batch), (fa, fb) = d
        shape_a = batch + ((k, n) if fa else (n, k))
        shape_b = ((2,) if batch == (1,) else batch) + ((m, k) if fb else (k, m))
        elements = st.builds(
            complex, st.integers(-16, 16).map(lambda v: v / 8), st.integers(-16, 16).map(lambda v: v / 8)
        )
        return st.tuples(
            hnp.arrays(np.complex128, shape_a, elements=elements),
            hnp.arrays(np.complex128, shape_b, elements=elements),
            st.just(fa),
            st.just(fb),
        )

    return st.tuples(dims, flags).flatmap(build)


@case(
    ["ops.complex.matmul", "ops.complex.conjugate-gradients"],
    inputs={"dtype": st.sampled_from(COMPLEX), "operands": _matrix_pair(), "up": strategies.complex_upstreams()},
)
def matmul(tf, dtype, operands, up):
    """transpose_* transposes, adjoint_* also conjugates (MatMul, or BatchMatMulV2 with batch dimensions);
    the gradients use the conjugated operands."""
    a, b, flag_a, flag_b = operands
    a, b = tf.constant(a.astype(dtype)), tf.constant(b.astype(dtype))
    flags = {f"{flag}_{side}": True for flag, side in ((flag_a, "a"), (flag_b, "b")) if flag}
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        c = tf.matmul(a, b, **flags)
    return c, tape.gradient(c, [a, b], output_gradients=complex_upstream(tf, c, up))


@case(
    ["ops.complex.matmul", "ops.complex.conjugate-gradients"],
    inputs={
        "dtype": st.sampled_from(COMPLEX),
        "a": hnp.arrays(np.complex128, (2, 3), elements=st.builds(complex, st.integers(-8, 8), st.integers(-8, 8))),
        "b": hnp.arrays(np.complex128, (3, 2), elements=st.builds(complex, st.integers(-8, 8), st.integers(-8, 8))),
        "up": strategies.complex_upstreams(),
    },
)
def tensordot_matvec_adjoint(tf, dtype, a, b, up):
    """tensordot, matvec (adjoint_a too), tf.linalg.adjoint and tf.transpose(conjugate=True) on complex matrices."""
    a, b = tf.constant(a.astype(dtype)), tf.constant(b.astype(dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        results = [
            tf.tensordot(a, b, 1),
            tf.tensordot(a, tf.transpose(b), [[1, 0], [0, 1]]),
            tf.linalg.matvec(a, b[:, 0]),
            tf.linalg.matvec(b, b[:, 1], adjoint_a=True),
            tf.linalg.adjoint(a),
            tf.transpose(b, conjugate=True),
            tf.linalg.matrix_transpose(a, conjugate=True),
        ]
    grads = [tape.gradient(r, [a, b], output_gradients=complex_upstream(tf, r, up)) for r in results]
    return results, grads


def _square_systems():
    """(a, b): a batch of n x n complex matrices, diagonally dominant (well conditioned), and right-hand sides."""
    elements = st.builds(complex, st.integers(-8, 8).map(lambda v: v / 8), st.integers(-8, 8).map(lambda v: v / 8))

    def build(d):
        batch, n, m = d
        return st.tuples(
            hnp.arrays(np.complex128, batch + (n, n), elements=elements).map(lambda a: a + 3 * np.eye(n)),
            hnp.arrays(np.complex128, batch + (n, m), elements=elements),
        )

    return st.tuples(st.sampled_from([(), (2,)]), st.integers(1, 3), st.integers(1, 2)).flatmap(build)


@case(
    ["ops.complex.linalg", "ops.complex.conjugate-gradients"],
    inputs={
        "dtype": st.sampled_from(COMPLEX),
        "system": _square_systems(),
        "adjoint": st.booleans(),
        "lower": st.booleans(),
        "up": strategies.complex_upstreams(),
    },
)
def linalg(tf, dtype, system, adjoint, lower, up):
    """inv, det, slogdet, solve and triangular_solve of complex matrices (adjoint=True conjugates and transposes):
    TF's values and gradients (det's and slogdet's formulas do not conjugate the determinant, as TF's)."""
    a, b = (tf.constant(v.astype(dtype)) for v in system)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        results = [
            tf.linalg.inv(a, adjoint=adjoint),
            tf.linalg.det(a),
            tf.linalg.slogdet(a).log_abs_determinant,
            tf.linalg.slogdet(a).sign,
            tf.linalg.solve(a, b, adjoint=adjoint),
            tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint),
        ]
    grads = [tape.gradient(r, [a, b], output_gradients=complex_upstream(tf, r, up)) for r in results]
    return results, grads


# -- reductions ------------------------------------------------------------------------------

_REDUCTIONS = ["reduce_sum", "reduce_mean", "reduce_prod", "math.cumsum", "math.cumprod"]


@case(
    ["ops.complex.reductions", "ops.complex.conjugate-gradients"],
    inputs={
        "op": st.sampled_from(_REDUCTIONS),
        "dtype": st.sampled_from(COMPLEX),
        "x": hnp.arrays(
            np.complex128,
            strategies.shapes(min_dims=1, max_dims=3),
            elements=st.sampled_from([0.5 + 0.5j, 1 - 0.5j, -0.75 + 1j, 1.25j, 1 + 0j, -0.5 - 0.25j]),
        ),
        "axis": st.integers(-1, 0),
        "up": strategies.complex_upstreams(),
    },
)
def reductions(tf, op, dtype, x, axis, up):
    """reduce_prod's gradient is conjugated (TF's conj of the exclusive products), cumprod's is not (TF's
    formula has no conj); sums and means pass the gradient on."""
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = op_named(tf, op)(x, axis)
    return y, tape.gradient(y, x, output_gradients=complex_upstream(tf, y, up))


@case(
    ["ops.complex.reductions", "ops.complex.norms"],
    inputs={"dtype": st.sampled_from(COMPLEX), "x": strategies.complex_operands(min_abs=0.25)},
)
def norms_and_moments(tf, dtype, x):
    """add_n; tf.norm (euclidean: complex sqrt(sum(x conj(x))); ord 1, 3 and inf: real); reduce_euclidean_norm
    (complex, its gradient not conjugated, as TF's); l2_normalize; reduce_variance and reduce_std (real)."""
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        results = [
            tf.math.add_n([x, x * x, tf.math.conj(x)]),
            tf.norm(x),
            tf.norm(x, ord=1),
            tf.norm(x, ord=3),
            tf.norm(x, ord=np.inf),
            tf.math.reduce_euclidean_norm(x),
            tf.math.l2_normalize(x),
            tf.math.reduce_variance(x),
            tf.math.reduce_std(x),
        ]
    return results, [tape.gradient(r, x) for r in results]


# -- real losses and float sources -------------------------------------------------------------


@case(
    ["ops.complex.real-loss", "ops.complex.conjugate-gradients"],
    inputs={
        "dtype": st.sampled_from(COMPLEX),
        "z": strategies.complex_operands(min_abs=0.25),
        "w": strategies.complex_operands(min_abs=0.25),
    },
)
def real_losses(tf, dtype, z, w):
    """A Variable's gradient of a real loss through complex ops is dL/dre(z) + i dL/dim(z): abs(z)**2 gives
    2z, real(z*z) 2 conj(z); sums of abs, real and imag parts of products and of exp."""
    z = tf.Variable(z.astype(dtype))
    w = tf.constant(w.astype(dtype))
    losses = [
        lambda: tf.reduce_sum(tf.abs(z) ** 2),
        lambda: tf.reduce_sum(tf.math.real(z * z)),
        lambda: tf.reduce_sum(tf.math.imag(z * w)),
        lambda: tf.reduce_sum(tf.abs(z * w - 1.0)),
        lambda: tf.reduce_mean(tf.math.real(tf.exp(z) * tf.math.conj(w))),
        lambda: tf.reduce_sum(tf.math.angle(z)),
    ]
    out = []
    for loss in losses:
        with tf.GradientTape() as tape:
            value = loss()
        out.append((value, tape.gradient(value, z)))
    return out


@case(
    ["ops.complex.float-sources", "ops.complex.conjugate-gradients", "conversion.cast"],
    inputs={
        "dtype": strategies.float_dtypes(),
        "r": strategies.operands(0.25, 2.0),
        "z": strategies.complex_operands(),
        "up": strategies.complex_upstreams(),
    },
)
def float_sources(tf, dtype, r, z, up):
    """Casting float to complex and back: the float source gets the real part of a complex gradient (TF's Cast
    gradient casts it, logging its warning); a complex target of tf.complex of float sources; cast to float."""
    complex_dtype = {"float32": tf.complex64, "float64": tf.complex128}[dtype]
    r, z = tf.constant(r.astype(dtype)), tf.constant(z.astype(complex_dtype.as_numpy_dtype))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([r, z])
        through_cast = tf.cast(r, complex_dtype) * z
        through_complex = tf.exp(tf.complex(r, 2.0 * r)) * z
        to_float = tf.cast(z, dtype) * r
    return [
        (y, tape.gradient(y, [r, z], output_gradients=complex_upstream(tf, y, up)))
        for y in (through_cast, through_complex, to_float)
    ]


# -- second order, jacobians, forward mode -------------------------------------------------------

_HIGHER = ["sqrt", "rsqrt", "tanh", "sigmoid", "reciprocal", "exp", "sin", "log", "square", "asin", "pow", "abs"]


@case(
    ["ops.complex.higher-order", "ops.complex.conjugate-gradients"],
    inputs={
        "op": st.sampled_from(_HIGHER),
        "dtype": st.sampled_from(COMPLEX),
        "x": strategies.complex_operands((0.3, 1.5), (-0.5, 0.5)),
        "up": strategies.complex_upstreams(),
        "tangent": strategies.complex_upstreams(),
    },
    max_examples=4,
)
def second_order_jacobian_jvp(tf, op, dtype, x, up, tangent):
    """A gradient's own gradient (nested tapes), the jacobian and a forward accumulator's jvp on complex inputs:
    the gradient functions' ops conjugate as TF's *Grad ops' gradients do (the accumulator logs that its primal
    is not floating, as TF's)."""
    functions = {
        "pow": lambda x: tf.pow(x, x),
        # tf.complex, not tf.cast: Cast's gradient logs, and TF's pfor jacobian runs gradient functions twice
        "abs": lambda x: tf.complex(tf.abs(x), tf.zeros_like(tf.abs(x))) * x,
        "asin": lambda x: tf.math.asin(x - 0.5),
    }
    f = functions.get(op) or op_named(tf, f"math.{op}")
    x = tf.constant(x.astype(dtype))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x, output_gradients=complex_upstream(tf, y, up))
    jacobian = inner.jacobian(y, x)
    second = outer.gradient(g, x, output_gradients=complex_upstream(tf, g, tangent))
    with tf.autodiff.ForwardAccumulator(x, complex_upstream(tf, x, tangent)) as accumulator:
        z = f(x)
    return g, second, jacobian, accumulator.jvp(z)


# -- ops without complex kernels ----------------------------------------------------------------


@case(["ops.complex.unsupported"], inputs={"dtype": st.sampled_from(COMPLEX)})
def ops_without_complex_kernels(tf, dtype):
    """erf, erfc, softplus, maximum, reduce_max and atan2 refuse complex tensors (their op definitions), floordiv
    and round have no CPU kernel for them: TF's errors."""
    x = tf.constant(np.array([0.5 + 0.5j, 1 - 1j]).astype(dtype))
    return [
        attempt(tf.math.erf, x),
        attempt(tf.math.erfc, x),
        attempt(tf.math.softplus, x),
        attempt(tf.maximum, x, x),
        attempt(tf.reduce_max, x),
        attempt(tf.math.atan2, x, x),
        attempt(tf.math.floordiv, x, x),
        attempt(tf.round, x),
    ]
