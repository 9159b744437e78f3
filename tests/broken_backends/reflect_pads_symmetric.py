"""tf.pad's REFLECT mode repeats the edge (SYMMETRIC's rule) instead of mirroring around it."""

import shim

from ._base import *  # noqa: F401,F403


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    if str(mode).upper() == "REFLECT":
        mode = "SYMMETRIC"
    return shim.pad(tensor, paddings, mode=mode, constant_values=constant_values, name=name)
