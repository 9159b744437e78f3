"""Shapes, layout, casts, fills and slicing: each op with its gradient beside it."""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.dtypes import as_dtype
from .._core.errors import shape_text
from .._core.indexed_slices import TF_CLASS, IndexedSlices, is_indexed_slices
from .._core.opdefs import allowed_dtypes, describe
from .._core.ops import NotDifferentiable, Op, RegisterGradient, batch_dims, batchable, takes_indexed_slices
from .._core.tensor import EagerTensor, convert_to_tensor, make
from .._core.shape import TensorShape
from ._args import eager_fallback, int_argument, is_tensor_like, same_dtype, scalar

# -- identity, stop_gradient, cast ---------------------------------------------------

_identity = Op("Identity", lambda x: x)


def identity(input, name=None):  # noqa: A002 (TF's argument name)
    if is_indexed_slices(input):  # TF maps it over a composite's parts
        return _parts_mapped(identity, input)
    return _identity(convert_to_tensor(input), name=name)


def _parts_mapped(fn, slices):
    """An IndexedSlices of `fn` of each part (TF's nest.map_structure with expand_composites)."""
    shape = None if slices.dense_shape is None else fn(slices.dense_shape)
    return IndexedSlices(fn(slices.values), fn(slices.indices), shape)


@RegisterGradient("Identity")
@batchable
@takes_indexed_slices
def _identity_grad(op, grad):
    return grad


_stop_gradient = Op("StopGradient", lambda x: x)
NotDifferentiable("StopGradient")


def stop_gradient(input, name=None):  # noqa: A002
    # TF runs it with every tape paused: its output is not watched, a variable read is not an access.
    from .._core.tape import stop_recording_all

    if is_indexed_slices(input):
        return _parts_mapped(stop_gradient, input)
    with stop_recording_all():
        return _stop_gradient(convert_to_tensor(input), name=name)


def _cast_forward(x, DstT):  # noqa: N803 (TF's attr name)
    # cast() has refused strings already; to bool, TF (like C) maps any non-zero to True.
    if DstT is dtypes.bool_:
        return np.not_equal(x, 0)
    array = np.asarray(x)
    if array.dtype.kind == "c" and not DstT.is_complex:  # the real part, as TF (and numpy, without its warning)
        array = array.real
    return array.astype(DstT.np_dtype)


_cast = Op("Cast", _cast_forward)


def cast(x, dtype, name=None):
    dtype = as_dtype(dtype)
    if is_tensor_like(x) and x.dtype is dtype:
        return x  # as TF: a variable comes back itself
    if is_indexed_slices(x):  # TF casts the values, and keeps the rows
        return IndexedSlices(cast(x.values, dtype, name), x.indices, x.dense_shape)
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
@takes_indexed_slices
def _cast_grad(op, grad):
    source = op.inputs[0]._dtype
    if source.trainable and grad.dtype.trainable:
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
        raise errors.KernelError(
            f"Input to reshape is a tensor with {np.size(x)} values, but the requested shape "
            + (f"requires a multiple of {size}" if -1 in shape else f"has {size}"),
        ) from None


_reshape = Op("Reshape", _reshape_forward, scoped=False)


def _shape_arg(shape):
    if is_tensor_like(shape):
        shape = convert_to_tensor(shape).numpy()
    return tuple(int(d) for d in np.reshape(np.asarray(shape, dtype=np.int64), -1))


def _shape_input(shape, op_type: str, attr: str, name, not_a_vector, scalar_ok=False) -> tuple:
    """A shape-like input (Reshape's shape, Tile's multiples, BroadcastTo's shape, Fill's dims) as
    TF takes it: converted as an int32/int64 argument, then the kernel wants a vector."""
    slow = eager_fallback(shape)
    error_name = None if slow else name or ""
    tensor = int_argument(shape, op_type, attr, error_name, slow)
    rank = np.ndim(tensor._value)
    if rank != 1 and not (scalar_ok and rank == 0):
        raise errors.kernel_error(op_type, not_a_vector(shape_text(np.shape(tensor._value))), error_name)
    return tuple(int(d) for d in np.reshape(tensor._value, -1))


