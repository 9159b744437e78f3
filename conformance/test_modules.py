"""tf.Module and tf.name_scope: names, scopes, and the variables and submodules a module tracks.

Guides: https://www.tensorflow.org/guide/intro_to_modules; advanced autodiff (gradients with
respect to a module's trainable_variables); https://www.tensorflow.org/api_docs/python/tf/Module.
"""

from __future__ import annotations

from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_modules(case, check):
    check(case)


def build_model(tf, sizes, trainable_bias, names):
    """A module holding a list of Dense-like submodules, a dict of variables and a plain number."""

    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(tf.ones((n_in, n_out)) * 0.5, name="w")
                self.b = tf.Variable(tf.zeros(n_out), name="b", trainable=trainable_bias)

        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

    class SequentialModel(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.layers = [Dense(a, b, name=n) for a, b, n in zip(sizes, sizes[1:], names)]
                self.extra = {"scale": tf.Variable(2.0, name="scale"), "shift": tf.Variable(0.0, name="shift")}
                self.steps = 3

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x * self.extra["scale"] + self.extra["shift"]

    return SequentialModel()


@case(
    ["modules.tracking", "modules.names"],
    inputs={
        "sizes": st.lists(st.integers(1, 3), min_size=2, max_size=4),
        "trainable_bias": st.booleans(),
        "named": st.booleans(),
    },
)
def tracked_variables_and_submodules(tf, sizes, trainable_bias, named):
    names = [f"layer{i}" if named else None for i in range(len(sizes))]
    model = build_model(tf, sizes, trainable_bias, names)
    return (
        model.name,
        model.name_scope.name,
        [v.name for v in model.variables],
        [v.name for v in model.trainable_variables],
        [v.name for v in model.non_trainable_variables],
        [m.name for m in model.submodules],
        type(model.variables).__name__,
    )


@case(
    ["modules.tracking", "structures.nested-sources"],
    inputs={
        "sizes": st.lists(st.integers(1, 3), min_size=2, max_size=3),
        "trainable_bias": st.booleans(),
        "x0": strategies.grid("float32", (2, 3), 1.0),
    },
)
def gradients_for_trainable_variables(tf, sizes, trainable_bias, x0):
    model = build_model(tf, [3] + sizes, trainable_bias, [None] * (len(sizes) + 1))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(tf.constant(x0)) ** 2)
    return loss, tape.gradient(loss, model.trainable_variables)


@case(
    ["modules.names"],
    inputs={"class_name": st.sampled_from(["Dense", "MLP", "MyModel", "HTTPClient", "Layer2D", "simple", "A"])},
)
def default_names_from_class_names(tf, class_name):
    cls = type(class_name, (tf.Module,), {})
    module = cls()
    return module.name, module.name_scope.name


@case(
    ["modules.names"],
    inputs={"name": st.sampled_from(["ok_name", "_private", "1abc", "a b", "a/b", "", "dense-1", "x1"])},
)
def explicit_names_are_checked(tf, name):
    module = tf.Module(name=name)
    return module.name, module.name_scope.name


@case(
    ["modules.name-scopes"],
    inputs={
        "scopes": st.lists(st.sampled_from(["outer", "inner", "abs/", "x"]), max_size=3),
        "name": st.sampled_from([None, "v", "w"]),
    },
)
def variables_named_by_scopes(tf, scopes, name):
    def create(depth):
        if depth == len(scopes):
            return [tf.Variable(1.0, name=name).name]
        with tf.name_scope(scopes[depth]) as scope:
            return [scope] + create(depth + 1)

    return create(0)


@case(["modules.name-scopes"], inputs={"n": st.integers(1, 3)})
def with_name_scope_methods(tf, n):
    class Counter(tf.Module):
        @tf.Module.with_name_scope
        def make(self, count):
            return [tf.Variable(0.0, name=f"c{i}").name for i in range(count)]

    return Counter().make(n), Counter.make.__name__
