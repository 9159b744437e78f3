"""tf.function: decorating, binding arguments (input_signature), converting results, and
tapes through and inside functions.

A backend may run a tf.function's Python body on every call instead of tracing it once
(the shim does, as TF does under tf.config.run_functions_eagerly(True)). So these cases
compare only what is the same either way: values, dtypes, shapes, gradients and the
errors raised while binding arguments or converting results. No case relies on Python
side effects in a body (printing, appending, counting calls), raises inside a body (TF
reports those as "in user code:" graph errors), creates variables inside one, or calls
one tf.function with values a trace cache would confuse (1 after 1.0).

Bodies are `def`s, never lambdas (AutoGraph logs a warning for lambdas it cannot parse).

Guides: https://www.tensorflow.org/guide/function; https://www.tensorflow.org/api_docs/python/tf/function;
https://www.tensorflow.org/api_docs/python/tf/TensorSpec; tensorflow/python/eager/polymorphic_function/
(function_type_utils.py: binding; func_graph.py: results).
"""

from __future__ import annotations

import inspect

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_functions(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=2.0):
    return strategies.grid(dtype, shape, bound)


_x = _grid(shape=strategies.shapes(max_dims=2, max_side=3))
_vector = _grid(shape=strategies.shapes(min_dims=1, max_dims=1, max_side=3))


def polynomial(x):
    """The body most cases compile: exact on the grid of eighths in every float dtype."""
    return x * x * 0.5 - x + 2.0


# -- decorating ---------------------------------------------------------------------------------


@case(
    ["function.decorator-forms", "function.returns-tensors"],
    inputs={
        "x0": _x,
        "form": st.sampled_from(["@tf.function", "@tf.function()", "@tf.function(...)", "tf.function(f)"]),
    },
    examples=[{"x0": np.float32([1.0, -2.0]), "form": "@tf.function"}],
)
def decorator_forms(tf, x0, form):
    if form == "@tf.function":

        @tf.function
        def f(x):
            return polynomial(x)

    elif form == "@tf.function()":

        @tf.function()
        def f(x):
            return polynomial(x)

    elif form == "@tf.function(...)":

        @tf.function(reduce_retracing=True, autograph=False)
        def f(x):
            return polynomial(x)

    else:

        def g(x):
            return polynomial(x)

        f = tf.function(g)
    x = tf.constant(x0)
    return f(x), f(x=x), f(x0), f.__name__, repr(f.input_signature)


@case(
    ["function.arguments", "function.decorator-forms"],
    inputs={
        "x0": _x,
        "autograph": st.booleans(),
        "jit_compile": st.sampled_from([None, False, True]),
        "reduce_retracing": st.booleans(),
        "implements": st.sampled_from([None, "polynomial"]),
        "attributes": st.sampled_from([None, {}, {"_noinline": True}]),
        "with_signature": st.booleans(),
        "deprecated": st.sampled_from(
            [{}, {"experimental_relax_shapes": True}, {"experimental_follow_type_hints": False}]
        ),
    },
)
def every_argument_accepted(
    tf, x0, autograph, jit_compile, reduce_retracing, implements, attributes, with_signature, deprecated
):
    def body(x):
        return polynomial(x)

    f = tf.function(
        func=body,
        input_signature=[tf.TensorSpec(None, x0.dtype)] if with_signature else None,
        autograph=autograph,
        jit_compile=jit_compile,
        reduce_retracing=reduce_retracing,
        experimental_implements=implements,
        experimental_autograph_options=None,
        experimental_attributes=attributes,
        **deprecated,
    )
    parameters = [(name, p.default) for name, p in inspect.signature(tf.function).parameters.items()]
    return f(tf.constant(x0)), repr(f.input_signature), parameters


@case(
    ["function.decoration-errors"],
    inputs={
        "problem": st.sampled_from(
            [
                "signature not a sequence",
                "not a spec",
                "missing constraint",
                "extra constraints",
                "keyword-only without default",
                "not callable",
                "unknown attribute",
                "compile twice",
            ]
        )
    },
)
def invalid_decorations_raise(tf, problem):
    def two(x, y):
        return x + y

    def keyword_only(x, *, scale):
        return x * scale

    spec = tf.TensorSpec([])
    if problem == "signature not a sequence":
        return tf.function(two, input_signature={"x": spec, "y": spec})
    if problem == "not a spec":
        return tf.function(two, input_signature=[spec, 1.0])
    if problem == "missing constraint":
        return tf.function(two, input_signature=[spec])
    if problem == "extra constraints":
        return tf.function(two, input_signature=[spec, spec, spec, [spec]])
    if problem == "keyword-only without default":
        return tf.function(keyword_only, input_signature=[spec])
    if problem == "not callable":
        return tf.function(3)
    if problem == "unknown attribute":
        return tf.function(two, experimental_attributes={"_noinline": True, "inline_everything": True})
    return tf.function(two, jit_compile=False, experimental_compile=False)


