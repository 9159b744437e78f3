"""Bad inputs the fuzzer (conformance/test_fuzz.py) found the shim handling unlike TF 2.21:
each test pins TF's behaviour as recorded from TF itself."""

from __future__ import annotations

import numpy as np
import pytest

import shim as tf


# -- lists holding tensors, converted to a requested dtype (TF's autopacking conversion) ----------


def test_list_of_tensors_is_cast_to_the_requested_dtype_then_packed():
    half = tf.constant(np.float16(2.0))
    packed = tf.convert_to_tensor([half], dtype=tf.float32)
    assert packed.dtype == tf.float32 and packed.numpy().tolist() == [2.0]
    assert tf.add(tf.constant(np.int8(1)), [tf.constant(np.float16(2.0))]).numpy().tolist() == [3]
    assert tf.math.floordiv(tf.constant(np.uint8(255)), [tf.constant(np.uint8(3))]).numpy().tolist() == [85]


def test_list_whose_first_tensor_has_the_requested_dtype_is_packed_without_casts():
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a half tensor but is a int64 tensor"):
        tf.maximum(tf.constant(np.float16(1.0)), [tf.constant(np.float16(2.0)), tf.constant(np.int64(3))])
    mixed = tf.maximum(tf.constant(np.float16(1.0)), [tf.constant(np.int64(3)), tf.constant(np.float16(2.0))])
    assert mixed.dtype == tf.float16 and mixed.numpy().tolist() == [3.0, 2.0]


def test_list_of_tensors_with_a_python_number_of_another_kind_raises_tfs_type_error():
    with pytest.raises(TypeError, match="Cannot convert 1.0 to EagerTensor of dtype int32"):
        tf.convert_to_tensor([tf.constant(np.float16(2.0)), 1.0], dtype=tf.int32)


def test_dtype_hint_applies_to_a_list_of_tensors_and_a_failing_cast_is_tfs_error():
    hinted = tf.convert_to_tensor([tf.constant(np.float16(2.0)), tf.constant(1)], dtype_hint=tf.int32)
    assert hinted.dtype == tf.int32 and hinted.numpy().tolist() == [2, 1]
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int32 is not supported"):
        tf.convert_to_tensor([tf.constant("a"), tf.constant("b")], dtype_hint=tf.int32)


# -- tf.Variable's explicit shape --------------------------------------------------------------


def test_variable_shape_must_be_compatible_with_the_initial_value():
    with pytest.raises(ValueError) as caught:
        tf.Variable(1.0, shape=[None, 2])
    assert str(caught.value) == (
        "In this `tf.Variable` creation, the initial value's shape (()) is not compatible with the "
        "explicitly supplied `shape` argument ([None, 2])."
    )
    with pytest.raises(ValueError, match=r"argument \(3\)\."):
        tf.Variable([1.0, 2.0], shape=3)
    with pytest.raises(TypeError, match="Dimension value must be integer or None"):
        tf.Variable(1.0, shape=[1.5])
    assert tf.Variable([1.0, 2.0], shape=[None]).numpy().tolist() == [1.0, 2.0]


# -- GradientTape: TF's order of argument checks ------------------------------------------------


def test_gradient_checks_sources_then_output_gradients_then_unconnected_gradients():
    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: None"):
        tape.gradient(y, [None, x], unconnected_gradients="bogus")
    with pytest.raises(ValueError, match="out of range for a double-precision float"):
        tape.gradient(y, x, output_gradients=[[1e300, "a"]], unconnected_gradients="bogus")
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'bogus'"):
        tape.gradient(y, x, output_gradients=2.0, unconnected_gradients="bogus")
    assert tape.gradient(y, x, output_gradients=[3.0]).numpy() == 6.0  # converted, then used


def test_jacobian_reads_the_targets_shape_first():
    x = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        x * x
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'shape'"):
        tape.jacobian(None, x, experimental_use_pfor=False)  # not the persistent-tape RuntimeError
