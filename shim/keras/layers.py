"""Keras layers: built lazily on first call, named as Keras 3 names them.

A layer called on a `KerasTensor` (from `Input`) builds itself and returns a new
KerasTensor that remembers which layer made it from which inputs: that graph is what
a functional `Model(inputs, outputs)` replays.
"""

from __future__ import annotations

import inspect
import math
import re
import warnings

import numpy as np

from .._core import dtypes
from .. import nn as _nn
from .._core.tensor import convert_to_tensor, is_tensor
from ..ops import array_ops, math_ops
from . import activations, backend, initializers
from .variables import Variable


def _snake(name: str) -> str:
    """Keras' snake case: 'MaxPooling2D' -> 'max_pooling2d', 'BatchNormalization' -> 'batch_normalization'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _shape_text(shape) -> str:
    return str(tuple(shape))


# Names of the layers being built or called, outermost first: a weight's path is this
# stack joined with its name, so a Dense built inside a Sequential is 'sequential/dense/kernel'.
_scopes: list = []


class _Scope:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.pushed = not (_scopes and _scopes[-1] == self.name)  # a layer's build inside its own call
        if self.pushed:
            _scopes.append(self.name)

    def __exit__(self, *exc):
        if self.pushed:
            _scopes.pop()


class KerasTensor:
    """A symbolic tensor: a shape (None for the batch), a dtype, and the layer call that made it."""

    def __init__(self, shape, dtype="float32", name=None, producer=None):
        self.shape = tuple(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name or backend.unique_name("keras_tensor")
        self._producer = producer  # (layer, input KerasTensor) or None for an Input

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype.name}, sparse=False, ragged=False, name={self.name}>"
        )


class Layer:
    """The base layer: weights, trainability, sublayer tracking, input checks, lazy build."""

    def __init__(self, name=None, trainable=True, dtype=None, **kwargs):
        if "input_shape" in kwargs or "input_dim" in kwargs:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
                "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
                UserWarning,
                stacklevel=3,
            )
        input_shape = kwargs.pop("input_shape", None)
        if "input_dim" in kwargs:
            input_shape = (kwargs.pop("input_dim"),)
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        object.__setattr__(self, "_sublayers", [])
        self.name = name or backend.unique_name(_snake(type(self).__name__))
        self._trainable = trainable
        self.built = False
        self._variables: list[Variable] = []
        self._output_shape = None
        self._min_ndim = None
        self._axes: dict = {}
        if type(self).build is Layer.build:  # nothing to build: Keras counts such layers as built
            self.built = True

    # -- tracking ----------------------------------------------------------------------
    def __setattr__(self, name, value):
        if not name.startswith("_") and hasattr(self, "_sublayers"):
            found = [value] if isinstance(value, Layer) else []
            if isinstance(value, (list, tuple)):
                found = [v for v in value if isinstance(v, Layer)]
            for layer in found:
                if all(layer is not known for known in self._sublayers):
                    self._sublayers.append(layer)
        object.__setattr__(self, name, value)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._sublayers:
            layer.trainable = value

    def add_weight(self, shape=None, initializer="glorot_uniform", name=None, trainable=True, dtype="float32"):
        """A new variable of this layer, named `name` with path '<layer>/<name>'."""
        if name is None:
            name = "variable" if not self._variables else f"variable_{len(self._variables)}"
        initializer = initializers.get(initializer) or initializers.Zeros()
        scope = _scopes if _scopes and _scopes[-1] == self.name else [self.name]
        path = "/".join(scope + [name])
        variable = Variable(initializer, tuple(shape or ()), dtype, trainable, name, path)
        self._variables.append(variable)
        return variable

    # -- calling -----------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def _check_input(self, shape, index=0):
        """Keras' InputSpec check: a minimum rank, and fixed sizes on some axes."""
        intro = f"Input {index} with name 'None' of layer '{self.name}' is incompatible with the layer: "
        if self._min_ndim is not None and len(shape) < self._min_ndim:
            raise ValueError(
                f"{intro}expected min_ndim={self._min_ndim}, found ndim={len(shape)}. "
                f"Full shape received: {_shape_text(shape)}"
            )
        for axis, size in self._axes.items():
            got = shape[axis] if -len(shape) <= axis < len(shape) else None
            if got is not None and got != size:
                raise ValueError(
                    f"{intro}expected axis {axis} of input shape to have value {size}, "
                    f"but received input with shape {_shape_text(shape)}"
                )

    def _takes_training(self) -> bool:
        cls = type(self)
        if "_training_arg" not in cls.__dict__:
            cls._training_arg = "training" in inspect.signature(cls.call).parameters
        return cls._training_arg

    def _maybe_build(self, shape):
        if not self.built:
            self._check_input(shape)
            with _Scope(self.name):
                self.build(shape)
            self.built = True

    def __call__(self, inputs, *args, training=None, **kwargs):
        if isinstance(inputs, KerasTensor):
            return self._symbolic_call(inputs)
        inputs = _as_input(inputs)
        shape = tuple(inputs.shape.as_list())
        first = not self.built
        self._maybe_build(shape)
        self._check_input(shape)
        if self._takes_training():
            kwargs["training"] = bool(training)
        with _Scope(self.name):
            outputs = self.call(inputs, *args, **kwargs)
        if first and self._output_shape is None and is_tensor(outputs):
            self._output_shape = tuple(outputs.shape.as_list())
        return outputs

    def _symbolic_call(self, inputs: KerasTensor) -> KerasTensor:
        """Builds on the symbolic shape, then learns the output's shape from a batch of one."""
        self._maybe_build(inputs.shape)
        self._check_input(inputs.shape)
        probe = array_ops.zeros([1 if d is None else d for d in inputs.shape], inputs.dtype)
        with _Scope(self.name), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the probe's warnings are not the user's
            out = self.call(probe, training=False) if self._takes_training() else self.call(probe)
        shape = tuple(out.shape.as_list())
        if inputs.shape and inputs.shape[0] is None:
            shape = (None,) + shape[1:]
        self._output_shape = shape
        return KerasTensor(shape, out.dtype, producer=(self, inputs))

    def compute_output_shape(self, input_shape):
        return self._output_shape

    # -- weights -----------------------------------------------------------------------
    def _all_layers(self) -> list:
        return [self] + [inner for layer in self._sublayers for inner in layer._all_layers()]

    @property
    def weights(self) -> list:
        own_trainable = [v for v in self._variables if v.trainable]
        own_fixed = [v for v in self._variables if not v.trainable]
        return own_trainable + own_fixed + [w for layer in self._sublayers for w in layer.weights]

    variables = weights

    @property
    def trainable_variables(self) -> list:
        if not self.trainable:
            return []
        own = [v for v in self._variables if v.trainable]
        return own + [w for layer in self._sublayers for w in layer.trainable_variables]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list:
        trainable = {id(v) for v in self.trainable_variables}
        return [v for v in self.weights if id(v) not in trainable]

    non_trainable_weights = non_trainable_variables

    def get_weights(self) -> list:
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a weight list of length "
                f"{len(weights)}, but the layer was expecting {len(layer_weights)} weights."
            )
        for variable, value in zip(layer_weights, weights):
            value = np.asarray(value)
            if tuple(variable.shape.as_list()) != value.shape:
                raise ValueError(
                    f"Layer {self.name} weight shape {tuple(variable.shape.as_list())} is not compatible "
                    f"with provided weight shape {value.shape}."
                )
            variable.assign(value.astype(variable.dtype.as_numpy_dtype))

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built. "
                "You can build it manually via: `layer.build(input_shape)`."
            )
        return sum(math.prod(v.shape.as_list()) for v in self.weights)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _as_input(inputs):
    """Keras converts arrays to tensors and casts floating inputs to the layer's float32."""
    if not is_tensor(inputs):
        array = np.asarray(inputs)
        if array.dtype.kind == "f" and array.dtype != np.float32:
            array = array.astype(np.float32)
        return convert_to_tensor(array)
    if inputs.dtype.is_floating and inputs.dtype != dtypes.float32:
        return array_ops.cast(inputs, dtypes.float32)
    return inputs


