"""Variables print without TF's `tf.` prefix in their repr."""

from shim._core.variable import ResourceVariable

from ._base import *  # noqa: F401,F403


class Variable(ResourceVariable):
    __slots__ = ()

    def __repr__(self):
        return super().__repr__().replace("<tf.Variable", "<Variable", 1)