# -- what comes out, what goes in -----------------------------------------------------------------

_python_leaf = st.one_of(
    strategies.python_floats(),
    st.integers(-100, 100),
    st.booleans(),
    st.none(),
    st.sampled_from(["", "text", "tf.function"]),
    _grid(shape=strategies.shapes(max_dims=2, max_side=2)),
    strategies.int_arrays(st.sampled_from(["int32", "int64", "uint8"]), strategies.shapes(max_dims=1), 0, 9),
)


@case(
    ["function.returns-tensors"],
    inputs={"values": strategies.structures(_python_leaf)},
    examples=[{"values": {"b": [1.5, 2], "a": (True, None, "s")}}],
)
def python_results_become_tensors(tf, values):
    def constant_structure():
        return values

    return tf.function(constant_structure)()


@case(
    ["function.returns-tensors", "function.gradients"],
    inputs={"x0": _x, "watched": st.booleans(), "which": st.sampled_from(["argument", "variable", "shape", "nothing"])},
    examples=[{"x0": np.float32([1.0, 2.0]), "watched": False, "which": "argument"}],
)
def results_are_new_tensors(tf, x0, watched, which):
    x = tf.constant(x0)
    v = tf.Variable(x0 * 2)

    @tf.function
    def passes_through(t):
        if which == "argument":
            return t
        if which == "variable":
            return v
        if which == "shape":
            return t.shape
        return None

    with tf.GradientTape(persistent=True) as tape:
        if watched:
            tape.watch(x)
        y = passes_through(x)
    if y is None:
        return y
    # the result is not the argument (an unwatched argument gives None, not ones)
    return y, y is x, tape.gradient(y, [x, v])


@case(
    ["function.returns-tensors"],
    inputs={"what": st.sampled_from(["dtype", "object", "function", "unknown shape", "ragged list"])},
)
def unconvertible_results_raise(tf, what):
    def returns_unconvertible():
        if what == "dtype":
            return tf.float32
        if what == "object":
            return object()
        if what == "function":
            return polynomial
        if what == "unknown shape":
            return [1.0, tf.TensorShape([None, 2])]
        return [[1.0], [2.0, 3.0]]  # a ragged list is a structure of numbers: that converts

    return tf.function(returns_unconvertible)()


@case(
    ["function.numpy-arguments"],
    inputs={
        "a": st.one_of(_x, strategies.int_arrays(st.sampled_from(["int32", "int64"]), strategies.shapes(max_dims=2))),
        "b": strategies.python_floats(),
        "as_scalar": st.booleans(),
    },
)
def numpy_arguments_arrive_as_tensors(tf, a, b, as_scalar):
    @tf.function
    def inspects(array, number, listed):
        return [tf.is_tensor(array), tf.is_tensor(number), tf.is_tensor(listed[0]), array + array, listed[0] * 2]

    array = a.flat[0] if as_scalar and a.size else a  # a numpy scalar is an array to TF too
    return inspects(array, b, [a])


# -- input_signature ------------------------------------------------------------------------------


@case(
    ["function.input-signature"],
    inputs={
        "x0": _grid("float64", strategies.shapes(min_dims=1, max_dims=2, max_side=3)),
        "dtype": st.sampled_from(["float32", "float64", "float16", "int32"]),
        "given_as": st.sampled_from(["list", "numpy", "tensor", "variable"]),
        "unknown": st.sampled_from(["none", "first", "all", "rank"]),
    },
    examples=[{"x0": np.float64([[1.5, -2.0]]), "dtype": "int32", "given_as": "numpy", "unknown": "first"}],
)
def input_signature_converts_arguments(tf, x0, dtype, given_as, unknown):
    shape = list(x0.shape)
    if unknown == "first":
        shape[0] = None
    elif unknown == "all":
        shape = [None] * len(shape)
    spec = tf.TensorSpec(None if unknown == "rank" else shape, dtype, name="x")

    @tf.function(input_signature=[spec])
    def doubled(x):
        return x + x, x.dtype == spec.dtype

    if given_as == "list":
        argument = x0.tolist()
    elif given_as == "numpy":
        argument = x0
    elif given_as == "tensor":
        argument = tf.cast(tf.constant(x0), dtype)
    else:
        argument = tf.Variable(tf.cast(tf.constant(x0), dtype))
    return doubled(argument), repr(doubled.input_signature)