class InputLayer(Layer):
    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, **kwargs):
        super().__init__(name=name or backend.unique_name("input_layer"))
        self.built = True
        self.output = KerasTensor((batch_size,) + tuple(shape or ()), dtype or "float32", producer=(self, None))
        self._output_shape = self.output.shape


def Input(shape=None, batch_size=None, dtype=None, name=None, **kwargs):  # noqa: N802 (Keras' name)
    """A symbolic input of `shape` (without the batch axis) for functional models."""
    return InputLayer(shape, batch_size, dtype, name).output


class Dense(Layer):
    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self._min_ndim = 2

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer, "kernel")
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer, "bias")
        self._axes = {-1: input_shape[-1]}
        self.built = True

    def call(self, inputs):
        outputs = math_ops.matmul(inputs, self.kernel) if inputs.shape.rank == 2 else _tensordot(inputs, self.kernel)
        if self.use_bias:
            outputs = math_ops.add(outputs, self.bias)
        return self.activation(outputs)


def _tensordot(x, kernel):
    """x's last axis contracted with the kernel's first, for inputs of rank > 2."""
    shape = x.shape.as_list()
    flat = array_ops.reshape(x, [-1, shape[-1]])
    out = math_ops.matmul(flat, kernel)
    return array_ops.reshape(out, shape[:-1] + [kernel.shape[-1]])


