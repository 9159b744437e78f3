"""tf.function hands back the Python function itself: no input_signature checks, numpy
arguments stay numpy, and results are not converted to tensors (TF's traced functions do all three)."""

import shim

from ._base import *  # noqa: F401,F403


def function(func=None, **options):
    def decorate(python_function):
        shim.function(python_function, **options)  # the same checks at decoration time
        return python_function

    return decorate if func is None else decorate(func)
