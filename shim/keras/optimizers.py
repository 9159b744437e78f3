"""Keras optimizers: the update rules as Keras 3 applies them on TensorFlow.

Each step is written op by op as Keras writes it (in the variable's dtype), so float32
rounding follows Keras'. An IndexedSlices gradient is applied as Keras' TF backend
applies it: its sparse-aware ops keep it sparse where they can (a product with a scalar,
a square) and densify it where they cannot (a difference with a dense tensor); an update
that is still IndexedSlices changes only its rows (`scatter_sub`/`scatter_add`).
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes
from .._core.tape import state as _tape_state
from .._core.indexed_slices import IndexedSlices, is_indexed_slices, to_dense
from .._core.tensor import convert_to_tensor
from ..ops.array_ops import cast
from ..ops.math_ops import multiply, sqrt, square
from . import schedules
from .variables import Variable


def _scaled(grad, factor):
    """Keras' `ops.multiply(grad, scalar)`: an IndexedSlices keeps its rows."""
    if is_indexed_slices(grad):
        return IndexedSlices(multiply(grad.values, factor), grad.indices, grad.dense_shape)
    return multiply(grad, factor)


def _dense(grad):
    """Where Keras' sparse-aware ops meet a dense operand, they densify the IndexedSlices."""
    return to_dense(grad) if is_indexed_slices(grad) else grad


