"""tf.scatter_nd, tf.tensor_scatter_nd_update and tf.tensor_scatter_nd_add: updates written
(or added) at the positions index vectors address, with the kernels' checks and gradients.

Internal calls carry `lead`: leading dims of the tensor and the updates (a jacobian's rows)
that the indices skip.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import convert_to_tensor
from ._args import eager_fallback, is_tensor_like, same_dtype
from .array_ops import _check_attr, _gather_nd, _scatter_nd, identity, zeros_like

# -- the kernels' checks ---------------------------------------------------------------------------


def _indices_and_updates(indices_shape, updates_shape, shape, output_name):
    """The shape checks ScatterNd (`output_name` "input") and TensorScatter* ("output") share, in order."""
    outer = len(indices_shape) - 1
    scatter = output_name == "input"
    for i in range(outer):
        if i >= len(updates_shape) or indices_shape[i] != updates_shape[i]:
            if scatter:
                raise errors.KernelError(
                    f"Dimensions [0,{outer}) of indices[shape={shape_text(indices_shape)}] must match dimensions "
                    f"[0,{outer}) of updates[shape={shape_text(updates_shape)}]"
                )
            raise errors.KernelError(
                f"Outer dimensions of indices and update must match. Indices shape: {shape_text(indices_shape)}, "
                f"updates shape:{shape_text(updates_shape)}"
            )
    depth = indices_shape[outer]
    suffix = (
        f"Dimensions [{depth},{len(shape)}) of input[shape={shape_text(shape)}] must match dimensions "
        f"[{outer},{len(updates_shape)}) of updates[shape={shape_text(updates_shape)}]"
    )
    if len(updates_shape) - outer != len(shape) - depth:
        if scatter:
            raise errors.KernelError(suffix)
        raise errors.KernelError(
            "Inner dimensions of output shape must match inner dimensions of updates shape. "
            f"Output: {shape_text(shape)} updates: {shape_text(updates_shape)}"
        )
    for i in range(len(updates_shape) - outer):
        if updates_shape[outer + i] != shape[depth + i]:
            if scatter:
                raise errors.KernelError(suffix)
            raise errors.KernelError(
                f"The inner {len(shape) - depth} dimensions of output.shape={shape_text(shape)} must match the inner "
                f"{len(updates_shape) - outer} dimensions of updates.shape={shape_text(updates_shape)}"
            )


def _check_locations(indices, shape):
    depth = np.shape(indices)[-1]
    vectors = np.reshape(indices, (-1, depth))
    bad = np.flatnonzero(np.any((vectors < 0) | (vectors >= np.array(shape[:depth], dtype=np.int64)), axis=1))
    if len(bad):
        i = int(bad[0])
        found = ", ".join(str(int(v)) for v in vectors[i])
        raise errors.KernelError(f"indices[{i}] = [{found}] does not index into shape {shape_text(shape)}")


# -- scatter_nd ------------------------------------------------------------------------------------


def scatter_nd(indices, updates, shape, name=None):
    """`tf.scatter_nd`: zeros of `shape` with `updates` added at `indices` (repeats add up)."""
    slow = eager_fallback(indices, updates, shape)
    scope = None if slow else name or ""
    if is_tensor_like(indices) or is_tensor_like(shape):  # lists take the first tensor's dtype
        indices, shape_t = same_dtype("ScatterNd", [indices, shape], scope)
    else:  # no tensor: the shape converts to the indices' dtype (a TypeError if it cannot)
        indices = convert_to_tensor(indices)
        shape_t = convert_to_tensor(shape, dtype=indices._dtype)
    updates = convert_to_tensor(updates)
    _check_attr("ScatterNd", "Tindices", indices, scope)
    dims = tuple(int(d) for d in np.reshape(shape_t._value, -1))
    try:
        for d in dims:
            if d < 0:
                raise errors.KernelError(f"Dimension {d} must be >= 0")
        if indices.ndim < 1:
            raise errors.KernelError(
                f"Indices shape must have rank at least one. Found:{shape_text(np.shape(indices._value))}"
            )
        if int(np.prod(dims)) == 0 and (np.size(indices._value) or np.size(updates._value)):
            raise errors.KernelError(
                f"Indices and updates specified for empty output.  indices shape: {shape_text(np.shape(indices._value))}"
            )
        _indices_and_updates(np.shape(indices._value), np.shape(updates._value), dims, "input")
        _check_locations(indices._value, dims)
    except errors.KernelError as exc:
        raise errors.kernel_error("ScatterNd", exc.text, scope) from None
    return _scatter_nd(indices, updates, name=scope, unscoped=slow, lead=0, shape=dims)


# -- tensor_scatter_nd_update and _add -------------------------------------------------------------


def _tensor_scatter_forward(tensor, indices, updates, lead, add):
    """Index vector by index vector, in order: repeated positions add up, or the last update wins
    (as on TF's CPU). A vector of length 0 addresses the whole tensor."""
    out = np.array(tensor, copy=True)
    depth = np.shape(indices)[-1]
    vectors = np.reshape(indices, (-1, depth))
    head = (slice(None),) * lead
    rows = np.reshape(updates, np.shape(updates)[:lead] + (len(vectors),) + np.shape(out)[lead + depth :])
    for k, vector in enumerate(vectors):
        where = head + tuple(int(v) for v in vector)
        row = rows[head + (k,)]
        out[where] = out[where] + row if add else row
    return out


_update = Op("TensorScatterUpdate", lambda t, i, u, lead: _tensor_scatter_forward(t, i, u, lead, False))
_add = Op("TensorScatterAdd", lambda t, i, u, lead: _tensor_scatter_forward(t, i, u, lead, True))

# The CPU kernels TF registers for TensorScatterAdd (a bool or string tensor has none).
_ADD_TYPES = (
    "COMPLEX128",
    "COMPLEX64",
    "DOUBLE",
    "FLOAT",
    "BFLOAT16",
    "HALF",
    "INT32",
    "INT8",
    "UINT8",
    "INT16",
    "UINT16",
    "UINT32",
    "INT64",
    "UINT64",
)
_ADD_XLA = (
    "DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, DT_INT64, DT_BOOL, DT_QINT8, "
    "DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64, DT_FLOAT8_E5M2, "
    "DT_FLOAT8_E4M3FN, DT_FLOAT8_E4M3FNUZ, DT_FLOAT8_E4M3B11FNUZ, DT_FLOAT8_E5M2FNUZ, DT_INT4, DT_UINT4"
)


def _no_add_kernel(tensor, indices):
    kernels = f"  device='XLA_CPU_JIT'; Tindices in [DT_INT32, DT_INT64]; T in [{_ADD_XLA}]\n" + "".join(
        f"  device='CPU'; T in [DT_{t}]; Tindices in [DT_{i}]\n" for t in _ADD_TYPES for i in ("INT64", "INT32")
    )
    text = (
        f"Could not find device for node: {{{{node TensorScatterAdd}}}} = TensorScatterAdd[T=DT_{tensor._dtype.name.upper()}, "
        f'Tindices=DT_{indices._dtype.name.upper()}, bad_indices_policy=""]\n'
        f"All kernels registered for op TensorScatterAdd:\n{kernels}"
    )
    return errors.op_error("TensorScatterAdd", text, None, errors.NotFoundError)


def _tensor_scatter(op, op_type, tensor, indices, updates, name):
    slow = eager_fallback(tensor, indices, updates)
    scope = None if slow else name or ""
    tensor, indices = convert_to_tensor(tensor), convert_to_tensor(indices)
    updates = convert_to_tensor(updates, dtype=None if is_tensor_like(updates) else tensor._dtype)
    _check_attr(op_type, "Tindices", indices, scope)
    if updates._dtype is not tensor._dtype:  # TF's fast path checks 'T' before running
        raise errors.dtype_mismatch(op_type, 2, tensor._dtype, updates._dtype, "")
    if op_type == "TensorScatterAdd" and tensor._dtype in (dtypes.bool_, dtypes.string):
        raise _no_add_kernel(tensor, indices)
    shape, ishape, ushape = np.shape(tensor._value), np.shape(indices._value), np.shape(updates._value)
    try:
        if not ishape:
            raise errors.KernelError("Indices shape must have rank at least one. Found:[]")
        if not ushape:
            raise errors.KernelError("Updates shape must have rank at least one. Found:[]")
        if int(np.prod(shape)) == 0 and (np.size(indices._value) or np.size(updates._value)):
            raise errors.KernelError("Indices and updates specified for empty output shape")
        _indices_and_updates(ishape, ushape, shape, "output")
        _check_locations(indices._value, shape)
    except errors.KernelError as exc:
        raise errors.kernel_error(op_type, exc.text, scope) from None
    return op(tensor, indices, updates, name=scope, unscoped=slow, lead=0)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """`tf.tensor_scatter_nd_update`: a copy of `tensor` with `updates` written at `indices`."""
    return _tensor_scatter(_update, "TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """`tf.tensor_scatter_nd_add`: a copy of `tensor` with `updates` added at `indices`."""
    return _tensor_scatter(_add, "TensorScatterAdd", tensor, indices, updates, name)


def _updates_grad(op, grad, lead):
    return _gather_nd(grad, op.inputs[1], lead=lead)


@RegisterGradient("TensorScatterUpdate")
@batchable
def _tensor_scatter_update_grad(op, grad):
    """The tensor's gradient is zero where it was overwritten; every update gets its position's
    gradient (TF's, also for an update a later one overwrote)."""
    lead = len(batch_dims(grad, op.outputs[0])) + op.attrs["lead"]
    updates = op.inputs[2]
    zeros = zeros_like(_updates_grad(op, grad, lead)) if lead else zeros_like(updates)
    return _update(identity(grad), op.inputs[1], zeros, lead=lead), None, _updates_grad(op, grad, lead)


@RegisterGradient("TensorScatterAdd")
@batchable
def _tensor_scatter_add_grad(op, grad):
    lead = len(batch_dims(grad, op.outputs[0])) + op.attrs["lead"]
    return identity(grad), None, _updates_grad(op, grad, lead)
