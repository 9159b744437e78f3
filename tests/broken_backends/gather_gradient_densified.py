"""tf.gather's gradient comes back dense: the tape converts every IndexedSlices it returns."""

import shim

from ._base import *  # noqa: F401,F403


def _dense(grad):
    return shim.convert_to_tensor(grad) if isinstance(grad, shim.IndexedSlices) else grad


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=shim.UnconnectedGradients.NONE):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return shim.nest.map_structure(_dense, result)
