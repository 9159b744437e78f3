"""Layout ops that move elements without changing them: strided_slice (the function form),
split, pad, reverse and roll; each with TF's checks and its gradient beside it.

Gradients take a jacobian's batch of upstream gradients (leading dims) as they come: each
works on the trailing dims that match the op's output.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import convert_to_tensor
from ._args import eager_fallback, is_tensor_like
from .array_ops import _check_attr, _strided_slice, concat

# -- strided_slice, the function form -----------------------------------------------------


def _int_vector(value, dtype=dtypes.int32):
    tensor = convert_to_tensor(value, dtype=None if is_tensor_like(value) else dtype)
    return tensor, [int(v) for v in np.reshape(tensor._value, -1)]


def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
):
    """`tf.strided_slice`: the spec of `x[...]` given as vectors and bit masks."""
    del var  # TF uses it only to make slice assignment possible
    slow = eager_fallback(begin, end, strides)
    begin_t, begin_v = _int_vector(begin)
    end_t, end_v = _int_vector(end)
    strides_v = [1] * len(begin_v) if strides is None else _int_vector(strides)[1]
    strides_shape = np.shape(begin_t._value) if strides is None else np.shape(np.asarray(strides))
    if not (len(begin_v) == len(end_v) == len(strides_v)):
        text = (
            "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"{shape_text(np.shape(begin_t._value))}, {shape_text(np.shape(end_t._value))}, "
            f"and {shape_text(strides_shape)} instead."
        )
        raise errors.kernel_error("StridedSlice", text, None if slow else name or "")
    key = []
    for i, (b, e, s) in enumerate(zip(begin_v, end_v, strides_v)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            key.append(slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    x = convert_to_tensor(input_)
    scope = None if slow else name or ""
    try:
        _check_shrinks(np.shape(x._value), key, strides_v)
    except errors.KernelError as exc:
        raise errors.kernel_error("StridedSlice", exc.text, scope) from None
    return _strided_slice(x, name=scope, unscoped=slow, key=tuple(key))


def _check_shrinks(shape, key, strides):
    """The kernel's per-dimension checks that a Python key cannot express: a shrunk index's stride
    (ignored when positive, refused when not), in dimension order with the other checks."""
    if Ellipsis in key:
        return  # the ellipsis's dims come in between; the kernel's own checks still run
    dim = 0
    for item, stride in zip(key, strides):
        if item is None:
            continue
        if dim >= len(shape):
            return
        if stride == 0:
            raise errors.KernelError(f"strides[{dim}] must be non-zero")
        if isinstance(item, int):
            if stride < 0:
                raise errors.KernelError("only stride 1 allowed on non-range indexing.")
            if not -shape[dim] <= item < shape[dim]:
                shown = item + shape[dim] if item < 0 else item
                raise errors.KernelError(f"slice index {shown} of dimension {dim} out of bounds.")
        dim += 1


# -- split ---------------------------------------------------------------------------------


def _split_sizes(shape, axis: int, num_split: int, sizes):
    """(axis, the parts' sizes) with the Split / SplitV kernels' checks, in their order."""
    rank = len(shape)
    if not -rank <= axis < rank:
        raise errors.KernelError(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}")
    axis %= rank
    length = shape[axis]
    if sizes is None:
        if length % num_split:
            raise errors.KernelError(
                "Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {axis} (size = {length}) and num_split {num_split}"
            )
        return axis, (length // num_split,) * num_split
    sizes = list(sizes)
    if len(sizes) == 1 and sizes[0] != length:
        raise errors.KernelError(
            f"If there is only one output, it must have the same size as the input. Input size: {length} output size: {sizes[0]}"
        )
    unknown = -1
    for i, size in enumerate(sizes):
        if size == -1:
            if unknown != -1:
                raise errors.KernelError("There can only be one -1 in the input.")
            unknown = i
        elif size < 0:
            raise errors.KernelError(f"Split size at index {i} must be >= 0. Got: {size}")
    known = sum(s for s in sizes if s != -1)
    if (unknown == -1 and known != length) or (unknown != -1 and known > length):
        raise errors.KernelError(
            "Determined shape must either match input shape along split_dim exactly if fully specified, "
            "or be less than the size of the input along split_dim if not fully specified.  "
            f"Got: {known}"
        )
    if unknown != -1:
        sizes[unknown] = length - known
    return axis, tuple(sizes)


def _split_forward(x, axis, sizes):
    parts = tuple(part.copy() for part in np.split(x, np.cumsum(sizes)[:-1], axis=axis))
    return parts[0] if len(parts) == 1 else parts


def _run_split(op_type, x, num, name, axis, sizes):
    try:
        axis, sizes = _split_sizes(np.shape(x._value), axis, num, sizes)
    except errors.KernelError as exc:  # TF names the kernel with its number of outputs
        raise errors.kernel_error(op_type, exc.text, name, function=f"{op_type}_num_split_{num}") from None
    outputs = Op(op_type, _split_forward, num_outputs=num)(x, name=name, axis=axis, sizes=sizes)
    return list(outputs) if isinstance(outputs, tuple) else [outputs]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """`tf.split`: `num_or_size_splits` equal parts (Split), or parts of the sizes listed (SplitV)."""
    if is_tensor_like(axis):
        axis = convert_to_tensor(axis)._value
    axis = int(axis)
    x = convert_to_tensor(value)
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(num_or_size_splits, bool):
        count = int(num_or_size_splits)
        if count < 1:
            allowed = "Op<name=Split; signature=split_dim:int32, value:T -> output:num_split*T; attr=num_split:int,min=1; attr=T:type>"
            text = f"Value for attr 'num_split' of {count} must be at least minimum 1\n\t; NodeDef: {{{{node Split}}}}; {allowed}"
            raise errors.op_error("Split", text, name if count == 0 else None)  # TF retries -1 on its slow path
        return _run_split("Split", x, count, name, axis=axis, sizes=None)
    sizes = convert_to_tensor(num_or_size_splits)
    if sizes.ndim == 0:
        raise ValueError(
            "Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
            f"Argument provided: {str(num_or_size_splits)}"
        )
    _check_attr("SplitV", "Tlen", sizes, name)
    count = int(num) if num is not None else np.shape(sizes._value)[0]
    if sizes.ndim != 1 or np.size(sizes._value) != count:
        text = (
            "size of the split_tensor must be 1-D and have the same elements as outputs got "
            f"{sizes.ndim} -D and {np.size(sizes._value)} elements"
        )
        raise errors.kernel_error("SplitV", text, name, function=f"SplitV_num_split_{count}")
    listed = tuple(int(s) for s in np.reshape(sizes._value, -1))
    return _run_split("SplitV", x, count, name, axis=axis, sizes=listed)


@RegisterGradient("Split")
@batchable
def _split_grad(op, *grads):
    return concat(list(grads), op.attrs["axis"] + len(batch_dims(grads[0], op.outputs[0])))


RegisterGradient("SplitV")(_split_grad)


# -- pad -------------------------------------------------------------------------------------

_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def _check_paddings(op_type, x, paddings, name):
    rank, shape = np.ndim(x._value), np.shape(paddings._value)
    if len(shape) != 2 or shape[1] != 2:
        raise errors.kernel_error(op_type, f"paddings must be a matrix with 2 columns: {shape_text(shape)}", name)
    if shape[0] != rank:
        comma = "," if op_type == "MirrorPad" else ""
        text = (
            "The first dimension of paddings must be the rank of inputs"
            f"{shape_text(shape)}{comma} {shape_text(np.shape(x._value))}"
        )
        raise errors.kernel_error(op_type, text, name)
    pairs = np.asarray(paddings._value).tolist()
    for before, after in pairs:
        if before < 0 or after < 0:
            lower = "paddings" if op_type == "MirrorPad" else "Paddings"
            raise errors.kernel_error(op_type, f"{lower} must be non-negative: {before} {after}", name)
    return tuple(tuple(p) for p in pairs)


def _pad_forward(x, *constant, paddings):
    x = np.asarray(x)
    if constant:
        fill = constant[0]
    else:
        fill = b"" if x.dtype == object else 0  # TF pads strings with b''
    out = np.full(tuple(d + before + after for d, (before, after) in zip(x.shape, paddings)), fill, dtype=x.dtype)
    out[tuple(slice(before, before + d) for d, (before, _) in zip(x.shape, paddings))] = x
    return out


_pad = Op("Pad", _pad_forward)
_pad_v2 = Op("PadV2", _pad_forward, uniform=True)


def _mirror_pad_forward(x, paddings, mode):
    offset = 0 if mode == "SYMMETRIC" else 1
    for dim, (before, after) in enumerate(paddings):
        size = np.shape(x)[dim]
        if before > size - offset or after > size - offset:
            if offset:
                raise errors.KernelError(
                    f"paddings must be less than the dimension size: {before}, {after} not less than {size}"
                )
            raise errors.KernelError(
                f"paddings must be no greater than the dimension size: {before}, {after} greater than {size}"
            )
    return np.pad(x, paddings, mode="reflect" if offset else "symmetric")


_mirror_pad = Op("MirrorPad", _mirror_pad_forward)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """`tf.pad`: CONSTANT (Pad, or PadV2 with a nonzero constant), REFLECT or SYMMETRIC (MirrorPad)."""
    mode_name = str(mode).upper()
    if mode_name not in _MODES:
        raise ValueError(
            'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
            f"Received `mode` = {mode_name}"
        )
    slow = eager_fallback(paddings)
    scope = None if slow else name or ""
    x = convert_to_tensor(tensor)
    paddings_t = convert_to_tensor(paddings, dtype_hint=dtypes.int32)
    if mode_name == "CONSTANT":
        constant_zero = not is_tensor_like(constant_values) and np.all(np.asarray(constant_values) == 0)
        op_type = "Pad" if constant_zero else "PadV2"
        _check_attr(op_type, "Tpaddings", paddings_t, scope)
        pairs = _check_paddings(op_type, x, paddings_t, scope)
        if constant_zero:
            return _pad(x, name=scope, unscoped=slow, paddings=pairs)
        fill = (
            constant_values if is_tensor_like(constant_values) else convert_to_tensor(constant_values, dtype=x._dtype)
        )
        fill = convert_to_tensor(fill)
        if fill._dtype is not x._dtype:  # TF's slow path reports it, unnamed, as input #2
            raise errors.dtype_mismatch("PadV2", 2, x._dtype, fill._dtype, None)
        return _pad_v2(x, fill, name=scope, unscoped=slow, paddings=pairs)
    _check_attr("MirrorPad", "Tpaddings", paddings_t, scope)
    pairs = _check_paddings("MirrorPad", x, paddings_t, scope)
    return _mirror_pad(x, name=scope, unscoped=slow, paddings=pairs, mode=mode_name)


def _unpadded(op, grad):
    """The gradient's window where the input sits (the padding's gradient is dropped)."""
    from .array_ops import _slice

    lead = len(batch_dims(grad, op.outputs[0]))
    begin = (0,) * lead + tuple(before for before, _ in op.attrs["paddings"])
    return _slice(grad, begin=begin, size=(-1,) * lead + np.shape(op.inputs[0]._value))


@RegisterGradient("Pad")
@batchable
def _pad_grad(op, grad):
    return _unpadded(op, grad)


@RegisterGradient("PadV2")
@batchable
def _pad_v2_grad(op, grad):
    return _unpadded(op, grad), None  # TF gives the constant no gradient


def _mirror_pad_grad_forward(grad, paddings, mode, lead):
    """The adjoint of MirrorPad: each padded element's gradient is added to its mirror image."""
    grad = np.asarray(grad)
    offset = 0 if mode == "SYMMETRIC" else 1
    for dim, (before, after) in enumerate(paddings):
        axis = lead + dim
        size = grad.shape[axis] - before - after
        middle = np.take(grad, np.arange(before, before + size), axis=axis).copy()
        for k in range(before):  # padded position before - 1 - k mirrors input row k + offset
            index = [slice(None)] * grad.ndim
            index[axis] = k + offset
            middle[tuple(index)] += np.take(grad, before - 1 - k, axis=axis)
        for k in range(after):  # padded position before + size + k mirrors row size - 1 - offset - k
            index = [slice(None)] * grad.ndim
            index[axis] = size - 1 - offset - k
            middle[tuple(index)] += np.take(grad, before + size + k, axis=axis)
        grad = middle
    return grad


