"""The seed notebooks' examples, each run as TensorFlow users ran it: what it prints
and logs is the observation.

Every example of the notebooks in shared/seeds that prints something is here, grouped by
notebook (cases `nb<notebook>_<example>`). Cases marked `random` print random draws
(only the layout is compared); `approx` ones print transcendental results, whose last
float32 digit may differ between math libraries.
"""

from __future__ import annotations

import warnings

import numpy as np

from conformance.cases import case


def test_notebooks(case, check):
    check(case)


# -- notebook 000: derivatives at a point, parameters, common mistakes -----------------


@case(["tape.records-and-differentiates", "printing.tensor"])
def nb000_square_at_point(tf):
    x = tf.Variable(-2.0)
    with tf.GradientTape() as tape:
        y = x**2
    print(repr(tape.gradient(y, x)))


@case(["tape.gradient-matches-source", "structures.nested-sources"], random=True)
def nb000_vector_parameters(tf):
    w = tf.Variable(tf.random.normal((3, 2)))
    b = tf.Variable(tf.zeros(2, dtype=tf.float32))
    x = tf.Variable([[-2.0, 1.0, 3.0]])
    print(w.numpy(), b.numpy(), x.numpy(), sep="\n\n")
    with tf.GradientTape() as tape:
        y = x @ w + b
        loss = tf.reduce_mean(y**2)
    df = tape.gradient(loss, [w, b])
    print(df[0], df[1], sep="\n\n")


@case(["watch.constants-unwatched"])
def nb000_constant_gets_none(tf):
    x = tf.Variable(0, dtype=tf.float32)
    b = tf.constant(1.5)
    with tf.GradientTape() as tape:
        f = (x + b) ** 2 + 2 * b
    df = tape.gradient(f, [x, b])
    print(df[0], df[1], sep="\n\n")


@case(["watch.non-trainable"])
def nb000_not_trainable(tf):
    x = tf.Variable(0, dtype=tf.float32, trainable=False)
    b = tf.Variable(1.5)
    with tf.GradientTape() as tape:
        f = (x + b) ** 2 + 2 * b
    df = tape.gradient(f, [x, b])
    print(df[0], df[1], sep="\n\n")


@case(["cutoffs.variable-plus-number"])
def nb000_variable_plus_number(tf):
    x = tf.Variable(0, dtype=tf.float32, trainable=False)
    b = tf.Variable(1.5) + 1.0
    with tf.GradientTape() as tape:
        f = (x + b) ** 2 + 2 * b
    df = tape.gradient(f, [x, b])
    print(df[0], df[1], sep="\n\n")


@case(["watch.accessed-variables-off", "watch.explicit"])
def nb000_watch_only_x(tf):
    x = tf.Variable(2, dtype=tf.float32, trainable=False)
    b = tf.Variable(-1.5)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        f = x**3 + b * x
    df = tape.gradient(f, [x, b])
    print(df[0], df[1], sep="\n")


@case(["tape.gradient-of-intermediate"])
def nb000_gradient_wrt_intermediate(tf):
    x = tf.Variable(1, dtype=tf.float32, trainable=False)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = 2 * x
        f = y * y
    print(tape.gradient(f, y))


@case(["persistence.second-gradient-raises"])
def nb000_second_call_fails(tf):
    x = tf.Variable(1, dtype=tf.float32, trainable=False)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = 2 * x
        f = y * y
    tape.gradient(f, y)
    try:
        tape.gradient(f, x)
    except RuntimeError as e:
        print(f"{type(e).__name__}: {e}")


@case(["persistence.persistent-reuse", "structures.nested-sources"])
def nb000_both_at_once_and_persistent(tf):
    x = tf.Variable(1, dtype=tf.float32, trainable=False)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = 2 * x
        f = y * y
    df = tape.gradient(f, [y, x])
    print(df[0], df[1], sep="\n")
    with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
        tape.watch(x)
        y = 2 * x
        f = y * y
    print(tape.gradient(f, y), tape.gradient(f, x), sep="\n")


