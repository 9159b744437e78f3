"""tf.Module.variables sees only the module's own attributes, not lists, dicts or submodules."""

import shim

from ._base import *  # noqa: F401,F403


class Module(shim.Module):
    @property
    def variables(self):
        return tuple(v for _, v in sorted(vars(self).items()) if getattr(v, "_is_variable", False))

    @property
    def trainable_variables(self):
        return tuple(v for v in self.variables if v.trainable)
