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


# -- ops (math_ops.py) -----------------------------------------------------------------------------


def test_float16_prod_rounds_every_partial_product():
    x = tf.constant(np.array([[6e4, -6e4, 0.0]], np.float16))
    assert np.isnan(tf.reduce_prod(x, axis=1).numpy()[0])  # 6e4 * -6e4 is -inf in half, times 0 is nan
    assert np.isnan(tf.reduce_prod(x).numpy())
    assert tf.reduce_prod(tf.constant(np.array([2.0, 3.0, 0.5], np.float16))).numpy() == 3.0


def test_round_returns_integer_tensors_as_they_are():
    x = tf.constant(np.array([3, 250], np.uint8))
    assert tf.round(x) is x


def test_logical_not_takes_bools_only():
    with pytest.raises(tf.errors.InvalidArgumentError, match="was expected to be a bool tensor but is a float tensor"):
        tf.logical_not(tf.constant(1.0))
    with pytest.raises(TypeError, match="Cannot convert 3 to EagerTensor of dtype bool"):
        tf.logical_not(3)
    assert tf.logical_not([True, False]).numpy().tolist() == [False, True]


def test_unary_ops_on_python_lists_report_errors_without_a_node_name():
    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        tf.sqrt(["a"])
    assert str(caught.value).endswith("[Op:Sqrt]")
    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        tf.sqrt(tf.constant(["a"]))
    assert str(caught.value).endswith("[Op:Sqrt] name: ")


def test_truediv_of_bools_is_tfs_type_error():
    with pytest.raises(TypeError, match=r"Invalid dtype tf.bool in __truediv__. Expected one of \{tf.uint8, "):
        tf.math.truediv(tf.constant([True]), tf.constant([True]))


def test_integer_division_by_zero_of_an_empty_result_does_not_raise():
    empty = tf.constant(np.zeros((1, 0), np.int8))
    assert tf.math.floordiv(empty, tf.constant(np.int8(0))).shape == (1, 0)
    assert tf.math.floormod(empty, tf.constant(np.int8(0))).shape == (1, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        tf.math.floordiv(tf.constant([1]), tf.constant([0]))
