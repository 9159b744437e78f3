"""A release whose op aborts the process on negative inputs, as TF's C++ checks do."""

import os
import sys

import shim
from shim import *  # noqa: F401,F403

__version__ = "0.9.0"


def fake_square(x):
    if x < 0:
        sys.stderr.write("2026-11-23 12:00:00.123456: I fake/other.cc:3] an ordinary line\n")
        sys.stderr.write(f"2026-11-23 12:00:00.123457: F fake/square.cc:12] Check failed: x >= 0 ({x} vs. 0)\n")
        sys.stderr.flush()
        os.abort()
    return shim.constant(x) * shim.constant(x)


def fake_square_said_to_crash(x):
    raise AssertionError("the recorded crash must not be run again on the release that crashed")


from .release_b import fake_fail, fake_prefix, fake_warn  # noqa: E402,F401
