"""Keras optimizers: the update rules as Keras 3 applies them."""

from __future__ import annotations

from .._core import dtypes
from .._core.tensor import convert_to_tensor
from .variables import Variable


class Optimizer:
    def __init__(self, learning_rate=0.01, name=None, **kwargs):
        self.name = name or type(self).__name__.lower()
        self._learning_rate = Variable(float(learning_rate), (), "float32", False, "learning_rate", f"{self.name}/learning_rate")
        self.iterations = Variable(0, (), "int64", False, "iteration", f"{self.name}/iteration")

    @property
    def learning_rate(self):
        return self._learning_rate

    def apply_gradients(self, grads_and_vars):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        for grad, variable in pairs:
            self._update(convert_to_tensor(grad, dtype=variable.dtype), variable)
        self.iterations.assign_add(convert_to_tensor(1, dtype=dtypes.int64))
        return self.iterations


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _update(self, grad, variable):
        lr = self._learning_rate.numpy().astype(variable.dtype.np_dtype)
        variable.assign_sub(grad * lr)