_mirror_pad_grad = Op("MirrorPadGrad", _mirror_pad_grad_forward)


@RegisterGradient("MirrorPad")
@batchable
def _mirror_pad_grad_fn(op, grad):
    lead = len(batch_dims(grad, op.outputs[0]))
    return _mirror_pad_grad(grad, paddings=op.attrs["paddings"], mode=op.attrs["mode"], lead=lead)


@RegisterGradient("MirrorPadGrad")
@batchable
def _mirror_pad_grad_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0])) + op.attrs["lead"]
    return _mirror_pad(grad, paddings=((0, 0),) * lead + tuple(op.attrs["paddings"]), mode=op.attrs["mode"])


# -- reverse and roll -------------------------------------------------------------------------


def _reverse_forward(x, axes):
    return np.flip(x, axes).copy() if axes else np.array(x, copy=True)


_reverse = Op("ReverseV2", _reverse_forward)


def reverse(tensor, axis, name=None):
    """`tf.reverse`: the elements in reverse order along each axis listed."""
    slow = eager_fallback(axis)
    scope = None if slow else name or ""
    x = convert_to_tensor(tensor)
    axis_t = convert_to_tensor(axis, dtype_hint=dtypes.int32)
    _check_attr("ReverseV2", "Tidx", axis_t, scope)
    if axis_t.ndim != 1:
        raise errors.kernel_error("ReverseV2", f"'dims' must be 1-dimension, not {axis_t.ndim}", scope)
    rank, seen = x.ndim, []
    for i, a in enumerate(int(v) for v in axis_t._value):
        if not -rank <= a < rank:
            raise errors.kernel_error("ReverseV2", f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}", scope)
        if a % rank in seen:
            raise errors.kernel_error("ReverseV2", f"axis {a % rank} specified more than once.", scope)
        seen.append(a % rank)
    return _reverse(x, name=scope, unscoped=slow, axes=tuple(seen))


