"""Keras layers: built lazily on first call, variables named as Keras 3 names them."""

from __future__ import annotations

import collections
import warnings

from .._core.tensor import convert_to_tensor
from ..ops import math_ops
from . import activations, initializers
from .variables import Variable

_name_counts: collections.Counter = collections.Counter()


def _unique_name(base: str) -> str:
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


class Layer:
    def __init__(self, name=None, trainable=True, dtype=None, **kwargs):
        if "input_shape" in kwargs or "input_dim" in kwargs:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
                "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
                UserWarning,
                stacklevel=3,
            )
        self.name = name or _unique_name(_snake(type(self).__name__))
        self.trainable = trainable
        self.built = False
        self._variables: list[Variable] = []

    def add_weight(self, shape, initializer, name, trainable=True, dtype="float32"):
        variable = Variable(initializers.get(initializer), shape, dtype, trainable, name, f"{self.name}/{name}")
        self._variables.append(variable)
        return variable

    def build(self, input_shape):
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        inputs = convert_to_tensor(inputs)
        if not self.built:
            self.build(inputs.shape)
            self.built = True
        return self.call(inputs, *args, **kwargs)

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self) -> list:
        return [v for v in self._variables if v.trainable and self.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list:
        return [v for v in self._variables if not (v.trainable and self.trainable)]


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer, "kernel")
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer, "bias")
        self.built = True

    def call(self, inputs):
        outputs = math_ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = math_ops.add(outputs, self.bias)
        return self.activation(outputs)