_MISMATCHES = [
    "rank",
    "dimension",
    "float64 tensor",
    "int32 tensor",
    "float variable",
    "float for int spec",
    "None",
    "string",
    "ragged list",
    "too many",
    "missing",
    "unexpected keyword",
    "twice",
    "tuple length",
    "list length",
    "list for tuple",
    "dict keys",
    "list for dict",
    "other default",
]


@case(
    ["function.input-signature-errors"],
    inputs={"x0": _grid("float32", (2,)), "mismatch": st.sampled_from(_MISMATCHES)},
    examples=[{"x0": np.float32([1.0, 2.5]), "mismatch": "dimension"}],
)
def input_signature_mismatch_raises(tf, x0, mismatch):
    spec = tf.TensorSpec([2], tf.float32)
    int_spec = tf.TensorSpec([], tf.int32)

    @tf.function(input_signature=[spec, tf.TensorSpec([None, None]), int_spec])
    def three(x, matrix, count, scale=2.0):
        return x * scale, matrix, count

    @tf.function(input_signature=[(spec, spec), [spec, spec], {"w": spec, "b": spec}])
    def structured(pair, items, params):
        return pair[0] + items[1] + params["w"]

    x = tf.constant(x0)
    m = tf.ones([1, 2])
    n = tf.constant(3)
    good = dict(pair=(x, x), items=[x, x], params={"w": x, "b": x})
    calls = {
        "rank": lambda: three(x, x, n),
        "dimension": lambda: three(tf.concat([x, x], 0), m, n),
        "float64 tensor": lambda: three(tf.cast(x, tf.float64), m, n),
        "int32 tensor": lambda: three(x, m, tf.constant([3])),
        "float variable": lambda: three(x, m, tf.Variable(3.0)),
        "float for int spec": lambda: three(x, m, 1.5),
        "None": lambda: three(None, m, n),
        "string": lambda: three(x, "matrix", n),
        "ragged list": lambda: three(x, [[1.0], [2.0, 3.0]], n),
        "too many": lambda: three(x, m, n, 2.0, 1.0),
        "missing": lambda: three(x, count=n),
        "unexpected keyword": lambda: three(x, m, n, shift=1.0),
        "twice": lambda: three(x, m, n, x=x),
        "tuple length": lambda: structured(**{**good, "pair": (x, x, x)}),
        "list length": lambda: structured(**{**good, "items": [x]}),
        "list for tuple": lambda: structured(**{**good, "pair": [x, x]}),
        "dict keys": lambda: structured(**{**good, "params": {"w": x}}),
        "list for dict": lambda: structured(**{**good, "params": [x, x]}),
        "other default": lambda: three(x, m, n, 3.0),
    }
    return calls[mismatch]()


@case(
    ["function.input-signature", "function.input-signature-errors"],
    inputs={
        "x0": _grid("float32", ()),
        "call": st.sampled_from(["varargs", "varargs short", "keyword arguments", "defaults", "positional only"]),
    },
)
def input_signature_and_parameter_kinds(tf, x0, call):
    spec = tf.TensorSpec([], tf.float32)

    def summed(*terms):
        return terms[0] + terms[1]

    def with_keywords(x, **options):
        return x * 2.0

    def with_defaults(x, y=tf.constant(3.0), *, flag=True):
        return x * y if flag else x

    x = tf.constant(x0)
    if call.startswith("varargs"):
        f = tf.function(summed, input_signature=[spec, spec])
        result = f(x, 1.0) if call == "varargs" else f(x)
    elif call == "keyword arguments":
        f = tf.function(with_keywords, input_signature=[spec])
        result = f(x, scale=3.0)
    elif call == "defaults":
        f = tf.function(with_defaults, input_signature=[spec])
        result = [f(x), f(x, 5.0), f(x, y=x)]
    else:
        f = tf.function(summed, input_signature=[spec, spec])
        try:
            result = f(terms_0=x, terms_1=x)
        except TypeError as e:  # between the backticks is Python's inspect (its text changed in 3.13); the rest is TF's
            before, _, rest = str(e).partition("`")
            return "TypeError", before + "`<inspect's reason>`" + rest.partition("`")[2]
    return result, repr(f.input_signature)


