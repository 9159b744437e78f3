"""Keras loss classes reduce by 'sum' instead of 'sum_over_batch_size' (the mean)."""

import shim

from ._base import *  # noqa: F401,F403
from ._base import namespace

_losses = shim.keras.losses


def _summing(cls):
    class Summing(cls):
        def __init__(self, *args, reduction="sum", **kwargs):
            super().__init__(*args, reduction="sum" if reduction == "sum_over_batch_size" else reduction, **kwargs)

    Summing.__name__ = cls.__name__
    return Summing


_replaced = {
    name: _summing(getattr(_losses, name))
    for name in (
        "MeanSquaredError",
        "MeanAbsoluteError",
        "BinaryCrossentropy",
        "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy",
    )
}
keras = namespace(shim.keras, losses=namespace(_losses, **_replaced))
