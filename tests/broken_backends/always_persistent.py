"""Every tape is persistent: a second gradient call never raises."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=True, watch_accessed_variables=watch_accessed_variables)
