"""sin's gradient is 1 instead of cos(x) (the forward value is right)."""

import shim

from ._base import *  # noqa: F401,F403
from ._base import namespace


def sin(x, name=None):
    x = shim.convert_to_tensor(x)
    return shim.stop_gradient(shim.sin(x)) + (x - shim.stop_gradient(x))


math = namespace(shim.math, sin=sin)
