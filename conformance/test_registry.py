"""The gradient registry: ops without a gradient (tf.image.adjust_contrast wraps
AdjustContrastv2, which has none) raise LookupError only when a gradient has to pass
through them; gradients are registered under TF's op names, and only once.

Cases never register a name that is not registered yet: the registry is global to
the process, so that would change what later examples see.

Guide: autodiff "No gradient registered"; https://www.tensorflow.org/api_docs/python/tf/RegisterGradient
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_registry(case, check):
    check(case)


_images = strategies.arrays(
    st.sampled_from(["float32", "float64"]), strategies.shapes(min_dims=3, max_dims=3, max_side=3), 0.0, 1.0
)
_factor = strategies.python_floats(0.0, 2.0)
# TF op names that have a gradient function (or are declared not differentiable) in TF 2.21.
_REGISTERED = (
    "AddV2", "Sub", "Mul", "RealDiv", "MatMul", "Sin", "Cos", "Exp", "Log", "Square", "Sqrt", "Tanh",
    "Sigmoid", "Pow", "Sum", "Mean", "Max", "Reshape", "Transpose", "Cast", "Identity", "ReadVariableOp",
    "StridedSlice", "ConcatV2", "Pack", "SelectV2", "Maximum", "Relu", "StopGradient", "ZerosLike",
    "OnesLike", "Equal", "Greater", "Abs", "Neg",
)  # fmt: skip


@case(
    ["registry.unregistered-raises"],
    inputs={"image0": _images, "factor": _factor, "as_list": st.booleans()},
    examples=[{"image0": np.float32([[[0.5, 0.0, 0.0]]]), "factor": 0.1, "as_list": True}],
)
def adjust_contrast_gradient_raises(tf, image0, factor, as_list):
    image = tf.Variable(image0)
    delta = tf.Variable(factor)
    with tf.GradientTape() as tape:
        new_image = tf.image.adjust_contrast(image, delta)
    return new_image.dtype, tape.gradient(new_image, [image, delta] if as_list else image)


@case(
    ["registry.unregistered-raises"],
    inputs={"image0": _images, "factor": _factor, "source": st.sampled_from(["image", "delta", "new", "scaled"])},
    examples=[{"image0": np.float32([[[0.5, 0.0, 0.0]]]), "factor": 0.1, "source": "new"}],
)
def adjust_contrast_downstream_target(tf, image0, factor, source):
    image = tf.Variable(image0)
    delta = tf.Variable(factor)
    with tf.GradientTape() as tape:
        new = tf.image.adjust_contrast(image, delta)
        scaled = new * 3.0
        loss = tf.reduce_sum(scaled)
    return tape.gradient(loss, {"image": image, "delta": delta, "new": new, "scaled": scaled}[source])


@case(
    ["registry.unregistered-only-when-needed"],
    inputs={"image0": _images, "factor": _factor},
    examples=[{"image0": np.float32([[[0.5, 0.0, 0.0]]]), "factor": 0.1}],
)
def adjust_contrast_not_on_the_path(tf, image0, factor):
    image = tf.Variable(image0)
    delta = tf.Variable(factor)
    with tf.GradientTape(persistent=True) as tape:
        new = tf.image.adjust_contrast(image, delta)
        other = image * 2.0 + delta
        cut = tf.stop_gradient(new) * image
    return (
        new,
        tape.gradient(other, [image, delta]),
        tape.gradient(cut, [image, delta]),
        tape.gradient(other, delta, unconnected_gradients="zero"),
    )


@case(
    ["registry.unregistered-only-when-needed", "watch.constants-unwatched"],
    inputs={"image0": _images, "factor": _factor},
    examples=[{"image0": np.float32([[[0.5, 0.0, 0.0]]]), "factor": 2.0}],
)
def adjust_contrast_inputs_not_watched(tf, image0, factor):
    image = tf.constant(image0)
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        new = tf.image.adjust_contrast(image, factor)
        y = tf.reduce_sum(new) * w
    return tape.gradient(y, [w, image])


@case(
    ["registry.unregistered-only-when-needed", "dtypes.integer-gradient-none"],
    inputs={"pixels": strategies.int_arrays("uint8", (1, 2, 3), 0, 255), "factor": _factor},
    examples=[{"pixels": np.uint8([[[1, 2, 3], [4, 5, 6]]]), "factor": 0.5}],
)
def adjust_contrast_integer_image(tf, pixels, factor):
    delta = tf.Variable(factor)
    with tf.GradientTape() as tape:
        new = tf.image.adjust_contrast(tf.constant(pixels), delta)
    return new, tape.gradient(new, delta)


def _stable_registration_error(tf, op_name):
    try:

        @tf.RegisterGradient(op_name)
        def _gradient(op, grad):
            return grad

    except KeyError as e:
        # The message ends with the file and line of the first registration: keep what precedes it.
        text = str(e.args[0])
        return "KeyError", text.split(" (Previous registration was in ")[0], "(Previous registration was in " in text
    return "registered"


@case(
    ["registry.register-twice-raises", "registry.op-names"],
    inputs={"op_name": st.sampled_from(_REGISTERED)},
    examples=[{"op_name": "AddV2"}],
)
def register_existing_op_name(tf, op_name):
    registered = _stable_registration_error(tf, op_name)
    try:
        tf.no_gradient(op_name)
    except KeyError as e:
        return registered, str(e.args[0]).split(" (Previous registration was in ")[0]
    return registered, "declared"


@case(
    ["registry.register-twice-raises"],
    inputs={"op_type": st.sampled_from([3, None, 1.5, b"AddV2"])},
    examples=[{"op_type": 3}],
)
def register_non_string_name(tf, op_type):
    found = []
    for register in (tf.RegisterGradient, tf.no_gradient):
        try:
            register(op_type)
            found.append("accepted")
        except TypeError as e:
            found.append(str(e))
    return found
