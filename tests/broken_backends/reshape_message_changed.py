"""tf.reshape raises its errors with a reworded message."""

import shim

from ._base import *  # noqa: F401,F403


def reshape(tensor, shape, name=None):
    try:
        return shim.reshape(tensor, shape, name=name)
    except shim.errors.InvalidArgumentError as exc:
        raise shim.errors.InvalidArgumentError(None, None, "cannot reshape: " + exc.message) from None
