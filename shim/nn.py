"""`tf.nn`."""

from .ops.nn_ops import relu, sigmoid, softplus, tanh  # noqa: F401