class Flatten(Layer):
    def call(self, inputs):
        shape = inputs.shape.as_list()
        return array_ops.reshape(inputs, [shape[0], math.prod(shape[1:]) if len(shape) > 1 else 1])


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)


class Dropout(Layer):
    """Zeroes a `rate` fraction of the inputs when training, scaling the rest by 1 / (1 - rate)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        keep = self._rng.uniform(size=inputs.shape.as_list()) >= self.rate
        scale = np.where(keep, 1.0 / (1.0 - self.rate), 0.0).astype(inputs.dtype.as_numpy_dtype)
        return math_ops.multiply(inputs, convert_to_tensor(scale))


def _pair(value):
    """An int for both spatial axes, or a pair as given."""
    return (value, value) if isinstance(value, int) else tuple(value)


class Conv2D(Layer):
    """2-D convolution of channels-last images with a (kh, kw, in, filters) kernel, then bias and activation."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = _pair(kernel_size)
        self.strides = _pair(strides)
        self.padding = padding.lower()
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self._min_ndim = 4

    def build(self, input_shape):
        shape = self.kernel_size + (input_shape[-1], self.filters)
        self.kernel = self.add_weight(shape, self.kernel_initializer, "kernel")
        if self.use_bias:
            self.bias = self.add_weight((self.filters,), self.bias_initializer, "bias")
        self._axes = {-1: input_shape[-1]}
        self.built = True

    def call(self, inputs):
        outputs = _nn.conv2d(inputs, self.kernel, strides=(1,) + self.strides + (1,), padding=self.padding.upper())
        if self.use_bias:
            outputs = math_ops.add(outputs, array_ops.reshape(self.bias, (1, 1, 1, self.filters)))
        return self.activation(outputs)


class MaxPooling2D(Layer):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.pool_size = _pair(pool_size)
        self.strides = _pair(strides) if strides is not None else self.pool_size
        self.padding = padding.lower()

    def call(self, inputs):
        return _nn.max_pool2d(inputs, self.pool_size, self.strides, self.padding.upper())


class Embedding(Layer):
    """Rows of an (input_dim, output_dim) 'embeddings' table picked by integer inputs."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = input_dim, output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight((self.input_dim, self.output_dim), self.embeddings_initializer, "embeddings")
        self.built = True

    def call(self, inputs):
        if inputs.dtype not in (dtypes.int32, dtypes.int64):
            inputs = array_ops.cast(inputs, dtypes.int32)
        return array_ops.gather(self.embeddings, inputs)


class BatchNormalization(Layer):
    """Normalises with the batch's moments when training (updating moving averages), else with them."""

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=0.001,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale = center, scale
        self._initializers = [
            initializers.get(i)
            for i in (gamma_initializer, beta_initializer, moving_mean_initializer, moving_variance_initializer)
        ]

    def build(self, input_shape):
        rank = len(input_shape)
        self._axis = self.axis % rank
        size = (input_shape[self._axis],)
        gamma_init, beta_init, mean_init, variance_init = self._initializers
        self.gamma = self.add_weight(size, gamma_init, "gamma") if self.scale else None
        self.beta = self.add_weight(size, beta_init, "beta") if self.center else None
        self.moving_mean = self.add_weight(size, mean_init, "moving_mean", trainable=False)
        self.moving_variance = self.add_weight(size, variance_init, "moving_variance", trainable=False)
        self._reduction_axes = [i for i in range(rank) if i != self._axis]
        self._axes = {self._axis: size[0]}
        self.built = True

    def call(self, inputs, training=False):
        if training and self.trainable:
            mean, variance = _nn.moments(inputs, axes=self._reduction_axes)
            self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
            self.moving_variance.assign(self.moving_variance * self.momentum + variance * (1.0 - self.momentum))
        else:
            mean, variance = self.moving_mean.read_value(), self.moving_variance.read_value()
        gamma, beta = self.gamma, self.beta
        if self._axis != inputs.shape.rank - 1:  # broadcast the per-channel vectors along `axis`
            shape = [1] * inputs.shape.rank
            shape[self._axis] = -1
            mean, variance = array_ops.reshape(mean, shape), array_ops.reshape(variance, shape)
            gamma = array_ops.reshape(gamma, shape) if gamma is not None else None
            beta = array_ops.reshape(beta, shape) if beta is not None else None
        return _nn.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)
