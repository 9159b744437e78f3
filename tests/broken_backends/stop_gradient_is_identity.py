"""tf.stop_gradient lets the gradient through."""

import shim

from ._base import *  # noqa: F401,F403


def stop_gradient(input, name=None):  # noqa: A002 (TF's name)
    return shim.identity(input)
