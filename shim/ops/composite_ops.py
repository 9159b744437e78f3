"""Ops TF builds in Python from other ops (tf.repeat), and tf.one_hot.

A composite is built here from the same shim ops TF's Python builds it from, so its
gradient (dense or IndexedSlices, and its dtype) comes out as TF's does.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.dtypes import as_dtype
from .._core.ops import NotDifferentiable, Op
from .._core.tensor import convert_to_tensor, make
from ._args import eager_fallback, is_tensor_like
from .array_ops import _check_attr, _gather_v2, _reshape, _tile, cast, expand_dims, stack

# -- repeat ---------------------------------------------------------------------------------


def _repeats_tensor(repeats):
    """TF's convert_to_int_tensor: integers, cast to int32; anything else is a TypeError."""
    tensor = convert_to_tensor(repeats, dtype_hint=dtypes.int32)
    if not tensor._dtype.is_integer:
        raise TypeError(
            f"Argument `tensor` (name: repeats) must be of type integer. Received `tensor` = {tensor} of dtype: {tensor._dtype}"
        )
    return cast(tensor, dtypes.int32)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002 (TF's argument name)
    """`tf.repeat`: each element (along `axis`, or of the flattened input) `repeats` times."""
    if axis is None:
        input, axis = _reshape(convert_to_tensor(input), shape=(-1,)), 0
    if not isinstance(axis, int):
        raise TypeError(f"Argument `axis` must be an int. Received `axis` = {axis} of type {type(axis).__name__}")
    data = convert_to_tensor(input)
    repeats = _repeats_tensor(repeats)
    if repeats.ndim > 1:
        raise ValueError(f"Shape {tuple(np.shape(repeats._value))} must have rank at most 1")
    if data.ndim == 0:
        data = stack([data])
    rank = data.ndim
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    shape = np.shape(data._value)
    counts = np.reshape(repeats._value, -1)
    if counts.size == 1:  # TF tiles a new axis after `axis`, then merges the two
        multiples = [1] * (rank + 1)
        multiples[axis + 1] = int(counts[0])
        if multiples[axis + 1] < 0:
            raise errors.kernel_error(
                "Tile", f"Expected multiples[{axis + 1}] >= 0, but got {multiples[axis + 1]}", None
            )
        tiled = _tile(expand_dims(data, axis + 1), multiples=tuple(multiples))
        return _reshape(tiled, shape=shape[:axis] + (shape[axis] * multiples[axis + 1],) + shape[axis + 1 :])
    if repeats.ndim == 1 and counts.size != shape[axis]:
        raise ValueError(f"Dimensions {shape[axis]} and {counts.size} are not compatible")
    # TF masks a tiled copy with a sequence mask (negative counts repeat 0 times) and gathers
    # the kept rows from a reshape of it: the gradient reaches `input` dense, as here.
    rows = np.repeat(np.arange(shape[axis]), np.maximum(counts, 0)).astype(np.int32)
    source = _reshape(data, shape=shape)
    result = _gather_v2(source, make(rows, dtypes.int32), axis=axis, batch_dims=0, lead=0)
    if axis and np.any(counts < 0):  # TF's final reshape takes sum(repeats), negatives included: it fails
        result = _reshape(result, name="", shape=shape[:axis] + (int(np.sum(counts)),) + shape[axis + 1 :])
    return result


# -- one_hot ----------------------------------------------------------------------------------


def _one_hot_forward(indices, on_value, off_value, depth, axis):
    indices = np.asarray(indices)
    rank_out = indices.ndim + 1
    if not (axis == -1 or 0 <= axis < rank_out):
        raise errors.KernelError(f"Expected axis to be -1 or between [0, {rank_out}).  But received: {axis}")
    if depth < 0:
        raise errors.KernelError(f"depth must be non-negative, got: {depth}")
    hot = indices[..., None] == np.arange(depth)  # out-of-range indices (negative too) match nothing
    out = np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)
    return np.moveaxis(out, -1, axis) if axis != -1 else out


