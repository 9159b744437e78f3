"""Keras metrics: running means kept in variables (`update_state`, `result`, `reset_state`)."""

from __future__ import annotations

import numpy as np

from .._core import dtypes
from .._core.tensor import convert_to_tensor
from ..ops import array_ops, math_ops
from . import _ops, backend
from .losses import _same_rank
from .variables import Variable


def _snake(name: str) -> str:
    return "".join(("_" + c.lower()) if c.isupper() and i else c.lower() for i, c in enumerate(name))


class Metric:
    def __init__(self, name=None, dtype=None):
        self.name = name or backend.unique_name(_snake(type(self).__name__))
        self.dtype = dtype or "float32"
        self._variables: list = []

    def add_variable(self, name, initial=0.0):
        variable = Variable(
            lambda shape, dtype: convert_to_tensor(np.asarray(initial, dtypes.as_dtype(dtype).as_numpy_dtype)),
            (),
            self.dtype,
            False,
            name,
            f"{self.name}/{name}",
        )
        self._variables.append(variable)
        return variable

    @property
    def variables(self) -> list:
        return list(self._variables)

    def reset_state(self):
        for variable in self._variables:
            variable.assign(np.zeros((), variable.dtype.as_numpy_dtype))

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class Mean(Metric):
    """The (weighted) mean of every value seen; values of rank > 1 count once per sample."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable("total")
        self.count = self.add_variable("count")

    def update_state(self, values, sample_weight=None):
        values = array_ops.cast(convert_to_tensor(values), self.dtype)
        if sample_weight is not None:
            weight = array_ops.cast(convert_to_tensor(sample_weight), self.dtype)
            values, weight = _same_rank(values, weight)
            if values.shape.rank > weight.shape.rank:
                values = math_ops.reduce_mean(values, axis=list(range(weight.shape.rank, values.shape.rank)))
            weight = array_ops.broadcast_to(weight, values.shape)
            values = values * weight
            if weight.shape.rank > 1:
                weight = math_ops.reduce_mean(weight, axis=list(range(1, weight.shape.rank)))
        if values.shape.rank > 1:
            values = math_ops.reduce_mean(values, axis=list(range(1, values.shape.rank)))
        self.total.assign_add(math_ops.reduce_sum(values))
        if sample_weight is not None:
            count = math_ops.reduce_sum(weight)
        else:
            count = values.shape[0] if values.shape.rank >= 1 else 1
        self.count.assign_add(array_ops.cast(count, self.dtype))

    def result(self):
        total, count = self.total.read_value(), self.count.read_value()
        return math_ops.where(count == 0.0, array_ops.zeros_like(total), total / math_ops.maximum(count, 1e-38))


def accuracy(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = _same_rank(y_true, y_pred)
    return array_ops.cast(math_ops.equal(y_true, y_pred), backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = _same_rank(y_true, y_pred)
    y_pred = array_ops.cast(math_ops.greater(y_pred, threshold), y_true.dtype)
    return array_ops.cast(math_ops.equal(y_true, y_pred), backend.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype)
    true_shape = y_true.shape.as_list()
    squeezed = y_true.shape.rank == y_pred.shape.rank and true_shape[-1] == 1
    if squeezed:
        y_true = array_ops.squeeze(y_true, -1)
    predicted = array_ops.cast(_ops.argmax(y_pred, -1), y_true.dtype)
    matches = array_ops.cast(math_ops.equal(y_true, predicted), backend.floatx())
    return array_ops.reshape(matches, true_shape) if squeezed else matches


def categorical_accuracy(y_true, y_pred):
    y_true = convert_to_tensor(y_true)
    return sparse_categorical_accuracy(_ops.argmax(y_true, -1), y_pred)


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred)` over every sample seen."""

    def __init__(self, fn, name=None, dtype=None, **fn_kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = fn_kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)


class Accuracy(MeanMetricWrapper):
    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class CategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


_BY_NAME = {
    "accuracy": Accuracy,
    "binary_accuracy": BinaryAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "mean": Mean,
}


def get(identifier):
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


def for_compile(identifier, y_true, y_pred):
    """compile's metric: 'accuracy' becomes binary, sparse or categorical by the shapes seen."""
    if str(identifier).lower() in ("accuracy", "acc"):
        true_shape, pred_shape = y_true.shape.as_list(), y_pred.shape.as_list()
        if pred_shape[-1] == 1:
            return BinaryAccuracy(name=str(identifier))
        if len(true_shape) < len(pred_shape) or (true_shape[-1] == 1 and pred_shape[-1] > 1):
            return SparseCategoricalAccuracy(name=str(identifier))
        return CategoricalAccuracy(name=str(identifier))
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric
