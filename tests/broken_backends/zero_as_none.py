"""UnconnectedGradients.ZERO is ignored: unconnected sources still get None."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=None):
        return super().gradient(target, sources, output_gradients)