_one_hot = Op("OneHot", _one_hot_forward, typed_input=1)
NotDifferentiable("OneHot")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """`tf.one_hot`: `on_value` where the last (or `axis`) index equals the index, else `off_value`."""
    slow = eager_fallback(indices, depth, on_value, off_value)
    dtype = None if dtype is None else as_dtype(dtype)
    given = {}
    for label, value in (("on_value", on_value), ("off_value", off_value)):
        if value is not None:
            given[label] = convert_to_tensor(value, dtype_hint=dtype)
    if given:
        if dtype is not None:
            for label, tensor in given.items():
                if tensor._dtype is not dtype:
                    raise TypeError(f"dtype {tensor._dtype} of {label} does not match dtype parameter {dtype}")
        else:
            dtype = next(iter(given.values()))._dtype
    elif dtype is None:
        dtype = dtypes.float32
    on = given["on_value"] if "on_value" in given else convert_to_tensor(1, dtype=dtype)
    off = given["off_value"] if "off_value" in given else convert_to_tensor(0, dtype=dtype)
    if on._dtype is not off._dtype:
        raise TypeError(f"dtype {on._dtype} of on_value does not match dtype {off._dtype} of off_value")
    indices = (
        convert_to_tensor(indices, dtype_hint=dtypes.int64)
        if not is_tensor_like(indices)
        else convert_to_tensor(indices)
    )
    scope = None if slow else name or ""
    _check_attr("OneHot", "TI", indices, scope)
    depth = int(convert_to_tensor(depth, dtype=dtypes.int32)._value)
    return _one_hot(indices, on, off, name=scope, unscoped=slow, depth=depth, axis=-1 if axis is None else int(axis))


# -- meshgrid ---------------------------------------------------------------------------------


def meshgrid(*args, **kwargs):
    """`tf.meshgrid`: each input reshaped to its own axis, times ones of the grid's shape
    (so inputs of different dtypes fail in the Mul, as in TF)."""
    from .math_ops import multiply

    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'")
    count = len(args)
    if not count:
        return []
    tensors = [convert_to_tensor(x) for x in args]
    shapes = [int(np.size(t._value)) for t in tensors]
    axes = [tuple(-1 if j == i else 1 for j in range(count)) for i in range(count)]
    if indexing == "xy" and count > 1:  # the first two axes swap places
        axes[0], axes[1] = (1, -1) + (1,) * (count - 2), (-1, 1) + (1,) * (count - 2)
        shapes[0], shapes[1] = shapes[1], shapes[0]
    ones = make(np.ones(shapes, dtype=tensors[0]._dtype.np_dtype), tensors[0]._dtype)
    return [multiply(_reshape(t, shape=shape), ones) for t, shape in zip(tensors, axes)]


# -- boolean_mask ---------------------------------------------------------------------------------


def _shape_str(shape) -> str:
    """A static shape as TensorShape prints it: (), (3,), (2, 3)."""
    return str(tuple(shape))


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """`tf.boolean_mask`: the entries (slices after `axis`) where `mask` is true, flattened over
    the mask's dims; a reshape then a gather, so the gradient is dense (zeros where masked out)."""
    tensor, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
    mask_shape = np.shape(mask._value)
    if not mask_shape:
        raise ValueError("mask cannot be scalar.")
    if axis is None:
        axis = 0
    elif is_tensor_like(axis):
        axis = int(convert_to_tensor(axis)._value)
    shape = np.shape(tensor._value)
    covered = shape[axis : axis + len(mask_shape)]  # TF slices the static shape as Python slices
    if covered != mask_shape:
        raise ValueError(f"Shapes {_shape_str(covered)} and {_shape_str(mask_shape)} are incompatible")
    start = axis % len(shape)
    flat_shape = shape[:start] + (int(np.prod(covered)),) + shape[start + len(mask_shape) :]
    kept = np.flatnonzero(np.reshape(mask._value, -1)).astype(np.int64)
    return _gather_v2(_reshape(tensor, shape=flat_shape), make(kept, dtypes.int64), axis=start, batch_dims=0, lead=0)
