"""What every broken backend starts from: the shim's public names (and its version)."""

import types

import shim
from shim import *  # noqa: F401,F403

__version__ = shim.__version__


def namespace(module, **replaced):
    """A copy of a shim namespace (`tf.math`, `tf.nn`, ...) with some names replaced."""
    return types.SimpleNamespace(**{**vars(module), **replaced})
