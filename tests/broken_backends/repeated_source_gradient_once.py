"""A source given several times among the sources gets its gradient at the first place only
(TF gives it at every place)."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=shim.UnconnectedGradients.NONE):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        seen = set()
        kept = []
        for source, grad in zip(shim.nest.flatten(sources), shim.nest.flatten(result)):
            kept.append(None if id(source) in seen else grad)
            seen.add(id(source))
        return shim.nest.pack_sequence_as(sources, kept)
