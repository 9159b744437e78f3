"""`tf.linalg`."""

from .ops.array_ops import eye  # noqa: F401
from .ops.math_ops import matmul  # noqa: F401
