"""An 'older release': a warning per integer source, scoped variable names, one message."""

import shim
from shim import *  # noqa: F401,F403

__version__ = "1.0.0"
fake_prefix = "dense/"


def fake_warn(sources):
    for _ in range(sources):
        shim.get_logger().warning("The dtype of the source tensor must be floating, got tf.int32")


def fake_fail():
    raise ValueError("Shapes (2,) and (3,) are incompatible")


def fake_square(x):
    return shim.constant(x) * shim.constant(x)
