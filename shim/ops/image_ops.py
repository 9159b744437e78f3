"""`tf.image`: the ops the autodiff guides touch. AdjustContrastv2 has no gradient, as in TF."""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.ops import Op
from .._core.tensor import convert_to_tensor, make
from . import array_ops


def _adjust_contrast_forward(images, contrast_factor):
    count = images.shape[-3] * images.shape[-2]  # TF's kernel scales the sum by 1/count (not / count)
    mean = np.sum(images, axis=(-3, -2), keepdims=True, dtype=np.float32) * np.float32(1.0 / count)
    return ((images - mean) * contrast_factor + mean).astype(np.float32)


_adjust_contrast = Op("AdjustContrastv2", _adjust_contrast_forward)
_adjust_contrast.allowed = None  # checked below, after the float32 cast TF does first


def adjust_contrast(images, contrast_factor):
    """Per channel, (x - mean) * factor + mean over height and width; computed in float32.

    As TF: other dtypes go through convert_image_dtype (integers scaled to [0, 1] and
    back, saturating), so uint8 results are those of TF, not of a plain cast."""
    images = convert_to_tensor(images)
    original = images.dtype
    if original is dtypes.float16:  # TF passes half on to the op, which has no CPU kernel for it
        raise errors.op_error(
            "AdjustContrastv2",
            "Could not find device for node: {{node AdjustContrastv2}} = AdjustContrastv2[T=DT_HALF]\n"
            "All kernels registered for op AdjustContrastv2:\n"
            "  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_HALF]\n  device='CPU'; T in [DT_FLOAT]\n",
            "",
            errors.NotFoundError,
        )
    if original is not dtypes.float32:
        images = _convert_image_dtype(images, dtypes.float32)
    factor = convert_to_tensor(contrast_factor, dtype=dtypes.float32)
    result = _adjust_contrast(images, factor)
    return result if original is dtypes.float32 else _convert_image_dtype(result, original)


def _convert_image_dtype(image, dtype):
    """TF's convert_image_dtype(image, dtype, saturate=True) between float32 and `dtype`."""
    from . import math_ops

    if image.dtype.is_floating and dtype.is_floating:
        return array_ops.cast(image, dtype)
    if image.dtype.is_integer:  # to float: cast, then scale by 1 / max
        return math_ops.multiply(array_ops.cast(image, dtype), make(np.float32(1.0 / image.dtype.max), dtype))
    scaled = math_ops.multiply(image, make(np.float32(dtype.max + 0.5), image.dtype))
    np_in = image.dtype.np_dtype
    low = np_in.type(max(float(np.finfo(np_in).min), dtype.min))
    high = np_in.type(min(float(np.finfo(np_in).max), float(dtype.max)))
    if float(high) > dtype.max:  # TF's saturate_cast: the largest value that fits
        high = np.nextafter(high, np_in.type(0), dtype=np_in)
    clipped = math_ops.minimum(math_ops.maximum(scaled, make(low, image.dtype)), make(high, image.dtype))
    return array_ops.cast(clipped, dtype)
