"""gradient returns a flat list whatever the structure of the sources."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=shim.UnconnectedGradients.NONE):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return shim.nest.flatten(result) if isinstance(sources, (list, tuple, dict)) else result
