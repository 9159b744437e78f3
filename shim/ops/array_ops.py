"""Shapes, layout, casts, fills and slicing: each op with its gradient beside it."""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.dtypes import as_dtype
from .._core.errors import shape_text
from .._core.ops import NotDifferentiable, Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import EagerTensor, convert_to_tensor, make
from ._args import is_tensor_like, same_dtype

# -- identity, stop_gradient, cast ---------------------------------------------------

_identity = Op("Identity", lambda x: x)


def identity(input, name=None):  # noqa: A002 (TF's argument name)
    return _identity(convert_to_tensor(input), name=name)


@RegisterGradient("Identity")
@batchable
def _identity_grad(op, grad):
    return grad


_stop_gradient = Op("StopGradient", lambda x: x)
NotDifferentiable("StopGradient")


def stop_gradient(input, name=None):  # noqa: A002
    # TF runs it with every tape paused: its output is not watched, a variable read is not an access.
    from .._core.tape import stop_recording_all

    with stop_recording_all():
        return _stop_gradient(convert_to_tensor(input), name=name)


def _cast_forward(x, DstT):  # noqa: N803 (TF's attr name)
    # cast() has refused strings already; to bool, TF (like C) maps any non-zero to True.
    if DstT is dtypes.bool_:
        return np.not_equal(x, 0)
    return np.asarray(x).astype(DstT.np_dtype)


_cast = Op("Cast", _cast_forward)


def cast(x, dtype, name=None):
    dtype = as_dtype(dtype)
    if is_tensor_like(x) and x.dtype is dtype:
        return x  # as TF: a variable comes back itself
    x = convert_to_tensor(x)
    if x._dtype is dtype:
        return x
    if x._dtype.is_complex and dtype.is_floating:
        from .._core.logging import get_logger

        get_logger().warning(
            f"You are casting an input of type {x._dtype.name} to an incompatible dtype {dtype.name}.  "
            "This will discard the imaginary part and may not be what you intended."
        )
    if x._dtype is dtypes.string or dtype is dtypes.string:
        raise errors.kernel_error(
            "Cast", f"Cast {x._dtype.c_name} to {dtype.c_name} is not supported", name or "", errors.UnimplementedError
        )
    return _cast(x, name=name, DstT=dtype, out_dtype=dtype)


@RegisterGradient("Cast")
@batchable
def _cast_grad(op, grad):
    source = op.inputs[0]._dtype
    if source.trainable and grad._dtype.trainable:
        return cast(grad, source)
    return None


# -- shapes ------------------------------------------------------------------------


def _reshape_forward(x, shape):
    unknown = -1
    for d, size_ in enumerate(shape):
        if size_ == -1:
            if unknown != -1:
                raise errors.KernelError(f"Only one input size may be -1, not both {unknown} and {d}")
            unknown = d
        elif size_ < 0:
            raise errors.KernelError(f"Size {d} must be non-negative, not {size_}")
    try:
        return np.reshape(x, shape)
    except ValueError:
        known = [d for d in shape if d != -1]
        size = int(np.prod(known)) if known else 1
        raise errors.KernelError(f"Input to reshape is a tensor with {np.size(x)} values, but the requested shape "
            + (f"requires a multiple of {size}" if -1 in shape else f"has {size}"),
        ) from None


_reshape = Op("Reshape", _reshape_forward, scoped=False)


def _shape_arg(shape):
    if is_tensor_like(shape):
        shape = convert_to_tensor(shape).numpy()
    return tuple(int(d) for d in np.reshape(np.asarray(shape, dtype=np.int64), -1))


def reshape(tensor, shape, name=None):
    return _reshape(convert_to_tensor(tensor), name=name, shape=_shape_arg(shape))


@RegisterGradient("Reshape")
@batchable
def _reshape_grad(op, grad):
    return _reshape_back(op, grad)


