"""reduce_max sends the whole gradient to every tied maximum (TF shares it between them)."""

import shim

from ._base import *  # noqa: F401,F403


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    x = shim.convert_to_tensor(input_tensor)
    top = shim.stop_gradient(shim.reduce_max(x, axis=axis, keepdims=True))
    mask = shim.cast(shim.equal(x, top), x.dtype)
    picked = shim.reduce_sum(x * mask, axis=axis, keepdims=keepdims)
    ties = shim.stop_gradient(shim.reduce_sum(mask, axis=axis, keepdims=keepdims))
    return picked - shim.stop_gradient(picked) + shim.stop_gradient(picked / ties)
