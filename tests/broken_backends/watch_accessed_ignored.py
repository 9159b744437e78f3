"""watch_accessed_variables=False is ignored: every variable read is watched."""

import shim

from ._base import *  # noqa: F401,F403


class GradientTape(shim.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=persistent, watch_accessed_variables=True)
