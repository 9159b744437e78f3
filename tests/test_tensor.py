"""Tensors, variables and TF's conversion rules; expected texts are TF 2.21's own."""

from __future__ import annotations

import numpy as np
import pytest

import shim as tf


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: tf.constant(6.0), "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>"),
        (lambda: tf.constant(0.1), "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>"),
        (
            lambda: tf.constant([1.5, 2.25]),
            "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5 , 2.25], dtype=float32)>",
        ),
        (lambda: tf.constant(3), "<tf.Tensor: shape=(), dtype=int32, numpy=3>"),
        (lambda: tf.constant("ab"), "<tf.Tensor: shape=(), dtype=string, numpy=b'ab'>"),
        (
            lambda: tf.constant(["a", "b"]),
            "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'b'], dtype=object)>",
        ),
        (lambda: tf.constant(True), "<tf.Tensor: shape=(), dtype=bool, numpy=True>"),
        (lambda: tf.constant(1 + 2j), "<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>"),
        (
            lambda: tf.constant([[1.0, 2.0], [3.0, 4.0]]),
            "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], dtype=float32)>",
        ),
        (lambda: tf.Variable(3.0), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=3.0>"),
        (lambda: tf.Variable(2.0).assign(3.0), "<tf.Variable 'UnreadVariable' shape=() dtype=float32, numpy=3.0>"),
    ],
)
def test_repr_as_tf(make, text):
    assert repr(make()) == text