def reshape(tensor, shape, name=None):
    tensor = convert_to_tensor(tensor)
    shape = _shape_input(shape, "Reshape", "Tshape", name, lambda s: f"sizes input must be 1-D, not {s}", True)
    return _reshape(tensor, name=name, shape=shape)


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
        raise errors.KernelError(f"Tried to expand dim index {axis} for tensor with {np.ndim(x)} dimensions.")
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
            raise errors.KernelError(
                f"Can not squeeze dim[{d % np.ndim(x)}], expected a dimension of 1, got {np.shape(x)[d]}",
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
    if conjugate and a._dtype.is_complex:  # TF's ConjugateTranspose: same values and gradient as Conj of Transpose
        from .math_ops import _conj

        return _conj(_transpose(a, perm=perm), name=name)
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
    for d in shape:
        if d < 0:
            raise errors.KernelError(f"Dimension {d} must be >= 0")
    if np.ndim(x) > len(shape):
        raise errors.KernelError(
            f"Rank of input ({np.ndim(x)}) must be no greater than rank of output shape ({len(shape)})."
        )
    try:  # TF's BCast broadcasts both ways; a result other than the requested shape is refused after
        both = np.broadcast_shapes(np.shape(x), tuple(shape))
    except ValueError:
        raise errors.KernelError(f"Incompatible shapes: {shape_text(np.shape(x))} vs. {shape_text(shape)}") from None
    if both != tuple(shape):
        raise errors.KernelError(
            f"Unable to broadcast tensor of shape {shape_text(np.shape(x))} to tensor of shape {shape_text(shape)}"
        )
    return np.broadcast_to(x, shape).copy()


_broadcast_to = Op("BroadcastTo", _broadcast_to_forward)


def broadcast_to(input, shape, name=None):  # noqa: A002
    tensor, slow = convert_to_tensor(input), eager_fallback(input, shape)
    shape = _shape_input(
        shape, "BroadcastTo", "Tidx", name, lambda s: f"shape must be a vector of {{int32,int64}}, got shape {s}"
    )
    return _broadcast_to(tensor, name=name, shape=shape, unscoped=slow)


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
        raise errors.kernel_error(
            "ConcatV2",
            f"ConcatOp : Expected concatenating dimensions in the range [{-rank_}, {rank_}), but got {axis}",
            name,
            function=f"ConcatV2_N_{len(tensors)}",
        )
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
@takes_indexed_slices
def _concat_grad(op, grad):
    axis = op.attrs["axis"]
    if is_indexed_slices(grad):
        return _concat_rows_grad(op, grad) if axis == 0 else _concat_columns_grad(op, grad)
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


def _concat_rows_grad(op, grad):
    """TF's IndexedSlices gradient of a concat on axis 0: each input gets the rows in its range."""
    from .math_ops import subtract

    grads, start = [], 0
    positions = np.asarray(grad.indices._value)
    for x in op.inputs:
        end = start + x._value.shape[0]
        chosen = make(np.flatnonzero((positions >= start) & (positions < end)).astype(np.int64), dtypes.int64)
        offset = make(grad.indices._dtype.np_dtype.type(start), grad.indices._dtype)
        indices = _gather_v2(grad.indices, chosen, axis=0, batch_dims=0, lead=0)
        values = _gather_v2(grad.values, chosen, axis=0, batch_dims=0, lead=0)
        grads.append(IndexedSlices(values, subtract(indices, offset), _shape_of(x)))
        start = end
    return grads


def _concat_columns_grad(op, grad):
    """TF's IndexedSlices gradient of a concat on another axis: all the rows, the input's columns."""
    axis = op.attrs["axis"]
    grads, start = [], 0
    for x in op.inputs:
        width = x._value.shape[axis]
        begin = [0] * grad.values.ndim
        begin[axis] = start
        size_ = [-1] + list(x._value.shape[1:])
        grads.append(
            IndexedSlices(_slice(grad.values, begin=tuple(begin), size=tuple(size_)), grad.indices, _shape_of(x))
        )
        start += width
    return grads


def _shape_of(x):
    """`tf.shape(x)`, int32: the dense_shape TF gives the IndexedSlices it builds for `x`."""
    return make(np.array(np.shape(x._value), dtype=np.int32), dtypes.int32)


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
    if not isinstance(values, (list, tuple)):
        if axis == 0:
            try:  # TF converts the whole value first: a tensor, array or string comes back as it is
                return convert_to_tensor(values)
            except (TypeError, ValueError, NotImplementedError):
                pass
        values = _stack_operands(values, axis)
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


def _stack_operands(values, axis):
    """The operands TF's stack packs from a value that is not a list (and did not convert whole):
    its first element sets the rank, and the Pack op iterates a tensor but refuses anything else."""
    rank_ = np.ndim(convert_to_tensor(values[0])._value) + 1
    if not -rank_ <= axis < rank_:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
    if is_tensor_like(values):
        return list(values)
    if isinstance(values, np.ndarray):
        raise ValueError(f"expected a sequence for attr N, got an ndarray with rank {values.ndim} instead")
    raise TypeError(f"Expected list for 'values' argument to 'pack' Op, not {values!r}.")


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
    tensor = convert_to_tensor(input)
    multiples = _shape_input(
        multiples, "Tile", "Tmultiples", name, lambda s: f"Expected multiples to be 1-D, but got shape {s}"
    )
    if len(multiples) != tensor.ndim:
        raise errors.kernel_error(
            "Tile",
            f"Expected multiples argument to be a vector of length {tensor.ndim} but got length {len(multiples)}",
            None,
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
    if not shape_ and any(item is not None and item is not Ellipsis for item in key):
        raise errors.KernelError("Attempting to slice scalar input.")
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
    if (
        isinstance(key, (bool, np.bool_))
        or (is_tensor_like(key) and key.dtype is dtypes.bool_)
        or (isinstance(key, np.ndarray) and key.dtype == np.bool_)
    ):  # TF hands bool keys to tf.boolean_mask
        from .composite_ops import boolean_mask

        return boolean_mask(tensor, key)
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
    if is_indexed_slices(value):  # TF's constant converts values only, not through conversion functions
        raise ValueError(
            f"Attempt to convert a value ({value!r}) with an unsupported type (<class '{TF_CLASS}'>) to a Tensor."
        )
    if is_tensor_like(value):
        tensor = convert_to_tensor(value)
        if dtype is not None and as_dtype(dtype) is not tensor._dtype:
            if type(value) is EagerTensor:
                raise TypeError(f"Expected tensor {value} with dtype {dtype!r}, but got dtype {value.dtype!r}.")
            tensor = cast(tensor, dtype)  # a variable goes through numpy, which casts
        if type(value) is not EagerTensor:  # a variable: through numpy, so off the tape (None gradient)
            tensor = make(tensor._value, tensor._dtype)
    else:
        tensor = convert_to_tensor(value, dtype=dtype)
    if shape is None:
        return tensor
    dims = TensorShape(shape).as_list()  # TF's as_shape checks each dimension first (a tensor's too)
    if dims == list(np.shape(tensor._value)):
        return tensor  # TF hands it back as it is
    original, value = value, tensor._value
    count = np.size(value)
    wanted = None if None in dims else int(np.prod(dims, dtype=object))
    if wanted == count:
        return make(np.reshape(value, dims), tensor._dtype)
    if count == 1:  # TF fills: None or 2**63 in the dims does not convert (ValueError)
        shape = _shape_arg(convert_to_tensor(dims))
        return make(np.full(shape, np.reshape(value, ()), dtype=np.asarray(value).dtype), tensor._dtype)
    raise TypeError(
        f"Eager execution of tf.constant with unsupported shape. Tensor {np.asarray(value)} (converted from "
        f"{original}) has {count} elements, but got `shape` {tuple(dims)} with {wanted} elements)."
    )


def _fill_dims(dims, name=None, value=None):
    """The dims of a Fill (tf.zeros and tf.ones end in one): converted, a vector or a scalar; then
    the kernel wants a scalar value, and no negative dimension."""
    slow = eager_fallback(dims)
    dims = _shape_input(
        dims, "Fill", "index_type", name, lambda s: f"dims must represent a vector, got shape {s}", True
    )
    if value is not None and np.ndim(value._value) != 0 and np.shape(value._value) != (1,):
        # the kernel takes a one-element vector as a scalar too (a legacy scalar)
        text = f"value must represent a scalar, got shape {shape_text(np.shape(value._value))}"
        raise errors.kernel_error("Fill", text, None if slow else name or "")
    for d in dims:
        if d < 0:
            raise errors.kernel_error("Fill", f"Dimension {d} must be >= 0", "")
    return dims


def _filled_shape(shape):
    """tf.zeros' and tf.ones' shape: a tensor as it is; anything else as a TensorShape, or when it
    is none (floats, None in it), converted as int32 (TypeError "Cannot convert [2.0] ...")."""
    if type(shape) is EagerTensor:
        return shape
    try:
        dims = TensorShape(shape).as_list()
        if None in dims:
            raise ValueError("a partially known shape")
        return dims
    except (TypeError, ValueError):
        return convert_to_tensor(shape, dtype=dtypes.int32)


def zeros(shape, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    shape = _filled_shape(shape)
    if dtype is dtypes.string:
        return make(np.full(_fill_dims(shape), b"", dtype=object), dtype)
    return make(np.zeros(_fill_dims(shape), dtype=dtype.np_dtype), dtype)


def ones(shape, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    shape = _filled_shape(shape)
    if dtype is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return make(np.ones(_fill_dims(shape), dtype=dtype.np_dtype), dtype)


_zeros_like = Op(
    "ZerosLike",
    lambda x: np.full(np.shape(x), b"", dtype=object) if np.asarray(x).dtype == object else np.zeros_like(x),
)
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
    shape = _fill_dims(dims, name, tensor)
    return _fill(tensor, name=name, shape=tuple(shape))


_fill = Op("Fill", lambda value, shape: np.full(shape, np.reshape(value, ()), dtype=np.asarray(value).dtype))


@RegisterGradient("Fill")
@batchable
def _fill_grad(op, grad):
    """The sum of the upstream gradient: a scalar, whatever the value's shape (TF's _FillGrad)."""
    from .math_ops import reduce_sum

    return reduce_sum(grad, axis=list(range(len(batch_dims(grad, op.outputs[0])), np.ndim(grad._value))))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    dtype = as_dtype(dtype)
    matrix = np.eye(num_rows, num_columns, dtype=dtype.np_dtype)
    if batch_shape is not None:
        matrix = np.broadcast_to(matrix, tuple(_shape_arg(batch_shape)) + matrix.shape).copy()
    return make(matrix, dtype)


def linspace(start, stop, num, name=None, axis=0):
    """TF's linspace_nd, op for op: [start, start + i * delta for 0 < i < num - 1, stop][:num] along
    `axis`, in the endpoints' dtype, and differentiable in both endpoints as TF's is."""
    from .math_ops import add, multiply, subtract, truediv

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
    start_shape, stop_shape = np.shape(start_t._value), np.shape(stop_t._value)
    try:
        shape = np.broadcast_shapes(start_shape, stop_shape)
    except ValueError:
        text = f"Incompatible shapes: {shape_text(start_shape)} vs. {shape_text(stop_shape)}"
        raise errors.kernel_error("BroadcastArgs", text, "") from None
    first = expand_dims(broadcast_to(start_t, shape), axis)
    last = expand_dims(broadcast_to(stop_t, shape), axis)
    axis = axis % first.ndim
    steps = max(num - 1, 1)
    delta = truediv(subtract(last, first), scalar(steps, start_t._dtype))
    ramp_shape = [steps - 1 if i == axis else 1 for i in range(first.ndim)]
    ramp = make(np.arange(1, steps, dtype=start_t._dtype.np_dtype).reshape(ramp_shape), start_t._dtype)
    values = concat([first, add(first, multiply(delta, ramp)), last], axis)
    size = list(first.shape)
    size[axis] = num
    return slice_(values, [0] * len(size), size)


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


# -- gather, gather_nd and their sparse gradients ----------------------------------------
# A gather's gradient for its params is an IndexedSlices (the upstream rows, with the
# gathered indices) exactly where TF makes one: axis 0, no batch dims. Elsewhere, and in
# a jacobian's batched pass, it is the dense scatter-add of the upstream gradient.
# Internal calls carry `lead`: leading dims of params (a jacobian's rows) the indices skip.


def _unsupported_attr(op_type: str, attr: str, dtype, name):
    """TF's error for an input whose dtype its op definition does not allow for `attr`."""
    allowed, summary = describe(op_type, attr)
    text = (
        f"Value for attr '{attr}' of {dtype.c_name} is not in the list of allowed values: {allowed}\n"
        f"\t; NodeDef: {{{{node {op_type}}}}}; {summary}"
    )
    return errors.op_error(op_type, text, name)


def _check_attr(op_type: str, attr: str, tensor, name) -> None:
    """TF's op-definition check of one type attribute. With several wrong, which one TF names
    varies from call to call (it walks a protobuf map): the shim names the first in the op def."""
    if tensor._dtype.name not in allowed_dtypes(op_type, attr):
        raise _unsupported_attr(op_type, attr, tensor._dtype, name)


def _where_in(shape, flat: int) -> str:
    """TF's SliceDebugString: a flat position as an index of `shape` ('' for a scalar, '[1,0]')."""
    if not shape:
        return ""
    return "[" + ",".join(str(int(i)) for i in np.unravel_index(flat, shape)) + "]"


def _check_rows(indices, limit: int) -> None:
    flat = np.reshape(indices, -1)
    bad = np.flatnonzero((flat < 0) | (flat >= limit))
    if bad.size:
        i = int(bad[0])
        raise errors.KernelError(f"indices{_where_in(np.shape(indices), i)} = {flat[i]} is not in [0, {limit})")


def _gather_dims(params_rank: int, indices_rank: int, axis: int, batch_dims: int):
    """(axis, batch_dims) made non-negative, with the GatherV2 kernel's checks in its order."""
    least = -axis if axis < 0 else axis + 1
    if params_rank < least:
        raise errors.KernelError(f"Shape must be at least rank {least} but is rank {params_rank}")
    if axis < 0:
        axis += params_rank
    if batch_dims != 0:
        if not -indices_rank <= batch_dims <= indices_rank:
            raise errors.KernelError(
                f"Expected batch_dims in the range [{-indices_rank}, {indices_rank}], but got {batch_dims}"
            )
        if batch_dims < 0:
            batch_dims += indices_rank
        if batch_dims >= params_rank:
            raise errors.KernelError(f"batch_dims ({batch_dims}) must be less than rank(params) ({params_rank}).")
        if axis < batch_dims:
            raise errors.KernelError(f"batch_dims ({batch_dims}) must be less than or equal to axis ({axis}).")
    return axis, batch_dims


def _take(params, indices, axis: int, batch_dims: int, lead: int):
    """numpy's gather; the first `batch_dims` dims of params (after `lead`) go with those of indices."""
    if batch_dims == 0:
        return np.take(params, indices, axis=lead + axis)
    params = np.asarray(params)
    head, batch = params.shape[:lead], np.shape(indices)[:batch_dims]
    tail = (
        params.shape[lead + batch_dims : lead + axis] + np.shape(indices)[batch_dims:] + params.shape[lead + axis + 1 :]
    )
    out = np.empty(head + batch + tail, dtype=params.dtype)
    skip = (slice(None),) * lead
    for at in np.ndindex(*batch):
        out[skip + at] = np.take(params[skip + at], indices[at], axis=lead + axis - batch_dims)
    return out


def _scatter_add(grad, indices, axis: int, batch_dims: int, lead: int, shape):
    """The adjoint of `_take`: `grad` summed into zeros of `grad.shape[:lead] + shape`."""
    grad = np.asarray(grad)
    out = np.zeros(grad.shape[:lead] + tuple(shape), dtype=grad.dtype)
    skip = (slice(None),) * lead
    if batch_dims == 0:
        np.add.at(out, skip + (slice(None),) * axis + (indices,), grad)
        return out
    for at in np.ndindex(*np.shape(indices)[:batch_dims]):
        np.add.at(out[skip + at], skip + (slice(None),) * (axis - batch_dims) + (indices[at],), grad[skip + at])
    return out


def _gather_forward(params, indices, axis, batch_dims, lead):
    if np.ndim(params) - lead < 1:
        raise errors.KernelError("params must be at least 1 dimensional")
    rank = np.ndim(params) - lead
    axis, batch_dims = _gather_dims(rank, np.ndim(indices), axis, batch_dims)
    for i in range(batch_dims):
        if np.shape(params)[lead + i] != np.shape(indices)[i]:
            raise errors.KernelError(
                f"params.shape[{i}]: {np.shape(params)[lead + i]} should be equal to indices.shape[{i}]: {np.shape(indices)[i]}"
            )
    _check_rows(indices, np.shape(params)[lead + axis])
    return _take(params, indices, axis, batch_dims, lead)


_gather_v2 = Op("GatherV2", _gather_forward)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """`tf.gather`: slices of `params` along `axis` at `indices` (validated on CPU, as in TF)."""
    del validate_indices  # deprecated in TF: indices are always validated on CPU
    if axis is None:
        axis = batch_dims
    slow = eager_fallback(params, indices, axis)  # TF's slow path reports errors without "name: "
    axis_value = int(convert_to_tensor(axis)._value) if is_tensor_like(axis) else axis
    if axis_value == 0:  # TF then drops batch_dims, and reads a variable's rows (ResourceGather)
        if getattr(params, "_is_variable", False):
            return resource_gather(params, indices, name)
        batch_dims = 0
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    name = None if slow else (name or "")
    for attr, tensor in (("Tindices", indices), ("Taxis", convert_to_tensor(axis))):
        _check_attr("GatherV2", attr, tensor, name)
    return _gather_v2(
        params, indices, name=name, unscoped=slow, axis=int(axis_value), batch_dims=int(batch_dims), lead=0
    )


def _rows_gradient(grad, indices, params_shape, dense_shape_dtype=dtypes.int32):
    """TF's IndexedSlices gradient of an axis-0 gather: the upstream rows, one per index."""
    size = int(np.size(indices._value))
    values = _reshape(grad, shape=(size,) + tuple(params_shape[1:]))
    dense_shape = make(np.array(params_shape, dtype=dense_shape_dtype.np_dtype), dense_shape_dtype)
    return IndexedSlices(values, _reshape(indices, shape=(size,)), dense_shape)


@RegisterGradient("GatherV2")
@batchable
def _gather_v2_grad(op, grad):
    params, indices = op.inputs
    lead = op.attrs["lead"]
    batch = batch_dims(grad, op.outputs[0])
    if op.attrs["axis"] == 0 and lead == 0 and not batch:  # TF looks at the axis as given: -rank is dense
        return _rows_gradient(grad, indices, np.shape(params._value)), None
    shape = np.shape(params._value)[lead:]
    axis, batch_dims_ = _gather_dims(len(shape), indices.ndim, op.attrs["axis"], op.attrs["batch_dims"])
    return _gather_grad(grad, indices, axis=axis, batch_dims=batch_dims_, lead=len(batch) + lead, shape=shape), None


def _gather_grad_forward(grad, indices, axis, batch_dims, lead, shape):
    return _scatter_add(grad, indices, axis, batch_dims, lead, shape)


# Not a TF op: TF builds the dense gradient from UnsortedSegmentSum and transposes; here
# it is one op, whose own gradient is a gather (outer tapes and jacobians need one).
_gather_grad = Op("GatherV2Grad", _gather_grad_forward)


@RegisterGradient("GatherV2Grad")
@batchable
def _gather_grad_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0])) + op.attrs["lead"]
    attrs = {"axis": op.attrs["axis"], "batch_dims": op.attrs["batch_dims"], "lead": lead}
    return _gather_v2(grad, op.inputs[1], **attrs), None


def _resource_gather_forward(params, indices):
    if np.ndim(params) < 1:
        raise errors.KernelError("params must be at least 1 dimensional")
    _check_rows(indices, np.shape(params)[0])
    return np.take(params, indices, axis=0)


_resource_gather = Op("ResourceGather", _resource_gather_forward)


def _accessed(variable) -> None:
    """TF's variable_accessed: tapes watch a trainable variable read this way, watchers see it."""
    from .._core import tape

    if tape.state.tapes:
        tape.variable_accessed(variable)
    if tape.state.watchers:
        tape.notify_watchers(variable)


def resource_gather(variable, indices, name=None):
    """`variable.sparse_read(indices)`: rows of a variable without reading it whole (TF's
    ResourceGather). The variable counts as accessed, so tapes watch it, as in TF."""
    _accessed(variable)
    slow = eager_fallback(indices)
    indices = convert_to_tensor(indices)
    _check_attr("ResourceGather", "Tindices", indices, None if slow else "")
    return _resource_gather(variable, indices, name=None if slow else "", unscoped=slow)  # TF's scope name is ""


@RegisterGradient("ResourceGather")
@batchable
def _resource_gather_grad(op, grad):
    variable, indices = op.inputs
    shape = np.shape(variable._value)
    batch = batch_dims(grad, op.outputs[0])
    if not batch:
        return _rows_gradient(grad, indices, shape), None
    return _gather_grad(grad, indices, axis=0, batch_dims=0, lead=len(batch), shape=shape), None


def _segment_sum_forward(data, segment_ids, num_segments):
    ids_shape, data_shape = np.shape(segment_ids), np.shape(data)
    if data_shape[: len(ids_shape)] != ids_shape:
        raise errors.KernelError(
            f"data.shape = {shape_text(data_shape)} does not start with segment_ids.shape = {shape_text(ids_shape)}"
        )
    flat = np.reshape(segment_ids, -1)
    bad = np.flatnonzero(flat >= num_segments)
    if bad.size:
        i = int(bad[0])
        raise errors.KernelError(
            f"segment_ids{_where_in(ids_shape, i)} = {flat[i]} is out of range [0, {num_segments})"
        )
    rows = np.reshape(data, (flat.size,) + data_shape[len(ids_shape) :])
    out = np.zeros((num_segments,) + data_shape[len(ids_shape) :], dtype=np.asarray(data).dtype)
    kept = flat >= 0  # TF drops negative ids
    np.add.at(out, flat[kept], rows[kept])
    return out


_unsorted_segment_sum = Op("UnsortedSegmentSum", _segment_sum_forward)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """`tf.math.unsorted_segment_sum`: rows of `data` summed by id; negative ids are dropped."""
    slow = eager_fallback(data, segment_ids, num_segments)
    data, segment_ids, count = convert_to_tensor(data), convert_to_tensor(segment_ids), convert_to_tensor(num_segments)
    for attr, tensor in (("T", data), ("Tindices", segment_ids), ("Tnumsegments", count)):
        _check_attr("UnsortedSegmentSum", attr, tensor, None if slow else name or "")
    count = int(count._value)
    return _unsorted_segment_sum(data, segment_ids, name=name, unscoped=slow, num_segments=count)


@RegisterGradient("UnsortedSegmentSum")
@batchable
def _unsorted_segment_sum_grad(op, grad):
    """TF's _GatherDropNegatives: each row's gradient is its segment's; rows with a negative id get 0."""
    ids = op.inputs[1]
    lead = len(batch_dims(grad, op.outputs[0]))
    clipped = make(np.maximum(ids._value, 0).astype(np.asarray(ids._value).dtype), ids._dtype)
    gathered = _gather_v2(grad, clipped, axis=0, batch_dims=0, lead=lead)
    if np.all(np.asarray(ids._value) >= 0):
        return gathered, None
    from .math_ops import _select

    rest = gathered.ndim - lead - ids.ndim
    keep = np.reshape(np.asarray(ids._value) >= 0, (1,) * lead + np.shape(ids._value) + (1,) * rest)
    return _select(make(keep, dtypes.bool_), gathered, zeros_like(gathered)), None


def _nd_locations(params, indices, op_name):
    """The GatherNd kernel's checks, in its order (`op_name` is the node name it reports)."""
    if np.ndim(params) < 1:
        raise errors.KernelError("params must be at least a vector")
    if np.ndim(indices) < 1:
        raise errors.KernelError("indices must be at least a vector")
    depth = np.shape(indices)[-1]
    if depth > np.ndim(params):
        raise errors.KernelError(
            f"index innermost dimension length must be <= params rank; saw: {depth} vs. {np.ndim(params)}"
        )
    vectors = np.reshape(indices, (int(np.prod(np.shape(indices)[:-1])), depth))
    limits = np.array(np.shape(params)[:depth])
    bad = np.flatnonzero(np.any((vectors < 0) | (vectors >= limits), axis=1)) if depth else ()
    if len(bad):
        i = int(bad[0])
        found = ", ".join(str(int(v)) for v in vectors[i])
        raise errors.KernelError(
            f"indices{_where_in(np.shape(indices)[:-1], i)} = [{found}] does not index into param shape "
            f"{shape_text(np.shape(params))}, node name: {op_name}"
        )


def _nd_take(params, indices, lead: int):
    params = np.asarray(params)
    depth = np.shape(indices)[-1]
    outer = np.shape(indices)[:-1]
    if depth == 0:  # every index vector takes all of params
        head, rest = params.shape[:lead], params.shape[lead:]
        return np.broadcast_to(np.reshape(params, head + (1,) * len(outer) + rest), head + outer + rest).copy()
    return params[(slice(None),) * lead + tuple(np.moveaxis(np.asarray(indices), -1, 0))]


def _nd_scatter_add(updates, indices, lead: int, shape):
    updates = np.asarray(updates)
    out = np.zeros(updates.shape[:lead] + tuple(shape), dtype=updates.dtype)
    depth = np.shape(indices)[-1]
    if depth == 0:
        outer = len(np.shape(indices)) - 1
        return out + np.sum(updates, axis=tuple(range(lead, lead + outer)))
    np.add.at(out, (slice(None),) * lead + tuple(np.moveaxis(np.asarray(indices), -1, 0)), updates)
    return out


def _gather_nd_forward(params, indices, lead):
    if lead == 0:
        _nd_locations(params, indices, "GatherNd")
    return _nd_take(params, indices, lead)


_gather_nd = Op("GatherNd", _gather_nd_forward)


def gather_nd(params, indices, batch_dims=0, name=None, bad_indices_policy=""):
    """`tf.gather_nd` (batch_dims 0): the slices of `params` that index vectors address."""
    if batch_dims != 0:
        raise NotImplementedError("shim: tf.gather_nd with batch_dims != 0 is not implemented")
    slow = eager_fallback(params, indices)
    if getattr(params, "_is_variable", False):  # TF: ResourceGatherNd, then an Identity
        return identity(_resource_gather_nd(params, indices, slow))
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    name = None if slow else (name or "")
    _check_attr("GatherNd", "Tindices", indices, name)
    return _gather_nd(params, indices, name=name, unscoped=slow, lead=0)


def _nd_rows_or_scatter(grad, indices, shape, batch):
    """TF's GatherNd gradient: IndexedSlices for [n, 1] indices (rows), else a dense ScatterNd."""
    if indices.ndim == 2 and np.shape(indices._value)[1] == 1 and not batch:
        dense_shape = make(np.array(shape, dtype=indices._dtype.np_dtype), indices._dtype)
        return IndexedSlices(grad, _squeeze(indices, squeeze_dims=(-1,)), dense_shape)
    return _scatter_nd(indices, grad, lead=len(batch), shape=tuple(shape))


@RegisterGradient("GatherNd")
@batchable
def _gather_nd_grad(op, grad):
    params, indices = op.inputs
    lead = op.attrs["lead"]
    batch = batch_dims(grad, op.outputs[0])
    if lead:  # an internal gather (a ScatterNd's gradient): always dense
        return _scatter_nd(indices, grad, lead=len(batch) + lead, shape=np.shape(params._value)[lead:]), None
    return _nd_rows_or_scatter(grad, indices, np.shape(params._value), batch), None


def _resource_gather_nd_forward(params, indices):
    _nd_locations(params, indices, "ResourceGatherNd")
    return _nd_take(params, indices, 0)


_resource_gather_nd_op = Op("ResourceGatherNd", _resource_gather_nd_forward)


def _resource_gather_nd(variable, indices, slow):
    _accessed(variable)
    indices = convert_to_tensor(indices)
    _check_attr("ResourceGatherNd", "Tindices", indices, None if slow else "")
    return _resource_gather_nd_op(variable, indices, name=None if slow else "", unscoped=slow)


@RegisterGradient("ResourceGatherNd")
@batchable
def _resource_gather_nd_grad(op, grad):
    variable, indices = op.inputs
    return _nd_rows_or_scatter(grad, indices, np.shape(variable._value), batch_dims(grad, op.outputs[0])), None


def _scatter_nd_forward(indices, updates, lead, shape):
    return _nd_scatter_add(updates, indices, lead, shape)


# TF's ScatterNd(indices, updates, shape), its shape an attr here, plus `lead`.
_scatter_nd = Op("ScatterNd", _scatter_nd_forward, typed_input=1)


@RegisterGradient("ScatterNd")
@batchable
def _scatter_nd_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0])) + op.attrs["lead"]
    return None, _gather_nd(grad, op.inputs[0], lead=lead)


