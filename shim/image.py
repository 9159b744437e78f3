"""`tf.image`."""

from .ops.image_ops import adjust_contrast  # noqa: F401