def _reshape_back(op, grad):
    """The gradient in the input's shape (after the batch dims of a jacobian's rows)."""
    return _reshape(grad, shape=batch_dims(grad, op.outputs[0]) + np.shape(op.inputs[0]._value))


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    value = input._value if isinstance(input, EagerTensor) else np.asarray(convert_to_tensor(input)._value)
    return make(np.array(np.shape(value), dtype=as_dtype(out_type).np_dtype), as_dtype(out_type))


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return make(as_dtype(out_type).np_dtype.type(np.size(convert_to_tensor(input)._value)), as_dtype(out_type))


def rank(input, name=None):  # noqa: A002
    return make(np.int32(np.ndim(convert_to_tensor(input)._value)), dtypes.int32)


def _expand_dims_forward(x, axis):
    rank_out = np.ndim(x) + 1
    if not -rank_out <= axis < rank_out:
        raise errors.KernelError(f"Tried to expand dim index {axis} for tensor with {np.ndim(x)} dimensions."
        )
    return np.expand_dims(x, axis)


_expand_dims = Op("ExpandDims", _expand_dims_forward)


def expand_dims(input, axis, name=None):  # noqa: A002
    return _expand_dims(convert_to_tensor(input), name=name, axis=int(axis))


@RegisterGradient("ExpandDims")
@batchable
def _expand_dims_grad(op, grad):
    return _reshape_back(op, grad)


def _squeeze_forward(x, squeeze_dims):
    if not squeeze_dims:
        return np.squeeze(x)
    rank_ = np.ndim(x)
    for d in squeeze_dims:
        if not -rank_ <= d < rank_:
            raise errors.KernelError(f"Tried to squeeze dim index {d} for tensor with {rank_} dimensions.")
    squeeze_dims = tuple(sorted({d % rank_ for d in squeeze_dims}))
    for d in squeeze_dims:
        if np.shape(x)[d] != 1:
            raise errors.KernelError(f"Can not squeeze dim[{d % np.ndim(x)}], expected a dimension of 1, got {np.shape(x)[d]}",
            )
    return np.squeeze(x, axis=squeeze_dims)


_squeeze = Op("Squeeze", _squeeze_forward)


def squeeze(input, axis=None, name=None):  # noqa: A002
    if axis is None:
        dims = ()
    elif isinstance(axis, (list, tuple)):
        dims = tuple(int(a) for a in axis)
    else:
        dims = (int(axis),)
    return _squeeze(convert_to_tensor(input), name=name, squeeze_dims=dims)


@RegisterGradient("Squeeze")
@batchable
def _squeeze_grad(op, grad):
    return _reshape_back(op, grad)


def _transpose_forward(x, perm):
    return np.transpose(x, perm)


_transpose = Op("Transpose", _transpose_forward, scoped=False)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    a = convert_to_tensor(a)
    perm = tuple(range(a.ndim - 1, -1, -1)) if perm is None else _shape_arg(perm)
    dims = a.ndim
    if len(perm) != dims:
        raise errors.kernel_error(
            "Transpose",
            f"transpose expects a vector of size {dims}. But input(1) is a vector of size {len(perm)}",
            None,
        )
    normalized = [p + dims if p < 0 else p for p in perm]
    for d in normalized:
        if not 0 <= d < dims:
            raise errors.kernel_error("Transpose", f"{d} is out of range [0 .. {dims})", None)
    for i in range(dims):
        if i not in normalized:
            raise errors.kernel_error("Transpose", f"{i} is missing from {{{','.join(map(str, normalized))}}}.", None)
    return _transpose(a, name=name, perm=perm)


@RegisterGradient("Transpose")
@batchable
def _transpose_grad(op, grad):
    perm = op.attrs["perm"]
    for d in perm:  # TF's InvertPermutation refuses the negative axes Transpose accepts
        if not 0 <= d < len(perm):
            raise errors.kernel_error("InvertPermutation", f"{d} is not between 0 and {len(perm)}", "")
    lead = len(batch_dims(grad, op.outputs[0]))
    return _transpose(grad, perm=tuple(range(lead)) + tuple(lead + int(p) for p in np.argsort(perm)))


