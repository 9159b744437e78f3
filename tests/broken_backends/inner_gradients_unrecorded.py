"""A tape's gradient computation is hidden from outer tapes: no higher-order gradients."""

import shim
from shim._core import tape as _tape

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=shim.UnconnectedGradients.NONE):
        with _tape.stop_recording_all():
            return super().gradient(target, sources, output_gradients, unconnected_gradients)
