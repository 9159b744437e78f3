"""`tf.image`: the ops the autodiff guides touch. AdjustContrastv2 has no gradient, as in TF."""

from __future__ import annotations

import numpy as np

from .._core import dtypes
from .._core.ops import Op
from .._core.tensor import convert_to_tensor
from . import array_ops


def _adjust_contrast_forward(images, contrast_factor):
    mean = np.mean(images, axis=(-3, -2), keepdims=True, dtype=np.float32)
    return ((images - mean) * contrast_factor + mean).astype(np.float32)


_adjust_contrast = Op("AdjustContrastv2", _adjust_contrast_forward)
_adjust_contrast.allowed = None  # checked below, after the float32 cast TF does first


def adjust_contrast(images, contrast_factor):
    """Per channel, (x - mean) * factor + mean over height and width; computed in float32."""
    images = convert_to_tensor(images)
    original = images.dtype
    if original is not dtypes.float32:
        images = array_ops.cast(images, dtypes.float32)
    factor = convert_to_tensor(contrast_factor, dtype=dtypes.float32)
    result = _adjust_contrast(images, factor)
    return result if original is dtypes.float32 else array_ops.cast(result, original)