@case(["structures.non-scalar-target-sum"])
def nb000_vector_target_and_source(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = [2.0, 3.0] * x**2
    print(repr(tape.gradient(y, x)))
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum([2.0, 3.0] * x**2)
    print(tape.gradient(y, x))


@case(["control_flow.python-branches"])
def nb000_condition_in_tape(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        if x < 2.0:
            y = x**2
        else:
            y = x**3
    print(tape.gradient(y, x))


@case(["cutoffs.computed-before-tape"])
def nb000_function_outside_tape(tf):
    x = tf.Variable(1.0)
    y = 2 * x + 1
    with tf.GradientTape() as tape:
        z = y**2
    print(tape.gradient(z, x))
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = 2 * x + 1
        z = y**2
    print(tape.gradient(z, x))


@case(["cutoffs.variable-replaced-in-loop"])
def nb000_variable_replaced_in_loop(tf):
    x = tf.Variable(1.0)
    for _ in range(3):
        with tf.GradientTape() as tape:
            y = x**2 + 2 * x
        print(tape.gradient(y, x))
        x = x + 1
    x = tf.Variable(1.0)
    for _ in range(3):
        with tf.GradientTape() as tape:
            y = x**2 + 2 * x
        print(tape.gradient(y, x))
        x.assign_add(1.0)


@case(["cutoffs.numpy-escape"])
def nb000_numpy_inside_tape(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = tf.constant(2.0) + np.square(x)
    print(tape.gradient(y, x))
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = tf.constant(2.0) + x**2
    print(tape.gradient(y, x))


@case(["dtypes.integer-gradient-none"])
def nb000_integer_variable(tf):
    x = tf.Variable(1)
    with tf.GradientTape() as tape:
        y = x**2
    print(tape.gradient(y, x))
    x = tf.Variable(1, dtype=tf.float32)
    with tf.GradientTape() as tape:
        y = x**2
    print(tape.gradient(y, x))


@case(["cutoffs.stateful-assign"])
def nb000_implicit_assign(tf):
    x = tf.Variable(1.0)
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        w.assign_add(x)
        y = w**2
    print(tape.gradient(y, x))
    x = tf.Variable(1.0)
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        s = w + x
        y = s**2
    print(tape.gradient(y, x))


# -- notebook 001: partial derivatives, persistence, second order, descent ----------------


def _f2(x, y):
    return x**2 + y**2 + 1


@case(["persistence.persistent-reuse", "persistence.second-gradient-raises"])
def nb001_partial_and_persistent(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        z = _f2(x, y)
    print(tape.gradient(z, x))
    print(tape.gradient(z, y))
    with tf.GradientTape() as tape:
        z = _f2(x, y)
    print(tape.gradient(z, x))
    try:
        tape.gradient(z, y)
    except RuntimeError as e:
        print(e)


@case(["structures.nested-sources", "watch.explicit"])
def nb001_list_of_sources_and_watch(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        z = _f2(x, y)
    print(tape.gradient(z, [x, y]))
    x = tf.constant(2.0)
    y = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        tape.watch(y)
        z = _f2(x, y)
    print(tape.gradient(z, [x, y]))


@case(["structures.several-targets-sum"])
def nb001_two_targets(tf):
    x = tf.Variable(5.0)
    with tf.GradientTape() as tape:
        z1 = 3 * x
        z2 = x**2
    print(tape.gradient([z1, z2], x))


@case(["higher_order.nested-tapes"])
def nb001_second_order(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape(persistent=True) as inner:
            z = x**4 + y**2 + 1
        inner_gradients = inner.gradient(z, [x, y])
    print(inner_gradients)
    print([outer.gradient(g, [x, y]) for g in inner_gradients])


@case(["notebooks.optimizer-step"])
def nb001_gradient_descent(tf):
    x = tf.Variable(0.0)
    for _ in range(100):
        with tf.GradientTape() as tape:
            z = x**2 + 2 * x + 1
        x.assign_sub(0.1 * tape.gradient(z, x))
    print(x)


@case(["notebooks.optimizer-step"])
def nb001_sgd_optimizer(tf):
    x = tf.Variable(0.0)
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
    for _ in range(100):
        with tf.GradientTape() as tape:
            z = x**2 + 2 * x + 1
        optimizer.apply_gradients([(tape.gradient(z, x), x)])
    print(x)


# -- notebook 002: watch, higher order, persistent, watch_accessed_variables ---------------


@case(["watch.explicit", "printing.tensor"])
def nb002_ones_watched(tf):
    x = tf.ones((2, 2))
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(x)
        z = tf.multiply(y, y)
        print(y)
        print(z)
    dz_dx = t.gradient(z, x)
    for i in [0, 1]:
        for j in [0, 1]:
            print(dz_dx[i][j])


@case(["watch.explicit"])
def nb002_watched_variable(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    print(t.gradient(y, x))


@case(["higher_order.nested-tapes"])
def nb002_nested_constant(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        with tf.GradientTape() as gg:
            gg.watch(x)
            y = x * x
        dy_dx = gg.gradient(y, x)
    print(dy_dx)
    print(g.gradient(dy_dx, x))


@case(["persistence.persistent-reuse"])
def nb002_persistent_constant(tf):
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    print(g.gradient(z, x))
    print(g.gradient(y, x))


@case(["persistence.persistent-reuse"])
def nb002_cos(tf):
    x = tf.Variable(0.5)
    y = tf.Variable(4.5)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        z = x * y + tf.math.cos(x)
    print(t.gradient(z, x))
    print(t.gradient(z, y))


@case(["notebooks.keras-layers", "watch.accessed-variables-off"])
def nb002_unbuilt_layer_watch(tf):
    inputs = tf.ones((32, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = tf.keras.layers.Dense(32, input_shape=(32, 1))
    b = tf.keras.layers.Dense(32)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a.variables)
        result = b(a(inputs))
        g = tape.gradient(result, a.variables)
    print(g)


# -- notebook 003 (the TF guide): tapes, models, watching, None gradients ------------------


@case(["tape.records-and-differentiates"])
def nb003_basic(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x**2
    print(tape.gradient(y, x).numpy())


@case(["structures.nested-sources", "printing.variable"], random=True)
def nb003_dict_of_variables(tf):
    w = tf.Variable(tf.random.normal((3, 2)), name="w")
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
    x = [[1.0, 2.0, 3.0]]
    with tf.GradientTape(persistent=True) as tape:
        y = x @ w + b
        loss = tf.reduce_mean(y**2)
    [dl_dw, dl_db] = tape.gradient(loss, [w, b])
    print(w.shape)
    print(dl_dw.shape)
    grad = tape.gradient(loss, {"w": w, "b": b})
    print(repr(grad["b"]))
    print(w)
    print((dl_dw, dl_db))


@case(["notebooks.keras-layers"])
def nb003_layer_gradients(tf):
    layer = tf.keras.layers.Dense(2, activation="relu")
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_mean(y**2)
    grad = tape.gradient(loss, layer.trainable_variables)
    for var, g in zip(layer.trainable_variables, grad):
        print(f"{var.name}, shape: {g.shape}")


@case(["watch.watched-variables", "watch.non-trainable", "cutoffs.variable-plus-number"])
def nb003_what_is_watched(tf):
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)
    x2 = tf.Variable(2.0, name="x2") + 1.0
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:
        y = (x0**2) + (x1**2) + (x2**2)
    for g in tape.gradient(y, [x0, x1, x2, x3]):
        print(g)
    print([var.name for var in tape.watched_variables()])
    with tf.GradientTape() as tape2:
        tape2.watch(x1)
        tape2.watch(x3)
        y = (x0**2) + (x1**2) + (x2**2)
    for g in tape2.gradient(y, [x0, x1, x2, x3]):
        print(g)


@case(["watch.explicit"])
def nb003_watch_constant(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x**2
    print(tape.gradient(y, x).numpy())


@case(["watch.accessed-variables-off", "structures.nested-sources"])
def nb003_watch_accessed_false(tf):
    x0 = tf.Variable(0.0)
    x1 = tf.Variable(10.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.softplus(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    grad = tape.gradient(ys, {"x0": x0, "x1": x1})
    print("dy/dx0:", grad["x0"])
    print("dy/dx1:", grad["x1"].numpy())
    print(grad["x1"])


@case(["tape.gradient-of-intermediate"])
def nb003_intermediate(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    print(tape.gradient(z, y).numpy())


@case(["persistence.persistent-reuse"])
def nb003_persistent_vector(tf):
    x = tf.constant([1, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    print(tape.gradient(z, x).numpy())
    print(tape.gradient(y, x).numpy())


@case(["structures.several-targets-sum", "structures.non-scalar-target-sum"])
def nb003_non_scalar_targets(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = x**2
        y1 = 1 / x
    print(tape.gradient(y0, x).numpy())
    print(tape.gradient(y1, x).numpy())
    with tf.GradientTape() as tape:
        y0 = x**2
        y1 = 1 / x
    print(tape.gradient({"y0": y0, "y1": y1}, x).numpy())
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * [3.0, 4.0]
    print(tape.gradient(y, x).numpy())


@case(["structures.non-scalar-target-sum"], approx=True)
def nb003_sigmoid_elementwise(tf):
    x = tf.linspace(-10.0, 10.0, 200 + 1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.sigmoid(x)
    dy_dx = tape.gradient(y, x)
    print(x.shape, y.shape, dy_dx.shape, dy_dx.dtype)
    print(dy_dx[::40].numpy())


@case(["control_flow.python-branches"])
def nb003_control_flow(tf):
    for start, branch in ((1.0, 0.0), (1.5, 1.0)):
        x = tf.constant(start)
        v0 = tf.Variable(2.0)
        v1 = tf.Variable(2.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            if x > branch:
                result = v0 if branch == 0.0 else 2 * v0
            else:
                result = v1**2
        dv0, dv1 = tape.gradient(result, [v0, v1])
        print(dv0)
        print(dv1)
        print(tape.gradient(result, x))


@case(["unconnected.none-default"])
def nb003_unconnected(tf):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y * y
    print(tape.gradient(z, x))


@case(["cutoffs.variable-replaced-in-loop", "printing.types"])
def nb003_replaced_by_tensor(tf):
    x = tf.Variable(2.0)
    for _ in range(2):
        with tf.GradientTape() as tape:
            y = x + 1
        print(type(x).__name__, ":", tape.gradient(y, x))
        x = x + 1


@case(["cutoffs.numpy-escape"])
def nb003_outside_tensorflow(tf):
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape() as tape:
        x2 = x**2
        y = np.mean(x2, axis=0)
        y = tf.reduce_mean(y, axis=0)
    print(tape.gradient(y, x))


@case(["dtypes.integer-watch-warning", "dtypes.integer-gradient-none"])
def nb003_integer_watched(tf):
    x = tf.constant(10)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    print(g.gradient(y, x))
    x = tf.constant(10)
    with tf.GradientTape() as g:
        y = x * x
    print(g.gradient(y, x))


@case(["cutoffs.stateful-assign"])
def nb003_stateful(tf):
    x0 = tf.Variable(3.0)
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)
        y = x1**2
    print(tape.gradient(y, x0))


@case(["registry.unregistered-raises"])
def nb003_no_gradient_registered(tf):
    image = tf.Variable([[[0.5, 0.0, 0.0]]])
    delta = tf.Variable(0.1)
    with tf.GradientTape() as tape:
        new_image = tf.image.adjust_contrast(image, delta)
    try:
        print(tape.gradient(new_image, [image, delta]))
    except LookupError as e:
        print(f"{type(e).__name__}: {e}")


@case(["unconnected.zero"])
def nb003_zeros_instead_of_none(tf):
    x = tf.Variable([2.0, 2.0])
    y = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = y**2
    print(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