def scatter_rows(variable, indices, updates, op_type, combine, name=None):
    """A variable's new value after TF's ResourceScatter* op `op_type`: `combine(row, update)` for
    each index in turn (repeated rows accumulate; a repeated update keeps the last)."""
    slow = eager_fallback(indices)
    indices = convert_to_tensor(indices)
    name = None if slow else name or ""
    _check_attr(op_type, "Tindices", indices, name)
    value, rows, ups = np.asarray(variable._value), np.asarray(indices._value), np.asarray(updates._value)
    if ups.ndim != 0 and ups.ndim != rows.ndim + value.ndim - 1:
        raise errors.kernel_error(
            op_type,
            "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got updates.shape "
            f"{shape_text(ups.shape)}, indices.shape {shape_text(rows.shape)}, params.shape {shape_text(value.shape)}",
            name,
        )
    try:
        _check_rows(rows, value.shape[0])
    except errors.KernelError as exc:
        raise errors.kernel_error(op_type, exc.text, name) from None
    new = value.copy()
    flat = rows.reshape(-1)
    ups = (
        np.broadcast_to(ups, flat.shape + value.shape[1:])
        if ups.ndim == 0
        else ups.reshape(flat.shape + value.shape[1:])
    )
    for row, update in zip(flat, ups):
        new[row] = combine(new[row], update)
    return new
