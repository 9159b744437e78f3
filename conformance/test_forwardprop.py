"""tf.autodiff.ForwardAccumulator: Jacobian-vector products in forward mode.

JVPs of ops run in the context on watched primals (tensors, variables, structures), None
or zeros where there is none, TF's errors for primals and tangents that do not match,
the accumulator's context (jvp outside it, re-entering), and how accumulators nest with
each other and with tapes: higher-order forward, forward-over-backward Hessian-vector
products, backward-over-forward, stop_recording and stop_gradient.

Guides: https://www.tensorflow.org/api_docs/python/tf/autodiff/ForwardAccumulator; advanced autodiff;
TF's source, tensorflow/python/eager/forwardprop.py (its errors, its double-VJP for every op).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.casekit import SMOOTH_FUNCTIONS, smooth
from conformance.cases import case


def test_forwardprop(case, check):
    check(case)


_EIGHTHS = st.integers(-16, 16).map(lambda n: n / 8)


def _with_tangent(primals):
    """(primal, tangent): drawn primal values and a tangent of the same shape and dtype (eighths)."""
    return primals.flatmap(lambda x: st.tuples(st.just(x), hnp.arrays(x.dtype, x.shape, elements=_EIGHTHS)))


_point = _with_tangent(
    strategies.arrays(strategies.float_dtypes(), strategies.shapes(max_dims=2, max_side=3), -2.0, 2.0)
)
_vector = _with_tangent(strategies.grid("float32", strategies.shapes(1, 1, max_side=4), 2.0))
_scalar = _with_tangent(strategies.scalars("float32", -2.0, 2.0))
_P = (np.float32([0.5, -1.5]), np.float32([1.0, 2.0]))  # a point and its tangent, for explicit examples


# -- JVPs, structures, unconnected tensors --------------------------------------------------------


@case(
    ["forwardprop.jvp"],
    inputs={"point": _point, "function": st.sampled_from(SMOOTH_FUNCTIONS)},
    examples=[{"point": (np.float32([1.0, 2.0]), np.float32([1.0, 0.0])), "function": "cube"}],
)
def jvp_of_smooth_functions(tf, point, function):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    with tf.autodiff.ForwardAccumulator(x, t) as acc:
        y = smooth(tf, function, x)
        z = tf.reduce_sum(y * x)
    return y, acc.jvp(y), acc.jvp(z), acc.jvp(x)


_VECTOR_FUNCTIONS = (
    "softmax",
    "cumsum_reversed",
    "matmul_outer",
    "stack_and_slice",
    "max_and_min",
    "where_relu",
    "divide",
)


def vector_function(tf, name, x):
    """A vector function of x made of ops of several families (reductions, shapes, matmul, selection)."""
    if name == "softmax":
        e = tf.exp(x - tf.reduce_max(x))
        return e / tf.reduce_sum(e)
    if name == "cumsum_reversed":
        return tf.math.cumsum(x * x, reverse=True) + tf.math.cumprod(tf.sin(x))
    if name == "matmul_outer":
        return tf.reshape(tf.matmul(x[:, None], tf.tanh(x)[None, :]), [-1])
    if name == "stack_and_slice":
        return tf.concat([tf.stack([x[0] * x[-1], tf.reduce_mean(x)]), x[::-1] ** 2], 0)
    if name == "max_and_min":
        return tf.stack([tf.reduce_max(x * 3.0), tf.reduce_min(x), tf.reduce_prod(x + 3.0)])
    if name == "where_relu":
        return tf.where(x > 0.5, tf.nn.relu(x) * x, tf.nn.softplus(x)) + tf.abs(x)
    return tf.math.divide(x, x * x + 1.0) - tf.maximum(x, 0.25) * tf.minimum(x, -0.5)


@case(
    ["forwardprop.every-op", "tape.jacobian"],
    inputs={"point": _vector, "function": st.sampled_from(_VECTOR_FUNCTIONS)},
    examples=[{"point": (np.float32([1.0, -0.5, 2.0]), np.float32([1.0, 0.0, -1.0])), "function": "softmax"}],
)
def jvp_is_jacobian_times_tangent(tf, point, function):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    with tf.autodiff.ForwardAccumulator(x, t) as acc:
        y = vector_function(tf, function, x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y_again = vector_function(tf, function, x)
    jacobian = tape.jacobian(y_again, x)
    return acc.jvp(y), tf.reduce_sum(jacobian * t, axis=-1)


@case(
    ["forwardprop.every-op"],
    inputs={"point": _vector, "float64": st.booleans()},
    examples=[{"point": (np.float32([1.0, 2.0]), np.float32([1.0, -1.0])), "float64": True}],
)
def multi_output_and_casting_ops(tf, point, float64):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    with tf.autodiff.ForwardAccumulator(x, t) as acc:
        parts = tf.unstack(x * x)
        cast = tf.cast(x, tf.float64 if float64 else tf.float16)
        shape_of = tf.shape(x)
        counted = tf.cast(x > 0.0, tf.float32)
    return acc.jvp(parts), acc.jvp(cast), acc.jvp(shape_of), acc.jvp(counted)


@case(
    ["forwardprop.jvp", "forwardprop.unconnected"],
    inputs={"w": _vector, "b": _scalar, "as_dict": st.booleans(), "unconnected": st.sampled_from(["none", "zero"])},
)
def jvp_of_nested_structures(tf, w, b, as_dict, unconnected):
    (w0, tw), (b0, tb) = w, b
    w, b = tf.constant(w0), tf.constant(b0)
    other = tf.constant([1.0, 2.0])
    primals = {"weights": w, "bias": [b]} if as_dict else (w, [b])
    tangents = (
        {"weights": tf.constant(tw), "bias": [tf.constant(tb)]} if as_dict else (tf.constant(tw), [tf.constant(tb)])
    )
    with tf.autodiff.ForwardAccumulator(primals, tangents) as acc:
        h = w * b + b
        loss = tf.reduce_sum(h * h)
        unused = other * 2.0
    wanted = {"loss": loss, "parts": (h, [w, b]), "unused": unused}
    return acc.jvp(wanted, unconnected_gradients=unconnected), acc.jvp(primals)


_UNCONNECTED = ("outside", "unwatched", "stop_gradient", "floor", "round", "sign", "to_int", "ones_like", "compare")


def unconnected_tensor(tf, kind, x):
    """A tensor computed in the context with no JVP: TF's gradient for its op is None or zeros,
    or it does not depend on the primal x."""
    if kind == "unwatched":
        return tf.constant([3.0, 4.0]) * 2.0
    if kind == "stop_gradient":
        return tf.stop_gradient(x * x)
    if kind == "floor":
        return tf.floor(x * 3.0)
    if kind == "round":
        return tf.round(x)
    if kind == "sign":
        return tf.sign(x)
    if kind == "to_int":
        return tf.cast(x * 10.0, tf.int32)
    if kind == "ones_like":
        return tf.ones_like(x)
    return tf.math.greater(x, 0.0)


@case(
    ["forwardprop.unconnected"],
    inputs={
        "point": _vector,
        "kind": st.sampled_from(_UNCONNECTED),
        "unconnected": st.sampled_from(["none", "zero", "enum_zero", "zeros"]),
    },
    examples=[{"point": _P, "kind": kind, "unconnected": "zero"} for kind in _UNCONNECTED]
    + [{"point": _P, "kind": "floor", "unconnected": other} for other in ("none", "enum_zero", "zeros")],
)
def jvp_of_unconnected_tensors(tf, point, kind, unconnected):
    x0, t0 = point
    x = tf.constant(x0)
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant(t0))
    if kind == "outside":
        target = x * 2.0
    else:
        with acc:
            target = unconnected_tensor(tf, kind, x)
    if unconnected == "enum_zero":
        unconnected = tf.UnconnectedGradients.ZERO
    return acc.jvp(target, unconnected_gradients=unconnected)


_NOT_TENSORS = ("float", "none", "list_with_float", "array")


@case(
    ["forwardprop.unconnected"],
    inputs={"kind": st.sampled_from(_NOT_TENSORS)},
    examples=[{"kind": kind} for kind in _NOT_TENSORS],
)
def jvp_of_what_is_not_a_tensor(tf, kind):
    x = tf.constant(1.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(2.0)) as acc:
        y = x * 3.0
    wanted = {"float": 3.0, "none": None, "list_with_float": [y, 2.0], "array": np.float32([1.0])}[kind]
    return acc.jvp(wanted)


# -- variables ----------------------------------------------------------------------------------


@case(
    ["forwardprop.variables"],
    inputs={
        "v": _vector,
        "trainable": st.booleans(),
        "update": st.sampled_from(["none", "assign", "assign_add"]),
        "unconnected": st.sampled_from(["none", "zero"]),
    },
    examples=[
        {
            "v": (np.float32([1.0, 2.0]), np.float32([1.0, 0.0])),
            "trainable": True,
            "update": "assign",
            "unconnected": "none",
        }
    ],
)
def variables_as_primals(tf, v, trainable, update, unconnected):
    v0, t0 = v
    v = tf.Variable(v0, trainable=trainable)
    w = tf.Variable(v0 * 2.0 + 1.0)
    with tf.autodiff.ForwardAccumulator(v, tf.constant(t0)) as acc:
        y = v * w
        read = v.read_value()
        updated = None
        if update == "assign":
            updated = v.assign(v0 * 3.0)
        elif update == "assign_add":
            updated = v.assign_add(v0)
        after = tf.reduce_sum(v * v)
    jvps = acc.jvp([y, read, after, v, w], unconnected_gradients=unconnected)
    return jvps, None if updated is None else acc.jvp(updated)


@case(["forwardprop.variables", "forwardprop.integer-primals"], inputs={"v": _scalar})
def variable_reads_outside_and_integer_variables(tf, v):
    v0, t0 = v
    v = tf.Variable(v0)
    read_before = v.read_value()
    counter = tf.Variable([1, 2])
    with tf.autodiff.ForwardAccumulator([v, counter], [tf.constant(t0), tf.constant([1, 1])]) as acc:
        from_early_read = read_before * 3.0
        from_read = v * 3.0
        count_read = counter.read_value()
    return acc.jvp([from_early_read, from_read, count_read, counter])


@case(
    ["forwardprop.variables", "forwardprop.every-op"],
    inputs={"layer": _with_tangent(strategies.grid("float32", (2, 1), 2.0))},
)
def linear_regression_columns_are_the_gradient(tf, layer):
    """The API page's example without Keras: one JVP per kernel entry gives the gradient's entries."""
    kernel0, _ = layer
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    kernel, bias = tf.Variable(kernel0), tf.Variable([0.5])

    def loss_fn():
        return tf.reduce_sum((tf.matmul(x, kernel) + bias - targets) ** 2.0)

    columns = []
    for basis in ([[1.0], [0.0]], [[0.0], [1.0]]):
        with tf.autodiff.ForwardAccumulator(kernel, tf.constant(basis)) as acc:
            columns.append(acc.jvp(loss_fn()))
    with tf.autodiff.ForwardAccumulator(bias, tf.constant([1.0])) as acc:
        bias_fprop = acc.jvp(loss_fn())
    with tf.GradientTape() as tape:
        loss = loss_fn()
    return columns, bias_fprop, tape.gradient(loss, (kernel, bias))


# -- primals and tangents that do not match -------------------------------------------------


_MISMATCHES = (
    "fewer_tangents",
    "nesting",
    "list_tangent",
    "float64_tangent",
    "int_tangent",
    "float_for_int_primal",
    "python_float_for_int_primal",
    "same_tensor_twice",
    "same_variable_twice",
    "python_float_primal",
    "scalar_tangent",
)


def accumulator_for(tf, kind, x, t):
    """A ForwardAccumulator built from primals and tangents that do not match in one way."""
    fa = tf.autodiff.ForwardAccumulator
    if kind == "fewer_tangents":
        return fa([x, x * 2.0], [t])
    if kind == "nesting":
        return fa([x], t)
    if kind == "list_tangent":
        return fa(x, [1.0] * int(x.shape[0]))
    if kind == "float64_tangent":
        return fa(x, tf.cast(t, tf.float64))
    if kind == "int_tangent":
        return fa(x, tf.cast(t, tf.int32))
    if kind == "float_for_int_primal":
        return fa(tf.cast(x, tf.int32), t)
    if kind == "python_float_for_int_primal":
        return fa(tf.cast(x, tf.int32), 1.5)
    if kind == "same_tensor_twice":
        return fa([x, x], [t, t])
    if kind == "same_variable_twice":
        v = tf.Variable(x)
        return fa((v, [v]), (t, [t]))
    if kind == "python_float_primal":
        return fa(3.0, 1.0)
    return fa(x, tf.constant(2.0))  # shapes are not checked


@case(
    ["forwardprop.watch-errors"],
    inputs={"point": _vector, "kind": st.sampled_from(_MISMATCHES)},
    examples=[{"point": _P, "kind": kind} for kind in _MISMATCHES],
)
def primals_and_tangents_that_do_not_match(tf, point, kind):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    acc = accumulator_for(tf, kind, x, t)
    with acc:
        y = tf.identity(x)
    return acc.jvp(x), acc.jvp(y)


@case(
    ["forwardprop.integer-primals"],
    inputs={
        "x0": strategies.int_arrays(st.sampled_from(["int32", "int64"]), strategies.shapes(1, 1, max_side=3), -5, 5)
    },
)
def integer_primals(tf, x0):
    x = tf.constant(x0)
    tangent = tf.ones_like(x)
    with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
        doubled = x * 2
        as_float = tf.cast(x, tf.float32) * 2.0
    zeros = acc.jvp(doubled, unconnected_gradients="zero")
    return acc.jvp(x), acc.jvp(doubled), acc.jvp(as_float), zeros


# -- the accumulator's context ---------------------------------------------------------------


def enter_twice(acc):
    try:
        with acc:
            with acc:
                pass
    except ValueError as e:
        return str(e)
    return "entered twice"


@case(["forwardprop.context"], inputs={"point": _vector, "reenter": st.booleans()})
def jvp_outside_the_context_and_reentering(tf, point, reenter):
    x0, t0 = point
    x = tf.constant(x0)
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant(t0))
    before = x * 2.0
    with acc as entered:
        inside = x * 3.0
    after = x * 4.0
    again = None
    if reenter:
        with acc:
            again = inside * x
    jvps = acc.jvp([before, inside, after, x])
    return jvps, None if again is None else acc.jvp(again), entered is acc, enter_twice(acc), hasattr(acc, "watch")


# -- nesting: accumulators and tapes -----------------------------------------------------------


@case(
    ["forwardprop.higher-order"],
    inputs={"x": _scalar, "function": st.sampled_from(SMOOTH_FUNCTIONS + ("power_3.5",))},
    examples=[{"x": (np.float32(1.1), np.float32(1.0)), "function": "power_3.5"}],
)
def accumulators_inside_accumulators(tf, x, function):
    x0, t0 = x
    primal = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(t0)) as outer:
        with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as inner:
            if function == "power_3.5":
                primal_out = tf.abs(primal) ** tf.constant(3.5)
            else:
                primal_out = smooth(tf, function, primal)
    inner_jvp = inner.jvp(primal_out)
    return inner_jvp, outer.jvp(inner_jvp), outer.jvp(primal_out), inner.jvp(outer.jvp(primal_out))


@case(
    ["forwardprop.higher-order"],
    inputs={"x": _scalar, "function": st.sampled_from(SMOOTH_FUNCTIONS)},
    examples=[{"x": (np.float32(2.0), np.float32(1.0)), "function": "quartic_poly"}],
)
def third_order_forward(tf, x, function):
    x0, _ = x
    primal = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as a1:
        with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as a2:
            with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as a3:
                y = smooth(tf, function, primal)
            d1 = a3.jvp(y)
        d2 = a2.jvp(d1)
    return d1, d2, a1.jvp(d2)


@case(
    ["forwardprop.forward-over-backward"],
    inputs={"v": _with_tangent(strategies.grid("float32", (2,), 2.0)), "gradient_inside": st.booleans()},
    examples=[{"v": (np.float32([1.0, 2.0]), np.float32([1.0, 0.0])), "gradient_inside": True}],
)
def hessian_vector_product_from_the_guide(tf, v, gradient_inside):
    v0, t0 = v
    v = tf.Variable(v0)
    with tf.autodiff.ForwardAccumulator(v, tf.constant(t0)) as acc:  # t0: the "vector" in Hessian-vector product
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v**3.0)
        if gradient_inside:
            backward = tape.gradient(y, v)
    if not gradient_inside:  # backprop outside the accumulator: nothing to differentiate forward
        backward = tape.gradient(y, v)
    return backward, acc.jvp(backward)


_SCALAR_FUNCTIONS = ("cubes", "sin_times_x", "log_sum_exp", "quadratic_form", "tanh_layer")


def scalar_function(tf, name, x):
    """A scalar function of a vector x, for Hessians."""
    if name == "cubes":
        return tf.reduce_sum(x**3) + x[0] * x[-1]
    if name == "sin_times_x":
        return tf.reduce_sum(tf.sin(x) * x)
    if name == "log_sum_exp":
        return tf.math.log(tf.reduce_sum(tf.exp(x)))
    if name == "quadratic_form":
        a = tf.reshape(tf.range(1.0, 1.0 + float(x.shape[0] ** 2)), [x.shape[0], x.shape[0]])
        return tf.reduce_sum(tf.matmul(x[None, :], tf.matmul(a, x[:, None])))
    return tf.reduce_sum(tf.tanh(x * 0.5 + 0.25) ** 2)


@case(
    ["forwardprop.forward-over-backward", "jacobians.hessian"],
    inputs={"point": _vector, "function": st.sampled_from(_SCALAR_FUNCTIONS)},
)
def hessian_vector_product_is_hessian_times_vector(tf, point, function):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    with tf.autodiff.ForwardAccumulator(x, t) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = scalar_function(tf, function, x)
        g = tape.gradient(y, x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y_again = scalar_function(tf, function, x)
        g_again = inner.gradient(y_again, x)
    hessian = outer.jacobian(g_again, x)
    return acc.jvp(g), tf.reduce_sum(hessian * t, axis=-1)


@case(
    ["forwardprop.backward-over-forward"],
    inputs={"point": _vector, "function": st.sampled_from(_SCALAR_FUNCTIONS), "watch_tangent": st.booleans()},
)
def tape_around_an_accumulator(tf, point, function, watch_tangent):
    x0, t0 = point
    x, t = tf.constant(x0), tf.constant(t0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        if watch_tangent:
            tape.watch(t)
        with tf.autodiff.ForwardAccumulator(x, t) as acc:
            y = scalar_function(tf, function, x)
        jvp = acc.jvp(y)
    return jvp, tape.gradient(jvp, x), tape.gradient(jvp, t), tape.gradient(y, x)


@case(["forwardprop.backward-over-forward"], inputs={"point": _vector, "function": st.sampled_from(_SCALAR_FUNCTIONS)})
def tape_inside_an_accumulator_misses_its_jvps(tf, point, function):
    x0, t0 = point
    x = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(t0)) as acc:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = scalar_function(tf, function, x)
        jvp = acc.jvp(y)
    return jvp, tape.gradient(jvp, x), tape.gradient(y, x)


_PAUSES = ("ops_while_tape_paused", "tape_reentered_inside", "watch_while_paused", "stop_gradient")


@case(
    ["forwardprop.stop-recording"],
    inputs={"point": _vector, "pause": st.sampled_from(_PAUSES)},
    examples=[{"point": _P, "pause": pause} for pause in _PAUSES],
)
def stop_recording_and_stop_gradient(tf, point, pause):
    x0, t0 = point
    x = tf.constant(x0)
    with tf.GradientTape(persistent=True) as tape:
        if pause != "watch_while_paused":
            tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(t0)) as acc:
            if pause == "ops_while_tape_paused":
                with tape.stop_recording():
                    y = x * x
            elif pause == "tape_reentered_inside":  # re-entered after the accumulator: the tape is inner now
                with tape.stop_recording():
                    pass
                y = x * x
            elif pause == "watch_while_paused":  # only the accumulator records: watching does nothing
                with tape.stop_recording():
                    tape.watch(x)
                y = x * x
            else:
                y = tf.stop_gradient(x * x) + x
        jvp = acc.jvp(y)
    return jvp, tape.gradient(jvp, x), tape.gradient(y, x)


@case(
    ["forwardprop.no-gradient"],
    inputs={"stopped": st.booleans(), "factor": st.sampled_from([0.5, 2.0])},
    examples=[{"stopped": False, "factor": 2.0}, {"stopped": True, "factor": 0.5}],
)
def op_without_a_gradient(tf, stopped, factor):
    images = tf.reshape(tf.range(12.0), [2, 2, 3])
    with tf.autodiff.ForwardAccumulator(images, tf.ones([2, 2, 3])) as acc:
        source = tf.stop_gradient(images) if stopped else images
        adjusted = tf.image.adjust_contrast(source, factor)
    return adjusted, acc.jvp(adjusted)


@case(
    ["forwardprop.custom-gradient", "custom_gradient.replaces-gradient"],
    inputs={"point": _vector, "which": st.sampled_from(["clipped square", "log1pexp", "no body jvp"])},
)
def custom_gradient_functions_under_an_accumulator(tf, point, which):
    """TF differentiates a custom_gradient's body forward; its grad_fn only fills in a body without JVPs."""
    x, tangent = point

    @tf.custom_gradient
    def clipped_square(v):
        return v * v, lambda up: up * 0.5

    @tf.custom_gradient
    def log1pexp(v):
        e = tf.exp(v)
        return tf.math.log(1 + e), lambda up: up * (1 - 1 / (1 + e))

    @tf.custom_gradient
    def no_body_jvp(v):
        return tf.stop_gradient(v) * 3.0, lambda up: up * 2.0

    function = {"clipped square": clipped_square, "log1pexp": log1pexp, "no body jvp": no_body_jvp}[which]
    with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
        y = function(x)
    return y, acc.jvp(y)