@case(
    ["function.binding-errors"],
    inputs={
        "x0": _grid("float32", ()),
        "call": st.sampled_from(["missing", "too many", "unexpected keyword", "twice", "keywords ok", "defaults ok"]),
    },
)
def arguments_bind_like_python(tf, x0, call):
    @tf.function
    def affine(x, scale=2.0, *rest, shift, **extra):
        return x * scale + shift

    x = tf.constant(x0)
    calls = {
        "missing": lambda: affine(x),
        "too many": lambda: tf.function(polynomial)(x, x),
        "unexpected keyword": lambda: tf.function(polynomial)(x, y=x),
        "twice": lambda: affine(x, x=x, shift=1.0),
        "keywords ok": lambda: affine(shift=1.0, x=x, anything=None),
        "defaults ok": lambda: affine(x, 3.0, 4.0, shift=x),
    }
    return calls[call]()


# -- tapes ----------------------------------------------------------------------------------------


@case(
    ["function.gradients", "unconnected.zero", "persistence.persistent-reuse"],
    inputs={
        "x0": _x,
        "as_variable": st.booleans(),
        "unconnected": st.sampled_from(["none", "zero"]),
        "nested": st.booleans(),
    },
    examples=[{"x0": np.float32([1.0, -2.0]), "as_variable": False, "unconnected": "none", "nested": False}],
)
def gradients_through_a_function(tf, x0, as_variable, unconnected, nested):
    w = tf.Variable(tf.ones_like(tf.constant(x0)) * 1.5)
    unused = tf.Variable(2.0)

    @tf.function
    def inner(x):
        return polynomial(x) * w  # w is captured: its reads are recorded

    @tf.function
    def outer(x, other):
        return inner(x) + x if nested else polynomial(x) * w

    with tf.GradientTape(persistent=True) as tape:
        x = tf.Variable(x0) if as_variable else tf.constant(x0)
        other = tf.constant(x0)
        tape.watch(x)
        y = outer(x, other)
        total = tf.reduce_sum(y)
    return (
        y,
        tape.gradient(y, [x, w, other, unused], unconnected_gradients=unconnected),
        tape.gradient(total, x),
        tape.watched_variables(),
    )


@case(
    ["function.tape-inside", "higher_order.nested-tapes"],
    inputs={"x0": _x, "persistent": st.booleans()},
    examples=[{"x0": np.float32(3.0), "persistent": False}],
)
def tape_inside_a_function(tf, x0, persistent):
    @tf.function
    def value_and_slope(x):
        with tf.GradientTape(persistent=persistent) as tape:
            tape.watch(x)
            y = x * x * x
        return y, tape.gradient(y, x)

    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        y, slope = value_and_slope(x)
    return y, slope, outer.gradient(slope, x)


@case(
    ["function.tape-inside", "function.methods", "notebooks.optimizer-step"],
    inputs={
        "xs": _grid("float32", (4, 2), 1.0),
        "ys": _grid("float32", (4, 1), 1.0),
        "steps": st.integers(1, 3),
        "rate": st.sampled_from([0.125, 0.25]),
    },
)
def training_step_as_a_function(tf, xs, ys, steps, rate):
    class Linear(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(tf.ones([2, 1]) * 0.5)
            self.b = tf.Variable(tf.zeros([1]))

        @tf.function
        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

    model = Linear()

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x) - y) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        for variable, grad in zip(model.trainable_variables, grads):
            variable.assign_sub(rate * grad)
        return loss

    losses = [train_step(tf.constant(xs), tf.constant(ys)) for _ in range(steps)]
    return losses, model.trainable_variables


@case(
    ["function.control-flow", "function.gradients"],
    inputs={"x0": _vector, "times": st.integers(0, 3)},
    examples=[{"x0": np.float32([1.0, -2.0]), "times": 2}],
)
def tensor_dependent_control_flow(tf, x0, times):
    @tf.function
    def branchy(x, n):
        if tf.reduce_sum(x) > 0:
            y = x * x
        else:
            y = -x * 3.0
        for _ in tf.range(n):
            y = y * 0.5 + x
        return y

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = branchy(x, tf.constant(times))
    return y, tape.gradient(y, x)


@case(
    ["function.gradients", "custom_gradient.replaces-gradient"],
    inputs={"x0": _grid("float32", strategies.shapes(max_dims=1)), "limit": st.sampled_from([0.5, 2.0])},
)
def custom_gradient_inside_a_function(tf, x0, limit):
    @tf.custom_gradient
    def clipped(y):
        def backward(dy):
            return tf.maximum(tf.minimum(dy, limit), -limit)

        return y, backward

    @tf.function
    def f(x):
        return clipped(x * x * 3.0)

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return y, tape.gradient(y, x)


# -- methods --------------------------------------------------------------------------------------