def _broadcast_to_forward(x, shape):
    if np.ndim(x) > len(shape):
        raise errors.KernelError(
            f"Rank of input ({np.ndim(x)}) must be no greater than rank of output shape ({len(shape)})."
        )
    try:
        return np.broadcast_to(x, shape).copy()
    except ValueError:
        raise errors.KernelError(f"Incompatible shapes: {shape_text(np.shape(x))} vs. {shape_text(shape)}") from None


_broadcast_to = Op("BroadcastTo", _broadcast_to_forward, scoped=False)


def broadcast_to(input, shape, name=None):  # noqa: A002
    return _broadcast_to(convert_to_tensor(input), name=name, shape=_shape_arg(shape))


@RegisterGradient("BroadcastTo")
@batchable
def _broadcast_to_grad(op, grad):
    from .math_ops import reduce_to_shape

    return reduce_to_shape(grad, np.shape(op.inputs[0]._value), batch_dims(grad, op.outputs[0]))


# -- joining and splitting ----------------------------------------------------------


def _concat_forward(*values, axis):
    return np.concatenate(values, axis=axis)


_concat = Op("ConcatV2", _concat_forward)


def concat(values, axis, name="concat"):
    if not isinstance(values, (list, tuple)):
        values = [values]
    tensors = same_dtype("ConcatV2", values, name)
    if len(tensors) == 1:
        return identity(tensors[0])
    rank_ = tensors[0].ndim
    axis = int(axis)
    if not -rank_ <= axis < rank_:
        raise errors.kernel_error("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range [{-rank_}, {rank_}), but got {axis}", name, function=f"ConcatV2_N_{len(tensors)}")
    axis %= rank_
    for i, t in enumerate(tensors[1:], 1):
        if t.ndim != rank_:
            raise errors.kernel_error(
                "ConcatV2",
                f"ConcatOp : Ranks of all input tensors should match: shape[0] = {shape_text(tensors[0]._value.shape)} vs. shape[{i}] = {shape_text(t._value.shape)}",
                name,
                function=f"ConcatV2_N_{len(tensors)}",
            )
        other, first = t._value.shape, tensors[0]._value.shape
        if any(a != b for d, (a, b) in enumerate(zip(first, other)) if d != axis):
            raise errors.kernel_error(
                "ConcatV2",
                f"ConcatOp : Dimension {next(d for d, (a, b) in enumerate(zip(first, other)) if d != axis and a != b)} "
                f"in both shapes must be equal: shape[0] = {shape_text(first)} vs. shape[{i}] = {shape_text(other)}",
                name,
                function=f"ConcatV2_N_{len(tensors)}",
            )
    return _concat(*tensors, name=name, axis=axis)


@RegisterGradient("ConcatV2")
@batchable
def _concat_grad(op, grad):
    axis = op.attrs["axis"]
    lead = len(batch_dims(grad, op.outputs[0]))
    grads, start = [], 0
    for x in op.inputs:
        width = x._value.shape[axis]
        begin = [0] * grad.ndim
        begin[lead + axis] = start
        size_ = list(grad._value.shape)
        size_[lead + axis] = width
        grads.append(_slice(grad, begin=tuple(begin), size=tuple(size_)))
        start += width
    return grads


def _slice_forward(x, begin, size):
    shape_ = np.shape(x)
    if len(begin) != len(shape_) or len(size) != len(shape_):
        raise errors.KernelError(
            f"Expected begin and size arguments to be 1-D tensors of size {len(shape_)}, "
            f"but got shapes [{len(begin)}] and [{len(size)}] instead."
        )
    for i, (b, s, d) in enumerate(zip(begin, size, shape_)):
        if d == 0:
            if b != 0 or s not in (0, -1):
                raise errors.KernelError(
                    f"Expected begin[{i}] == 0 (got {b}) and size[{i}] == 0 (got {s}) when input.dim_size({i}) == 0"
                )
            continue
        if not 0 <= b <= d:
            raise errors.KernelError(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if not (s == -1 or 0 <= s <= d - b):
            raise errors.KernelError(f"Expected size[{i}] in [0, {d - b}], but got {s}")
    return x[tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))]


