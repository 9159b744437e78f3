"""`tf.autodiff`."""

from ._core.forwardprop import ForwardAccumulator  # noqa: F401 (TF exports it here only)
from ._core.tape import GradientTape  # noqa: F401
