"""`tf.autodiff`."""

from ._core.tape import GradientTape  # noqa: F401