_slice = Op("Slice", _slice_forward, scoped=False)


def slice_(input_, begin, size, name=None):
    """`tf.slice` (named with a trailing underscore here so the builtin stays usable)."""
    return _slice(convert_to_tensor(input_), name=name, begin=_shape_arg(begin), size=_shape_arg(size))


def _slice_grad_forward(grad, begin, size, shape):
    out = np.zeros(shape, dtype=np.asarray(grad).dtype)
    out[tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))] = grad
    return out


_pad_slice = Op("SliceGrad", _slice_grad_forward)


@RegisterGradient("Slice")
@batchable
def _slice_grad(op, grad):
    batch = batch_dims(grad, op.outputs[0])
    begin, size = _batched_window(op, batch)
    return _pad_slice(grad, begin=begin, size=size, shape=batch + np.shape(op.inputs[0]._value))


def _batched_window(op, batch):
    """A Slice's begin and size, taking the batch dims of a jacobian's rows whole."""
    return (0,) * len(batch) + tuple(op.attrs["begin"]), (-1,) * len(batch) + tuple(op.attrs["size"])


@RegisterGradient("SliceGrad")
@batchable
def _slice_grad_grad(op, grad):
    begin, size = _batched_window(op, batch_dims(grad, op.outputs[0]))
    return _slice(grad, begin=begin, size=size)


def _pack_forward(*values, axis):
    return np.stack(values, axis=axis)


_pack = Op("Pack", _pack_forward)


def stack(values, axis=0, name="stack"):
    if axis == 0 and len(values) == 0:
        return convert_to_tensor(values)
    if axis != 0:  # TF checks the axis against values[0]'s rank before packing
        rank_ = np.ndim(convert_to_tensor(values[0])._value) + 1
        if not -rank_ <= axis < rank_:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
    tensors = same_dtype("Pack", values, name)
    first = tensors[0]._value.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._value.shape != first:
            raise errors.kernel_error(
                "Pack",
                f"Shapes of all inputs must match: values[0].shape = {shape_text(first)} != values[{i}].shape = {shape_text(t._value.shape)}",
                name,
                function=f"Pack_N_{len(tensors)}",
            )
    rank_ = len(first) + 1
    if not -rank_ <= axis < rank_:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
    return _pack(*tensors, name=name, axis=axis % rank_)


@RegisterGradient("Pack")
@batchable
def _pack_grad(op, grad):
    return list(unstack(grad, axis=op.attrs["axis"] + len(batch_dims(grad, op.outputs[0]))))


def _unpack_forward(x, axis, num):
    if num == 1:
        return np.take(x, 0, axis=axis)
    return tuple(np.take(x, i, axis=axis) for i in range(num))


def unstack(value, num=None, axis=0, name="unstack"):
    value = convert_to_tensor(value)
    rank_ = value.ndim
    if num is None:
        if not -rank_ <= axis < rank_:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
        num = value._value.shape[axis]
    else:
        normalized = axis + rank_ if axis < 0 else axis
        if not 0 <= normalized < rank_:
            raise errors.kernel_error(
                "Unpack", f"axis = {axis} not in [{-rank_}, {rank_})", name, function=f"Unpack_num_{num}"
            )
        if value._value.shape[normalized] != num:
            raise errors.kernel_error(
                "Unpack",
                f"Input shape axis {normalized} must equal {num}, got shape {shape_text(value._value.shape)}",
                name,
                function=f"Unpack_num_{num}",
            )
    op = Op("Unpack", _unpack_forward, num_outputs=num)
    outputs = op(value, name=name, axis=axis % rank_, num=num)
    return [outputs] if num == 1 else list(outputs)


