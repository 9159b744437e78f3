"""Cases for the recorder's and drift's tests, run on tests/fake_releases. They are module
globals, not registered: the suite's own case registry stays as it is."""

from hypothesis import strategies as st

from conformance.cases import Case


def square(tf, x):
    return tf.fake_square(x)


def variable_name(tf, value):
    return tf.Variable(value, name=tf.fake_prefix + "kernel")


def warn_per_source(tf, sources):
    tf.fake_warn(sources)
    return sources


def fails(tf):
    tf.fake_fail()


def same(tf, x):
    return tf.constant(x) + 1.0


SQUARE = Case(
    id="fake.square",
    family="fake",
    fn=square,
    covers=("fake.square",),
    inputs={"x": st.integers(0, 1000)},  # one crash: each costs two fresh children
    examples=({"x": 2}, {"x": -1}, {"x": 3}),
)
NAME = Case(
    id="fake.variable_name",
    family="fake",
    fn=variable_name,
    covers=("fake.names",),
    inputs={"value": st.floats(-2, 2, width=32)},
)
WARN = Case(
    id="fake_logs.warn_per_source",
    family="fake_logs",
    fn=warn_per_source,
    covers=("fake.warnings",),
    examples=({"sources": 3}, {"sources": 0}),
)
FAILS = Case(id="fake.fails", family="fake", fn=fails, covers=("fake.messages", "fake.names"))
SAME = Case(id="fake.same", family="fake", fn=same, covers=("fake.same",), inputs={"x": st.floats(-2, 2, width=32)})
NEWER = Case(id="fake.newer", family="fake", fn=same, covers=("fake.newer",), examples=({"x": 1.5},))
