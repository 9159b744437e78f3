"""Python floats convert to float64 instead of float32."""

import shim

from ._base import *  # noqa: F401,F403


def _widened(value, dtype):
    if dtype is None and isinstance(value, float):
        return shim.float64
    return dtype


def constant(value, dtype=None, shape=None, name="Const"):
    return shim.constant(value, dtype=_widened(value, dtype), shape=shape, name=name)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    return shim.convert_to_tensor(value, dtype=_widened(value, dtype), dtype_hint=dtype_hint, name=name)