@RegisterGradient("Unpack")
@batchable
def _unpack_grad(op, *grads):
    return _pack(*grads, axis=op.attrs["axis"] + len(batch_dims(grads[0], op.outputs[0])))


def pack_nested(value):
    """A nested list holding tensors, packed the way convert_to_tensor does (recording gradients)."""
    if isinstance(value, (list, tuple)):
        return stack([pack_nested(v) if isinstance(v, (list, tuple)) else v for v in value])
    return convert_to_tensor(value)


def tile(input, multiples, name=None):  # noqa: A002
    tensor, multiples = convert_to_tensor(input), _shape_arg(multiples)
    if len(multiples) != tensor.ndim:
        raise errors.kernel_error(
            "Tile", f"Expected multiples argument to be a vector of length {tensor.ndim} but got length {len(multiples)}", None
        )
    for i, m in enumerate(multiples):
        if m < 0:
            raise errors.kernel_error("Tile", f"Expected multiples[{i}] >= 0, but got {m}", None)
    return _tile(tensor, name=name, multiples=multiples)


_tile = Op("Tile", lambda x, multiples: np.tile(x, multiples), scoped=False)


@RegisterGradient("Tile")
@batchable
def _tile_grad(op, grad):
    from .math_ops import reduce_sum

    shape_in = np.shape(op.inputs[0]._value)
    batch = batch_dims(grad, op.outputs[0])
    split = []
    for m, d in zip(op.attrs["multiples"], shape_in):
        split += [m, d]
    tiles = list(range(len(batch), len(batch) + len(split), 2))
    return reduce_sum(_reshape(grad, shape=batch + tuple(split)), axis=tiles)


# -- slicing -------------------------------------------------------------------------

_INDEX_TYPES = "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got "


def _normalize_key(key):
    items = tuple(key) if isinstance(key, (tuple, list)) else (key,)
    out = []
    for item in items:
        if item is None or item is Ellipsis:
            out.append(item)
        elif isinstance(item, slice):
            out.append(slice(*(_index_int(v) for v in (item.start, item.stop, item.step))))
        elif isinstance(item, (bool, np.bool_)):
            raise TypeError(_INDEX_TYPES + repr(item))
        else:
            out.append(_index_int(item))
    return tuple(out)


def _index_int(value):
    if value is None:
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if is_tensor_like(value):
        tensor = convert_to_tensor(value)
        if tensor._dtype in (dtypes.int32, dtypes.int64) and tensor.ndim == 0:
            return int(tensor._value)
    raise TypeError(_INDEX_TYPES + repr(value))


def _strided_slice_forward(x, key):
    shape_ = np.shape(x)
    if sum(1 for item in key if item is Ellipsis) > 1:
        raise errors.KernelError("Multiple ellipses in slice spec not allowed")
    # TF's dense spec: which input dimension each item indexes (newaxis none, ellipsis several)
    dims, dim = [], 0
    for item in key:
        if item is Ellipsis:
            dim = len(shape_) - sum(1 for k in key if k is not None and k is not Ellipsis) + dim
            dims.append(None)
            continue
        dims.append(None if item is None else dim)
        if item is not None:
            if dim >= len(shape_):
                raise errors.KernelError(f"Index out of range using input dim {dim}; input has only {len(shape_)} dims")
            dim += 1
    for item, dim in sorted(((item, d) for item, d in zip(key, dims) if d is not None), key=lambda pair: pair[1]):
        if isinstance(item, slice) and item.step == 0:
            raise errors.KernelError(f"strides[{dim}] must be non-zero")
        if isinstance(item, int) and not -shape_[dim] <= item < shape_[dim]:
            shown = item + shape_[dim] if item < 0 else item  # TF shows a negative index plus the size
            raise errors.KernelError(f"slice index {shown} of dimension {dim} out of bounds.")
    result = x[key]
    return result.copy() if isinstance(result, np.ndarray) else result


_strided_slice = Op("StridedSlice", _strided_slice_forward)


