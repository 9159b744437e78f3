"""clip_by_value gives the gradient of an element equal to a bound to the bound, not to t (values are right)."""

import shim

from ._base import *  # noqa: F401,F403


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    t = shim.convert_to_tensor(t)
    lo = shim.convert_to_tensor(clip_value_min, dtype=t.dtype)
    hi = shim.convert_to_tensor(clip_value_max, dtype=t.dtype)
    inside = shim.logical_and(shim.greater(t, lo), shim.less(t, hi))  # strict: ties go to the bounds
    below = shim.less_equal(t, lo)
    bounds = shim.where(below, lo + shim.zeros_like(t), hi + shim.zeros_like(t))
    return shim.where(inside, t, bounds)
