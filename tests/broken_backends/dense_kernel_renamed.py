"""Keras Dense names its weight 'w' instead of 'kernel'."""

import shim

from ._base import *  # noqa: F401,F403
from ._base import namespace


class Dense(shim.keras.layers.Dense):
    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer, "w")
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer, "bias")
        self.built = True


keras = namespace(shim.keras, layers=namespace(shim.keras.layers, Dense=Dense))