def getitem(tensor, key):
    """`tensor[key]`: numpy-style basic indexing, differentiable."""
    if isinstance(key, (bool, np.bool_)) or (is_tensor_like(key) and key.dtype is dtypes.bool_ and key.ndim == 0):
        raise ValueError("mask cannot be scalar.")  # TF hands bool keys to tf.boolean_mask
    return _strided_slice(convert_to_tensor(tensor), name="strided_slice/", key=_normalize_key(key))


def _strided_slice_grad_forward(grad, key, shape):
    out = np.zeros(shape, dtype=np.asarray(grad).dtype)
    out[key] = grad
    return out


_strided_slice_grad = Op("StridedSliceGrad", _strided_slice_grad_forward)


@RegisterGradient("StridedSlice")
@batchable
def _strided_slice_grad_fn(op, grad):
    batch = batch_dims(grad, op.outputs[0])
    key = (slice(None),) * len(batch) + op.attrs["key"]
    return _strided_slice_grad(grad, key=key, shape=batch + np.shape(op.inputs[0]._value))


@RegisterGradient("StridedSliceGrad")
@batchable
def _strided_slice_grad_grad(op, grad):
    return _strided_slice(grad, key=(slice(None),) * len(batch_dims(grad, op.outputs[0])) + op.attrs["key"])


# -- constants and fills -------------------------------------------------------------


def _dtype_or(dtype, default):
    return default if dtype is None else as_dtype(dtype)


def constant(value, dtype=None, shape=None, name="Const"):
    if is_tensor_like(value):
        tensor = convert_to_tensor(value)
        if dtype is not None and as_dtype(dtype) is not tensor._dtype:
            if type(value) is EagerTensor:
                raise TypeError(f"Expected tensor {value} with dtype {dtype!r}, but got dtype {value.dtype!r}.")
            tensor = cast(tensor, dtype)  # a variable goes through numpy, which casts
    else:
        tensor = convert_to_tensor(value, dtype=dtype)
    if shape is None:
        return tensor
    shape = _shape_arg(shape)
    original, value = value, tensor._value
    if np.size(value) == 1:
        return make(np.full(shape, np.reshape(value, ()), dtype=np.asarray(value).dtype), tensor._dtype)
    if np.size(value) != int(np.prod(shape)):
        raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {np.asarray(value)} (converted from {original}) has {np.size(value)} elements, but got `shape` {shape} with {int(np.prod(shape))} elements).")
    return make(np.reshape(value, shape), tensor._dtype)


def _fill_dims(dims):
    """The dims of a Fill: negative ones fail as TF's kernel fails (tf.zeros and tf.ones end in Fill)."""
    dims = _shape_arg(dims)
    for d in dims:
        if d < 0:
            raise errors.kernel_error("Fill", f"Dimension {d} must be >= 0", "")
    return dims