class Optimizer:
    def __init__(self, learning_rate=0.01, weight_decay=None, name=None, **kwargs):
        self.name = name or type(self).__name__.lower()
        self.iterations = Variable(0, (), "int64", False, "iteration", f"{self.name}/iteration")
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = Variable(
                float(learning_rate), (), "float32", False, "learning_rate", f"{self.name}/learning_rate"
            )
        self.weight_decay = weight_decay
        self._slots: dict = {}

    @property
    def learning_rate(self):
        """The learning rate variable, or a schedule's value at the current iteration."""
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            return self._learning_rate(self.iterations)
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, schedules.LearningRateSchedule):
            self._learning_rate = value
        elif isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                "constructor argument, hence its learning rate is not settable. If you need the learning "
                "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
                "argument."
            )
        else:
            self._learning_rate.assign(value)

    def apply_gradients(self, grads_and_vars):
        """One step: weight decay first (if any), then each variable's update; then iterations += 1."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        lr_value = self.learning_rate
        if self.weight_decay is not None:
            for _, variable in pairs:
                lr = cast(lr_value, variable.dtype)
                variable.assign_sub(variable * cast(self.weight_decay, variable.dtype) * lr)
        for grad, variable in pairs:
            if not is_indexed_slices(grad):
                grad = convert_to_tensor(grad, dtype=variable.dtype)
            self._update(cast(grad, variable.dtype), variable, cast(lr_value, variable.dtype))
        self.iterations.assign_add(convert_to_tensor(1, dtype=dtypes.int64))
        return self.iterations

    @property
    def variables(self) -> list:
        """The step counter, the learning rate (unless scheduled) and the slots made so far."""
        rate = [] if isinstance(self._learning_rate, schedules.LearningRateSchedule) else [self._learning_rate]
        return [self.iterations] + rate + list(self._slots.values())

    def apply(self, grads, trainable_variables=None):
        return self.apply_gradients(zip(grads, trainable_variables))

    def _slot(self, variable, name, initial=0.0):
        """A variable like `variable` filled with `initial` (Keras' add_variable_from_reference)."""
        key = (variable.ref(), name)
        if key not in self._slots:
            slot_name = f"{variable.name}_{name}"

            def initializer(shape, dtype):
                return _zeros(variable) + cast(initial, variable.dtype) if initial else _zeros(variable)

            self._slots[key] = Variable(initializer, None, variable.dtype, False, slot_name, slot_name)
        return self._slots[key]

    @staticmethod
    def _add(variable, delta):
        if is_indexed_slices(delta):
            variable.scatter_add(delta)
        else:
            variable.assign_add(delta)

    @staticmethod
    def _subtract(variable, delta):
        if is_indexed_slices(delta):
            variable.scatter_sub(delta)
        else:
            variable.assign_sub(delta)


def _zeros(variable):
    from ..ops.array_ops import zeros_like

    return zeros_like(variable)


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate, name=name or "sgd", **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def _update(self, grad, variable, lr):
        if self.momentum == 0:
            self._subtract(variable, _scaled(grad, lr))
            return
        m = self._slot(variable, "momentum")
        momentum = cast(self.momentum, variable.dtype)
        m.assign(multiply(m, momentum) - _dense(_scaled(grad, lr)))
        if self.nesterov:
            self._add(variable, multiply(m, momentum) - _dense(_scaled(grad, lr)))
        else:
            self._add(variable, m.read_value())


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate, name=name or _default_name(self, "adam"), **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def _update(self, grad, variable, lr):
        if not self.amsgrad and _untaped(grad):
            return self._update_numpy(grad, variable, lr)
        dtype = variable.dtype
        step = cast(self.iterations + 1, dtype)
        beta_1_power = cast(self.beta_1, dtype) ** step
        beta_2_power = cast(self.beta_2, dtype) ** step
        m, v = self._slot(variable, "momentum"), self._slot(variable, "velocity")
        alpha = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign_add(multiply(_dense(grad) - m, 1 - self.beta_1))
        # Keras squares an IndexedSlices row by row: repeated rows add their squares
        squared = (
            IndexedSlices(square(grad.values), grad.indices, grad.dense_shape)
            if is_indexed_slices(grad)
            else square(grad)
        )
        v.assign_add(multiply(_dense(squared) - v, 1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._slot(variable, "velocity_hat")
            from ..ops.math_ops import maximum

            v_hat.assign(maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (sqrt(v) + self.epsilon))

    def _update_numpy(self, grad, variable, lr):
        """The same step in numpy, op for op in the variable's dtype (so bit for bit the same):
        with no tape or watcher to see them, the ops need not go through the shim."""
        kind = variable.dtype.as_numpy_dtype
        one = kind(1)
        step = kind(self.iterations.numpy() + 1)
        # Keras casts the Python betas (tf.cast: through float32 first), then raises them to the step
        beta_1_power = np.power(kind(np.float32(self.beta_1)), step)
        beta_2_power = np.power(kind(np.float32(self.beta_2)), step)
        m, v = self._slot(variable, "momentum"), self._slot(variable, "velocity")
        alpha = lr.numpy() * np.sqrt(one - beta_2_power) / (one - beta_1_power)
        g, m_value, v_value = grad.numpy(), m.numpy(), v.numpy()
        m_value = m_value + (g - m_value) * kind(1 - self.beta_1)
        v_value = v_value + (np.square(g) - v_value) * kind(1 - self.beta_2)
        m.assign(m_value, read_value=False)
        v.assign(v_value, read_value=False)
        variable.assign(
            variable.numpy() - (m_value * alpha) / (np.sqrt(v_value) + kind(self.epsilon)), read_value=False
        )


def _untaped(grad) -> bool:
    """A dense gradient applied while nothing records (no tape, accumulator or variable watcher)."""
    return not is_indexed_slices(grad) and not _tape_state.tapes and not _tape_state.watchers


def _default_name(optimizer, base):
    """A subclass without its own name is named after itself (AdamW is 'adamw')."""
    return type(optimizer).__name__.lower() if type(optimizer).__name__.lower() != base else base


class AdamW(Adam):
    """Adam with decoupled weight decay (default 0.004), applied before each update."""

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name=None,
        **kwargs,
    ):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(
            learning_rate, beta_1, beta_2, epsilon, amsgrad, name=name or "adamw", weight_decay=weight_decay, **kwargs
        )


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name=None, **kwargs):
        super().__init__(learning_rate, name=name or "rmsprop", **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _update(self, grad, variable, lr):
        grad = _dense(grad)
        dtype = variable.dtype
        velocity = self._slot(variable, "velocity")
        # Keras passes rho and epsilon as Python floats: converted straight to the variable's dtype
        rho = convert_to_tensor(self.rho, dtype=dtype)
        velocity.assign(multiply(rho, velocity) + multiply(convert_to_tensor(1 - self.rho, dtype=dtype), square(grad)))
        if self.centered:
            average = self._slot(variable, "average_gradient")
            average.assign(multiply(rho, average) + multiply(convert_to_tensor(1 - self.rho, dtype=dtype), grad))
            denominator = velocity - square(average) + convert_to_tensor(self.epsilon, dtype=dtype)
        else:
            denominator = velocity + convert_to_tensor(self.epsilon, dtype=dtype)
        increment = multiply(lr, grad) / sqrt(denominator)
        if self.momentum > 0:
            momentum = self._slot(variable, "momentum")
            momentum.assign(multiply(convert_to_tensor(self.momentum, dtype=dtype), momentum) + increment)
            variable.assign_sub(momentum)
        else:
            variable.assign_sub(increment)


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate, name=name or "adagrad", **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def _update(self, grad, variable, lr):
        grad = _dense(grad)
        accumulator = self._slot(variable, "accumulator", self.initial_accumulator_value)
        accumulator.assign_add(square(grad))
        epsilon = convert_to_tensor(self.epsilon, dtype=variable.dtype)  # a Python float in Keras
        variable.assign_sub(multiply(lr, grad) / sqrt(accumulator + epsilon))


_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad}


def get(identifier):
    """An optimizer from a name ('adam', 'Adam', ...) or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
