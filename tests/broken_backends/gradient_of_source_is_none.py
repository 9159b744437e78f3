"""The gradient of a tensor with respect to itself is None (TF gives ones)."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=shim.UnconnectedGradients.NONE):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        if sources is target:
            return None
        return result