def zeros(shape, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    if dtype is dtypes.string:
        return make(np.full(_fill_dims(shape), b"", dtype=object), dtype)
    return make(np.zeros(_fill_dims(shape), dtype=dtype.np_dtype), dtype)


def ones(shape, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    if dtype is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return make(np.ones(_fill_dims(shape), dtype=dtype.np_dtype), dtype)


_zeros_like = Op("ZerosLike", lambda x: np.full(np.shape(x), b"", dtype=object) if np.asarray(x).dtype == object else np.zeros_like(x))
_ones_like = Op("OnesLike", lambda x: np.ones_like(x))
NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    tensor = convert_to_tensor(input)
    if dtype is not None and as_dtype(dtype) is not tensor._dtype:
        return zeros(np.shape(tensor._value), dtype)
    return _zeros_like(tensor, name=name)


def ones_like(input, dtype=None, name=None):  # noqa: A002
    tensor = convert_to_tensor(input)
    if dtype is not None and as_dtype(dtype) is not tensor._dtype:
        return ones(np.shape(tensor._value), dtype)
    return _ones_like(tensor, name=name)


def fill(dims, value, name=None):
    tensor = convert_to_tensor(value)
    return make(np.full(_fill_dims(dims), tensor._value, dtype=np.asarray(tensor._value).dtype), tensor._dtype)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    matrix = np.eye(num_rows, num_columns, dtype=dtype.np_dtype)
    if batch_shape is not None:
        matrix = np.broadcast_to(matrix, tuple(_shape_arg(batch_shape)) + matrix.shape).copy()
    return make(matrix, dtype)


def linspace(start, stop, num, name=None, axis=0):
    start_t, stop_t = same_dtype("LinSpace", [start, stop], name)
    if start_t._dtype.is_integer:  # TF computes integer endpoints in float64
        start_t, stop_t = cast(start_t, dtypes.float64), cast(stop_t, dtypes.float64)
    if not start_t._dtype.is_floating:
        raise errors.op_error(
            "LinSpace",
            f"Value for attr 'T' of {start_t._dtype.c_name} is not in the list of allowed values: bfloat16, half, float, double",
            name or "",
        )
    num = int(convert_to_tensor(num)._value)
    if num < 0:  # TF's linspace_nd then calls range(1, -1)
        raise errors.kernel_error("Range", "Requires start <= limit when delta > 0: 1/-1", "")
    if np.ndim(start_t._value) or np.ndim(stop_t._value):
        values = np.linspace(start_t._value, stop_t._value, num, dtype=np.float64, axis=axis)
        return make(values.astype(start_t._dtype.np_dtype), start_t._dtype)
    # TF's linspace_nd in the endpoints' dtype: [start, start + i * delta for 0 < i < num - 1, stop][:num]
    kind = start_t._dtype.np_dtype.type
    start_v, stop_v = kind(start_t._value), kind(stop_t._value)
    delta = (stop_v - start_v) / kind(max(num - 1, 1))
    middle = start_v + np.arange(1, max(num - 1, 1), dtype=kind) * delta
    values = np.concatenate([[start_v], middle, [stop_v]]).astype(kind)[:num]
    return make(values, start_t._dtype)


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    """`tf.range` (trailing underscore: the builtin stays usable in this module)."""
    if limit is None:
        start, limit = 0, start
    values = [start, limit, delta]
    if dtype is not None:  # Python values convert to dtype= (TypeError if they do not fit)
        values = [v if is_tensor_like(v) else convert_to_tensor(v, dtype=dtype) for v in values]
    tensors = [convert_to_tensor(v) if is_tensor_like(v) else None for v in values]
    if dtype is None:
        inferred = [t._dtype if t is not None else convert_to_tensor(v)._dtype for t, v in zip(tensors, values)]
        order = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64]
        dtype = max(inferred, key=order.index)
    dtype = as_dtype(dtype)
    # TF casts the three to the dtype, then its kernel adds delta to start one step at a time
    kind = dtype.np_dtype.type
    start_v, limit_v, delta_v = (kind(np.asarray(cast(v, dtype)._value)) for v in values)
    shown = [f"{v:g}" if dtype.is_floating else str(v) for v in (start_v, limit_v, delta_v)]  # C++'s ostream
    if delta_v == 0:
        raise errors.kernel_error("Range", f"Requires delta != 0: {shown[2]}")
    if (delta_v > 0 and start_v > limit_v) or (delta_v < 0 and start_v < limit_v):
        direction = "start <= limit when delta > 0" if delta_v > 0 else "start >= limit when delta < 0"
        raise errors.kernel_error("Range", f"Requires {direction}: {shown[0]}/{shown[1]}")
    if dtype.is_integer:
        size = (abs(int(limit_v) - int(start_v)) + abs(int(delta_v)) - 1) // abs(int(delta_v))
    else:
        size = int(np.ceil(np.abs((limit_v - start_v) / delta_v)))
    steps = np.full(size, delta_v, dtype=dtype.np_dtype)
    if size:
        steps[0] = start_v
    return make(np.add.accumulate(steps, dtype=dtype.np_dtype), dtype)