@case(
    ["function.methods", "modules.tracking"],
    inputs={"x0": _grid("float32", (2,)), "scale": strategies.python_floats(0.5, 3.0)},
    examples=[{"x0": np.float32([1.0, 2.0]), "scale": 2.0}],
)
def methods_and_modules(tf, x0, scale):
    class Scaler(tf.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor = tf.Variable(factor)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, x):
            return x * self.factor

        @tf.function
        def shifted(self, x, shift=1.0):
            return self(x) + shift

    first, second = Scaler(scale), Scaler(scale * 2.0)
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        y = first.shifted(x) + second(x)
    looked_up = (first.shifted is first.shifted, first.shifted is second.shifted, Scaler.shifted is Scaler.shifted)
    return (
        y,
        Scaler.shifted(first, x, 0.0),
        looked_up,
        type(first.shifted).__name__ == type(Scaler.shifted).__name__,
        repr(first.__call__.input_signature),
        repr(Scaler.__call__.input_signature),
        repr(first.shifted.input_signature),
        tape.gradient(y, [first.factor, second.factor]),
    )


@case(
    ["function.methods", "function.input-signature-errors"],
    inputs={
        "x0": _grid("float32", (2,)),
        "call": st.sampled_from(["bound", "bound missing", "unbound", "unbound no self"]),
    },
)
def method_binding_errors(tf, x0, call):
    class Scaler:
        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
        def scale(self, x):
            return x * 2.0

    scaler = Scaler()
    x = tf.constant(x0)
    short = x[:1]
    calls = {
        "bound": lambda: scaler.scale(short),
        "bound missing": lambda: scaler.scale(),
        "unbound": lambda: Scaler.scale(scaler, short),
        "unbound no self": lambda: Scaler.scale(x),
    }
    return calls[call]()


# -- running eagerly, TensorSpec ---------------------------------------------------------------------


@case(
    ["function.run-eagerly"],
    inputs={"x0": _grid("float32", (2,)), "eagerly": st.booleans()},
    examples=[{"x0": np.float32([1.0, 2.0]), "eagerly": True}],
)
def run_functions_eagerly_switch(tf, x0, eagerly):
    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def scaled(x):
        return x * 2.0, 1.5, tf.is_tensor(x)

    before = tf.config.functions_run_eagerly()
    tf.config.run_functions_eagerly(eagerly)
    try:
        during = tf.config.functions_run_eagerly()
        results = [scaled(tf.constant(x0))]
        try:
            results.append(scaled(x0))  # a float32 numpy array: converted only when traced
            results.append(scaled(tf.constant([1.0, 2.0, 3.0])))  # only a traced function checks the shape
        except TypeError as e:
            results.append(f"TypeError: {e}")
    finally:
        tf.config.run_functions_eagerly(before)
    return before, during, tf.config.functions_run_eagerly(), results


@case(
    ["function.tensor-spec"],
    inputs={
        "shape": st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=3)),
        "dtype": st.sampled_from(["float32", "float64", "int32", "bool"]),
        "name": st.sampled_from([None, "x", "inputs"]),
        "x0": _grid(shape=strategies.shapes(max_dims=2, max_side=3)),
    },
    examples=[{"shape": [None, 2], "dtype": "float32", "name": None, "x0": np.float32([[1.0, 2.0]])}],
)
def tensor_spec(tf, shape, dtype, name, x0):
    spec = tf.TensorSpec(shape, dtype, name)
    x = tf.constant(x0)
    return [
        repr(spec),
        str(spec),
        spec.shape,
        spec.dtype,
        spec.name,
        spec == tf.TensorSpec(shape, dtype, name),
        spec == tf.TensorSpec(shape, dtype, "other"),
        hash(spec) == hash(tf.TensorSpec(shape, dtype, "other")),
        spec.is_compatible_with(x),
        spec.is_compatible_with(tf.TensorSpec.from_tensor(x)),
        spec.is_compatible_with(tf.TensorSpec(None, dtype)),
        spec.is_compatible_with(tf.Variable(x0)),
        spec.is_compatible_with(x0),
        repr(tf.TensorSpec.from_tensor(x, name="from")),
        repr(tf.TensorSpec(shape=tf.TensorShape(shape), dtype=tf.as_dtype(dtype))),
    ]


@case(["function.tensor-spec"], inputs={"bad": st.sampled_from(["dtype", "negative", "dimension"])})
def tensor_spec_errors(tf, bad):
    if bad == "dtype":
        return tf.TensorSpec([2], "float31")
    if bad == "negative":
        return tf.TensorSpec([2, -1])
    return tf.TensorSpec(["a"])
