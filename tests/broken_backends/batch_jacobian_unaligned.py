"""batch_jacobian returns the full jacobian, batch dimensions not aligned."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def batch_jacobian(
        self, target, source, unconnected_gradients="none", parallel_iterations=None, experimental_use_pfor=True
    ):
        return self.jacobian(target, source, unconnected_gradients, parallel_iterations, experimental_use_pfor)
