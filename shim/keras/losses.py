"""Keras losses: per-sample functions and the classes that reduce them.

A loss class converts both arguments to float32, computes the per-sample losses and
reduces them ("sum_over_batch_size" by default: the sum divided by the number of
values), as Keras 3 does; the function forms return the per-sample losses.
"""

from __future__ import annotations

import math
import warnings

from .._core import dtypes
from .._core.tensor import convert_to_tensor
from ..ops import array_ops, math_ops
from . import _ops, backend

_REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)


def _same_rank(x1, x2):
    """Keras squeezes or expands a trailing axis of 1 when the ranks differ by one."""
    r1, r2 = x1.shape.rank, x2.shape.rank
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1:
            x2 = array_ops.expand_dims(x2, -1)
        else:
            x1 = array_ops.squeeze(x1, -1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1:
            x1 = array_ops.expand_dims(x1, -1)
        else:
            x2 = array_ops.squeeze(x2, -1)
    return x1, x2


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = array_ops.cast(convert_to_tensor(y_true), y_pred.dtype)
    return y_true, y_pred


def _mean_squared_error(y_true, y_pred):
    y_true, y_pred = _same_rank(*_pair(y_true, y_pred))
    return math_ops.reduce_mean(math_ops.square(y_true - y_pred), axis=-1)


def _mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _same_rank(*_pair(y_true, y_pred))
    return math_ops.reduce_mean(math_ops.abs(y_true - y_pred), axis=-1)


# tf.keras.losses offers these as mse/mae only, under their long names
_mean_squared_error.__name__ = _mean_squared_error.__qualname__ = "mean_squared_error"
_mean_absolute_error.__name__ = _mean_absolute_error.__qualname__ = "mean_absolute_error"


def _check_same_shape(target, output, what="shape"):
    if target.shape.rank != output.shape.rank:
        raise ValueError(
            "Arguments `target` and `output` must have the same rank (ndim). Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    if target.shape.as_list() != output.shape.as_list():
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )


def _logits(output, from_logits, op_name, fn_name):
    """Keras works from the logits a softmax/sigmoid activation remembered (warning if from_logits)."""
    logits = _ops.logits_of(output)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
            f"{op_name} activation and thus does not represent logits. Was this intended?",
            stacklevel=3,
        )
    return logits, True


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    _check_same_shape(y_true, y_pred)
    output, from_logits = _logits(y_pred, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        per_value = _ops.sigmoid_cross_entropy_with_logits(y_true, output)
    else:
        eps = backend.epsilon()
        output = _ops.clip(output, eps, 1.0 - eps)
        bce = y_true * math_ops.log(output)
        bce = bce + (1 - y_true) * math_ops.log(1 - output)
        per_value = -bce
    return math_ops.reduce_mean(per_value, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if y_true.shape.rank < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. Received: "
            f"target.shape={y_true.shape}, output.shape={y_pred.shape}"
        )
    _check_same_shape(y_true, y_pred)
    output, from_logits = _logits(y_pred, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return _ops.softmax_cross_entropy_with_logits(y_true, output, axis=axis)
    output = output / math_ops.reduce_sum(output, axis=axis, keepdims=True)
    eps = backend.epsilon()
    output = _ops.clip(output, eps, 1.0 - eps)
    return -math_ops.reduce_sum(y_true * math_ops.log(output), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, -1)
    output, from_logits = _logits(y_pred, from_logits, "Softmax", "sparse_categorical_crossentropy")
    target = array_ops.cast(y_true, dtypes.int64)
    if target.shape.rank != output.shape.rank - 1:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    if target.shape.as_list() != output.shape.as_list()[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last dimension: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    if not from_logits:
        eps = backend.epsilon()
        output = math_ops.log(_ops.clip(output, eps, 1 - eps))
    return _ops.sparse_softmax_cross_entropy_with_logits(target, output)


def _standard_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. Received: reduction={reduction}"
        )
    return reduction


def reduce_values(values, reduction):
    """Keras' reduction: none keeps the values; sum; the mean over every value otherwise."""
    if reduction in (None, "none") or values.shape.rank == 0 or values.shape.as_list() == [0]:
        return values
    total = math_ops.reduce_sum(values)
    if reduction == "sum":
        return total
    count = array_ops.cast(math.prod(values.shape.as_list()), total.dtype)
    return math_ops.divide_no_nan(total, count) if hasattr(math_ops, "divide_no_nan") else total / count


class Loss:
    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or backend.unique_name(_snake_name(type(self).__name__))
        self.reduction = _standard_reduction(reduction)
        self.dtype = dtype or "float32"

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = _ops.keep_logits(y_pred, convert_to_tensor(y_pred, dtype=self.dtype))
        y_true = convert_to_tensor(y_true, dtype=self.dtype)
        values = self.call(y_true, y_pred)
        if sample_weight is not None:
            weight = array_ops.cast(convert_to_tensor(sample_weight), values.dtype)
            values, weight = _same_rank(values, weight)
            values = values * weight
            if self.reduction == "mean_with_sample_weight":
                return math_ops.reduce_sum(values) / math_ops.reduce_sum(weight)
        return reduce_values(values, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError


def _snake_name(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class LossFunctionWrapper(Loss):
    def __init__(self, fn, reduction="sum_over_batch_size", name=None, **fn_kwargs):
        super().__init__(name=name, reduction=reduction)
        self.fn = fn
        self.fn_kwargs = fn_kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self.fn_kwargs)


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(_mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(_mean_absolute_error, reduction=reduction, name=name)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, from_logits=from_logits)
        self.from_logits = from_logits


# Keras' short aliases
mse = MSE = _mean_squared_error
mae = MAE = _mean_absolute_error

_FUNCTIONS = {
    "mse": _mean_squared_error,
    "mean_squared_error": _mean_squared_error,
    "mae": _mean_absolute_error,
    "mean_absolute_error": _mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
_CLASSES = {
    cls.__name__: cls
    for cls in (
        MeanSquaredError,
        MeanAbsoluteError,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}


def get(identifier):
    """A loss by name: snake-case names give the function, class names an instance."""
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]
    if isinstance(identifier, str) and identifier in _CLASSES:
        return _CLASSES[identifier]()
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss identifier: {identifier}")