def test_str_as_tf():
    assert str(tf.constant(0.1)) == "tf.Tensor(0.1, shape=(), dtype=float32)"
    assert str(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"
    assert str(tf.constant(0.1, tf.bfloat16)) == "tf.Tensor(0.100098, shape=(), dtype=bfloat16)"
    assert type(tf.constant(1.0)).__name__ == "EagerTensor"
    assert type(tf.Variable(1.0)).__name__ == "ResourceVariable"


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1.0, tf.float32),
        (1, tf.int32),
        (2**40, tf.int64),
        (True, tf.bool),
        ("a", tf.string),
        ([1, 2.0], tf.float32),
        ([1, True], tf.int32),
        (np.array([1.0]), tf.float64),
        (np.int64(3), tf.int64),
        ([], tf.float32),
    ],
)
def test_conversion_dtypes(value, dtype):
    assert tf.convert_to_tensor(value).dtype == dtype


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tf.constant(1.5, dtype=tf.int32), TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32"),
        (
            lambda: tf.convert_to_tensor("a", dtype=tf.float64),
            TypeError,
            "Cannot convert 'a' to EagerTensor of dtype double",
        ),
        (
            lambda: tf.constant([[1.0, 2.0], [3.0]]),
            ValueError,
            "Can't convert non-rectangular Python sequence to Tensor.",
        ),
        (lambda: tf.constant([1, "a"]), ValueError, "Can't convert Python sequence with mixed types to Tensor."),
        (lambda: tf.constant(2**70), ValueError, "Can't convert Python sequence with out-of-range integer to Tensor."),
        (
            lambda: tf.constant(None),
            ValueError,
            "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.",
        ),
        (
            lambda: tf.convert_to_tensor(tf.constant(1.5), dtype=tf.float64),
            ValueError,
            "Tensor conversion requested dtype float64 for Tensor with dtype float32: <tf.Tensor: shape=(), dtype=float32, numpy=1.5>",
        ),
        (
            lambda: tf.constant(1.0) + tf.constant(1),
            tf.errors.InvalidArgumentError,
            "cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:AddV2] name: ",
        ),
        (lambda: tf.constant(1) * 2.0, TypeError, "Cannot convert 2.0 to EagerTensor of dtype int32"),
        (lambda: tf.constant(1) / 1.5, TypeError, "`x` and `y` must have the same dtype, got tf.int32 != tf.float32."),
        (
            lambda: tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0]),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__AddV2_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: [2] vs. [3] [Op:AddV2] name: ",
        ),
        (
            lambda: tf.matmul(tf.ones((2, 3)), tf.ones((2, 3))),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__MatMul_device_/job:localhost/replica:0/task:0/device:CPU:0}} Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] [Op:MatMul] name: ",
        ),
        (
            lambda: tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0]),
            ValueError,
            "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (2,), and the assigned value shape (3,) are incompatible.",
        ),
        (
            lambda: tf.Variable([1.0, 2.0]).assign_add([1.0, 2.0, 3.0]),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__AssignAddVariableOp_device_/job:localhost/replica:0/task:0/device:CPU:0}} Cannot update variable with shape [2] using a Tensor with shape [3], shapes must be equal. [Op:AssignAddVariableOp] name: ",
        ),
        (lambda: hash(tf.constant(1.0)), TypeError, "Tensor is unhashable. Instead, use tensor.ref() as the key."),
        (lambda: len(tf.constant(1.0)), TypeError, "Scalar tensor has no `len()`"),
        (
            lambda: tf.reshape(tf.range(6), (4, 2)),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__Reshape_device_/job:localhost/replica:0/task:0/device:CPU:0}} Input to reshape is a tensor with 6 values, but the requested shape has 8 [Op:Reshape]",
        ),
        (
            lambda: tf.concat([tf.ones((2, 1)), tf.zeros((3, 2))], axis=1),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__ConcatV2_N_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} ConcatOp : Dimension 0 in both shapes must be equal: shape[0] = [2,1] vs. shape[1] = [3,2] [Op:ConcatV2] name: concat",
        ),
        (
            lambda: tf.constant([1.0, 2.0, 3.0])[5],
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__StridedSlice_device_/job:localhost/replica:0/task:0/device:CPU:0}} slice index 5 of dimension 0 out of bounds. [Op:StridedSlice] name: strided_slice/",
        ),
        (
            lambda: tf.constant(1) // tf.constant(0),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__FloorDiv_device_/job:localhost/replica:0/task:0/device:CPU:0}} Integer division by zero [Op:FloorDiv] name: ",
        ),
    ],
)
def test_errors_as_tf(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_unsupported_dtype_message_is_tfs():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.sin(tf.constant(1))
    assert str(info.value) == (
        "Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, double, complex64, complex128\n"
        "\t; NodeDef: {{node Sin}}; Op<name=Sin; signature=x:T -> y:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, "
        "DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128]> [Op:Sin] name: "
    )


def test_python_operands_and_numpy_interop():
    x = tf.constant(2.0)
    assert repr([2.0, 3.0] * x) == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([4., 6.], dtype=float32)>"
    assert (np.float32(2.0) * x).dtype == tf.float32  # numpy defers to the tensor
    assert type(np.square(tf.Variable(1.0))) is np.float32  # numpy leaves the tape
    assert (tf.constant(3) / 2).dtype == tf.float64
    assert (tf.constant(1, tf.int8) / tf.constant(2, tf.int8)).dtype == tf.float32
    assert (tf.constant([1.0, 2.0]) == tf.constant([1.0, 2.0, 3.0])).numpy() == np.False_
    assert (x == None) is False  # noqa: E711
    assert float(x) == 2.0 and int(tf.constant(2.7)) == 2 and f"{x:.2f}" == "2.00"


def test_slicing_has_gradients():
    x = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x[:, ::2] * 3.0) + x[1, 1]
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[3.0, 0.0, 3.0], [3.0, 1.0, 3.0]])


def test_tensor_shape():
    shape = tf.TensorShape([2, 3])
    assert shape == (2, 3) and shape == [2, 3] and shape[0] == 2 and shape.rank == 2
    assert shape.as_list() == [2, 3] and repr(shape) == "TensorShape([2, 3])" and str(shape) == "(2, 3)"
    assert str(tf.TensorShape([2])) == "(2,)" and repr(tf.TensorShape(None)) == "TensorShape(None)"


def test_dtypes():
    assert tf.as_dtype("float32") is tf.float32 and tf.as_dtype(np.float64) is tf.float64
    assert tf.float32 == np.float32 and tf.float32 == "float32" and tf.float32 != "foo"
    assert tf.bfloat16.as_numpy_dtype.__name__ == "bfloat16"
    assert tf.int32.is_integer and tf.float16.is_floating and not tf.bool.is_integer
    with pytest.raises(TypeError, match=r"^Cannot convert the argument `type_value`: 'foo' to a TensorFlow DType\.$"):
        tf.as_dtype("foo")


def test_results_flush_denormals_to_zero_as_tf_cpu_kernels_do():
    assert float(tf.nn.softplus(tf.constant(-100.0))) == 0.0
    assert float(tf.sigmoid(tf.constant(-100.0))) == 0.0
    assert float(tf.exp(tf.constant(-100.0))) == 0.0
