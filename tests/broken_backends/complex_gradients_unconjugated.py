"""exp's gradient for complex inputs is grad * exp(x), not TF's grad * conj(exp(x)) (real inputs are right)."""

import shim

from ._base import *  # noqa: F401,F403
from ._base import namespace


def exp(x, name=None):
    x = shim.convert_to_tensor(x)
    y = shim.exp(x)
    if not x.dtype.is_complex:
        return y
    # the value is exp(x); the tape sees conj(exp(x)) * x, whose gradient TF's convention makes grad * exp(x)
    frozen = shim.stop_gradient(y)
    return frozen + shim.math.conj(frozen) * (x - shim.stop_gradient(x))


math = namespace(shim.math, exp=exp)
