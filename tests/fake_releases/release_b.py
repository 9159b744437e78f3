"""A 'newer release': one warning in total, bare variable names, another message."""

import shim
from shim import *  # noqa: F401,F403

__version__ = "2.0.0"
fake_prefix = ""


def fake_warn(sources):
    if sources:
        shim.get_logger().warning("The dtype of the source tensor must be floating, got tf.int32")


def fake_fail():
    raise ValueError("Dimensions must be equal, but are 2 and 3")


def fake_square(x):
    return shim.constant(x) * shim.constant(x)