@RegisterGradient("ReverseV2")
@batchable
def _reverse_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0]))
    return _reverse(grad, axes=tuple(lead + a for a in op.attrs["axes"]))


def _roll_forward(x, shifts, axes):
    return np.roll(x, shifts, axes) if shifts else np.array(x, copy=True)


_roll = Op("Roll", _roll_forward)


def roll(input, shift, axis, name=None):  # noqa: A002 (TF's argument name)
    """`tf.roll`: elements shifted cyclically along each axis (shifts on one axis add up)."""
    slow = eager_fallback(shift, axis)
    scope = None if slow else name or ""
    x = convert_to_tensor(input)
    shift_t = convert_to_tensor(shift, dtype_hint=dtypes.int32)
    axis_t = convert_to_tensor(axis, dtype_hint=dtypes.int32)
    _check_attr("Roll", "Tshift", shift_t, scope)
    _check_attr("Roll", "Taxis", axis_t, scope)
    if x.ndim < 1:
        raise errors.kernel_error("Roll", "input must be 1-D or higher", scope)
    for label, t in (("shift", shift_t), ("axis", axis_t)):
        if t.ndim > 1:
            raise errors.kernel_error(
                "Roll", f"{label} must be a scalar or a 1-D vector. Found: {shape_text(np.shape(t._value))}", scope
            )
    shifts = [int(v) for v in np.reshape(shift_t._value, -1)]
    axes = [int(v) for v in np.reshape(axis_t._value, -1)]
    if len(shifts) != len(axes):
        raise errors.kernel_error("Roll", "shift and axis must have the same size", scope)
    for a in axes:
        shown = a + x.ndim if a < 0 else a  # TF adds the rank once, and reports the result
        if not 0 <= shown < x.ndim:
            raise errors.kernel_error("Roll", f"axis {shown} is out of range", scope)
    return _roll(x, name=scope, unscoped=slow, shifts=tuple(shifts), axes=tuple(a % x.ndim for a in axes))


@RegisterGradient("Roll")
@batchable
def _roll_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0]))
    shifts = tuple(-s for s in op.attrs["shifts"])
    return _roll(grad, shifts=shifts, axes=tuple(lead + a for a in op.attrs["axes"]))
