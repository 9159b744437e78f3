"""What a GradientTape watches: trainable variables read inside it, tensors given to
tape.watch (nested structures too), nothing else; watch_accessed_variables=False;
watched_variables(); and what tape.watch refuses.

watched_variables() lists variables in the order they were created (TF keeps them
in a set ordered by id), whatever the order they were read or watched in.

Guides: autodiff "Controlling what the tape watches"; tape-api (watch, watched_variables).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import strategies
from conformance.cases import case
from conformance.casekit import leaves, map_leaves


def test_watch(case, check):
    check(case)


def _grid(dtype=strategies.float_dtypes(), shape=None, bound=3.0):
    """Arrays of `dtype` whose values are multiples of 1/8 in [-bound, bound] (exact products)."""
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(dtype)
    if not isinstance(shape, st.SearchStrategy):
        shape = st.just(shape) if shape is not None else strategies.shapes()
    eighths = st.integers(int(-bound * 8), int(bound * 8)).map(lambda n: n / 8)
    return st.tuples(dtypes, shape).flatmap(lambda ds: hnp.arrays(np.dtype(ds[0]), ds[1], elements=eighths))


_scalar = _grid(shape=())
_NAMES = ("a", "b", "c", "d")
# Which variables exist (in creation order), which are trainable, and the order they are used in.
_variable_plan = st.integers(1, 4).flatmap(
    lambda n: st.fixed_dictionaries(
        {
            "names": st.permutations(_NAMES).map(lambda p: list(p[:n])),
            "trainable": st.lists(st.booleans(), min_size=n, max_size=n),
            "order": st.permutations(list(range(n))).map(list),
        }
    )
)


# -- what is watched without being asked ---------------------------------------------------------


@case(
    ["watch.trainable-variables", "watch.non-trainable", "watch.constants-unwatched"],
    inputs={"x0": _scalar, "b0": _scalar, "c0": _scalar, "x_trainable": st.booleans(), "b_trainable": st.booleans()},
    examples=[
        {"x0": np.float32(0.0), "b0": np.float32(1.5), "c0": np.float32(2.0), "x_trainable": False, "b_trainable": True}
    ],
)
def read_inside_the_tape(tf, x0, b0, c0, x_trainable, b_trainable):
    x = tf.Variable(x0, trainable=x_trainable)
    b = tf.Variable(b0, trainable=b_trainable)
    c = tf.constant(c0)
    with tf.GradientTape() as tape:
        f = (x + b) ** 2 + c * b
    return tape.gradient(f, [x, b, c]), tape.watched_variables()


@case(
    ["watch.constants-unwatched", "watch.explicit"],
    inputs={"x0": _grid(), "watched": st.booleans()},
    examples=[{"x0": np.float32(3.0), "watched": True}, {"x0": np.float32(3.0), "watched": False}],
)
def constant_needs_watch(tf, x0, watched):
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        if watched:
            tape.watch(x)
        y = x * x
    return tape.gradient(y, x)


@case(
    ["watch.non-trainable", "watch.explicit"],
    inputs={"x0": _grid(), "watched": st.booleans()},
    examples=[{"x0": np.float32(2.0), "watched": True}],
)
def non_trainable_variable_watched_explicitly(tf, x0, watched):
    x = tf.Variable(x0, trainable=False)
    with tf.GradientTape() as tape:
        if watched:
            tape.watch(x)
        y = x * x * x
    return tape.gradient(y, x), tape.watched_variables()


@case(
    ["watch.explicit", "structures.nested-sources"],
    inputs={"values": strategies.structures(_grid(shape=strategies.shapes(max_dims=2))), "as_variables": st.booleans()},
    examples=[{"values": {"b": np.float32(1.0), "a": (np.float32(2.0), [np.float32(-1.0)])}, "as_variables": False}],
)
def watch_nested_structure(tf, values, as_variables):
    xs = map_leaves(values, (lambda v: tf.Variable(v, trainable=False)) if as_variables else tf.constant)
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = [tf.reduce_sum(x * x) for x in leaves(xs)]
    return tape.gradient(y, xs)


# -- watch_accessed_variables=False ---------------------------------------------------------------


@case(
    ["watch.accessed-variables-off", "watch.explicit", "watch.watched-variables"],
    inputs={"x0": _scalar, "w0": _scalar, "watch_x": st.booleans(), "watch_w": st.booleans(), "auto": st.booleans()},
    examples=[{"x0": np.float32(2.0), "w0": np.float32(5.0), "watch_x": True, "watch_w": False, "auto": False}],
)
def accessed_variables_off(tf, x0, w0, watch_x, watch_w, auto):
    x = tf.Variable(x0)
    w = tf.Variable(w0)
    with tf.GradientTape(watch_accessed_variables=auto, persistent=True) as tape:
        if watch_w:
            tape.watch(w)
        if watch_x:
            tape.watch(x)
        y = x**2
        z = w**3 * x
    return tape.gradient(y, x), tape.gradient(z, [w, x]), tape.watched_variables()


# -- watched_variables() ------------------------------------------------------------------------


@case(
    ["watch.watched-variables", "watch.trainable-variables", "watch.non-trainable"],
    inputs={"plan": _variable_plan, "release": st.booleans()},
    examples=[
        {"plan": {"names": ["b", "a", "c"], "trainable": [True, True, True], "order": [2, 1, 0]}, "release": False}
    ],
)
def watched_variables_in_creation_order(tf, plan, release):
    pairs = zip(plan["names"], plan["trainable"])
    variables = [tf.Variable(float(i + 1), name=n, trainable=t) for i, (n, t) in enumerate(pairs)]
    with tf.GradientTape() as tape:
        total = tf.constant(0.0)
        for i in plan["order"]:
            total = total + variables[i] * variables[i]
    if release:  # the tape is freed, the list is kept
        tape.gradient(total, variables)
    return [v.name for v in tape.watched_variables()], tape.watched_variables()


@case(
    ["watch.watched-variables", "watch.explicit", "watch.accessed-variables-off"],
    inputs={"plan": _variable_plan},
    examples=[{"plan": {"names": ["c", "a", "b"], "trainable": [True, False, True], "order": [1, 2, 0]}}],
)
def watched_variables_explicit_watch_order(tf, plan):
    pairs = zip(plan["names"], plan["trainable"])
    variables = [tf.Variable(float(i), name=n, trainable=t) for i, (n, t) in enumerate(pairs)]
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch([variables[i] for i in plan["order"]] + variables)  # twice each: listed once
    return [v.name for v in tape.watched_variables()]


@case(
    ["watch.watched-variables", "watch.integer-variables-listed"],
    inputs={
        "n0": strategies.int_arrays(st.sampled_from(["int32", "int64"]), (), -5, 5),
        "b0": _scalar,
        "int_trainable": st.booleans(),
    },
    examples=[{"n0": np.int32(2), "b0": np.float32(3.0), "int_trainable": True}],
)
def integer_variable_listed(tf, n0, b0, int_trainable):
    n = tf.Variable(n0, name="n", trainable=int_trainable)
    b = tf.Variable(b0, name="b")
    with tf.GradientTape() as tape:
        y = tf.cast(n * 2, b.dtype) * b
    return tape.gradient(y, [n, b]), tape.watched_variables()


@case(["watch.watched-variables"], inputs={"entered": st.booleans()}, examples=[{"entered": False}])
def watched_variables_of_unused_tape(tf, entered):
    tape = tf.GradientTape()
    if entered:
        with tape:
            pass
    return tape.watched_variables()


# -- what tape.watch refuses ----------------------------------------------------------------------

_NOT_TENSORS = (
    "python float",
    "numpy scalar",
    "numpy array",
    "string",
    "None",
    "list with a float",
    "dict with an int",
)


def _not_a_tensor(tf, kind):
    if kind == "python float":
        return 3.0
    if kind == "numpy scalar":
        return np.float32(1.5)
    if kind == "numpy array":
        return np.array([1.0, 2.0], dtype=np.float32)
    if kind == "string":
        return "x"
    if kind == "None":
        return None
    if kind == "list with a float":
        return [tf.constant(1.0), 2.0]
    return {"a": tf.constant(1.0), "b": 4}


@case(
    ["watch.non-tensor-raises"],
    inputs={"kind": st.sampled_from(_NOT_TENSORS), "persistent": st.booleans()},
    examples=[{"kind": "python float", "persistent": False}],
)
def watch_non_tensor_raises(tf, kind, persistent):
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(_not_a_tensor(tf, kind))


@case(
    ["watch.needs-a-tape"],
    inputs={
        "x0": _scalar,
        "as_variable": st.booleans(),
        "when": st.sampled_from(["before entering", "after gradient"]),
    },
    examples=[{"x0": np.float32(1.0), "as_variable": False, "when": "before entering"}],
)
def watch_without_a_tape_raises(tf, x0, as_variable, when):
    x = tf.Variable(x0) if as_variable else tf.constant(x0)
    tape = tf.GradientTape()
    if when == "after gradient":
        with tape:
            tape.watch(x)
            y = x * x
        tape.gradient(y, x)
    tape.watch(x)
