"""Keras optimizers: the update rules as Keras 3 applies them on TensorFlow.

Each step is written op by op as Keras writes it (in the variable's dtype), so float32
rounding follows Keras'. An IndexedSlices gradient is applied as Keras' TF backend
applies it: its sparse-aware ops keep it sparse where they can (a product with a scalar,
a square) and densify it where they cannot (a difference with a dense tensor); an update
that is still IndexedSlices changes only its rows (`scatter_sub`/`scatter_add`).
"""

from __future__ import annotations

from .._core import dtypes
from .._core.indexed_slices import IndexedSlices, is_indexed_slices, to_dense
from .._core.tensor import convert_to_tensor
from ..ops.array_ops import cast
from ..ops.math_ops import multiply, sqrt, square
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
    def __init__(self, learning_rate=0.01, name=None, **kwargs):
        self.name = name or type(self).__name__.lower()
        self._learning_rate = Variable(
            float(learning_rate), (), "float32", False, "learning_rate", f"{self.name}/learning_rate"
        )
        self.iterations = Variable(0, (), "int64", False, "iteration", f"{self.name}/iteration")
        self._slots: dict = {}

    @property
    def learning_rate(self):
        return self._learning_rate

    def apply_gradients(self, grads_and_vars):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        for grad, variable in pairs:
            if not is_indexed_slices(grad):
                grad = convert_to_tensor(grad, dtype=variable.dtype)
            self._update(cast(grad, variable.dtype), variable, cast(self._learning_rate, variable.dtype))
        self.iterations.assign_add(convert_to_tensor(1, dtype=dtypes.int64))
        return self.iterations

    def _slot(self, variable, name):
        """A zeros variable like `variable` (Keras' add_variable_from_reference), one per name."""
        key = (variable.ref(), name)
        if key not in self._slots:
            self._slots[key] = Variable(lambda shape, dtype: _zeros(variable), None, variable.dtype, False, name, name)
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
        super().__init__(learning_rate, name=name or "adam", **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def _update(self, grad, variable, lr):
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
