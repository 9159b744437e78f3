"""Cross entropies and l2_loss from `tf.nn`, each op with its gradient beside it.

The softmax cross entropies run TF's fused kernels on [batch, classes] matrices (the
public functions move the class axis last and flatten the others first, as TF's
wrappers do, so the reshapes and transposes are recorded like TF's); their second
output, softmax - labels, is what the gradient uses. float16 logits go through
float32, as in TF.
"""

from __future__ import annotations

import numpy as np

from .._core import dtypes, errors
from .._core.ops import Op, RegisterGradient, batchable
from .._core.opdefs import allowed_dtypes, describe
from .._core.tensor import EagerTensor, convert_to_tensor
from . import array_ops, math_ops
from .nn_ops import _log_softmax, _softmax, _sum_along


def _tensor(value):
    return value if type(value) is EagerTensor else convert_to_tensor(value)


def _ensure_both(fn_name, labels, logits):
    if labels is None or logits is None:
        raise ValueError(
            f"Both `labels` and `logits` must be provided for {fn_name}Received: labels={labels} and logits={logits}"
        )


def _precise(logits):
    """float16 and bfloat16 logits are computed in float32, as TF's wrappers do."""
    if logits._dtype in (dtypes.float16, dtypes.bfloat16):
        return array_ops.cast(logits, dtypes.float32), True
    return logits, False


def _flatten_outer(x):
    """[..., classes] -> [n, classes], TF's _flatten_outer_dims (a scalar fails in its Slice)."""
    if x.ndim == 0:
        text = "Expected begin[0] == 0 (got -1) and size[0] == 0 (got 1) when input.dim_size(0) == 0"
        raise errors.kernel_error("Slice", text, None)
    return array_ops._reshape(x, shape=(-1, x.shape[-1]))


# -- softmax_cross_entropy_with_logits ---------------------------------------------------


def _xent_forward(logits, labels):
    logits, labels = np.asarray(logits), np.asarray(labels)
    try:
        logits_b, labels_b = np.broadcast_arrays(logits, labels)
    except ValueError:
        raise errors.KernelError(
            "logits and labels must be broadcastable: logits_size="
            f"[{','.join(map(str, logits.shape))}] labels_size=[{','.join(map(str, labels.shape))}]"
        ) from None
    shifted = logits_b - np.max(logits_b, axis=1, keepdims=True)
    sums = np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = np.sum(labels_b * (np.log(sums) - shifted), axis=1)
    backprop = np.exp(shifted) / sums - labels_b
    return loss, backprop


_xent = Op("SoftmaxCrossEntropyWithLogits", _xent_forward, num_outputs=2)


def _move_to_end(x, axis, rank):
    """TF's _move_dim_to_end; its Range ops reject axes outside [0, rank)."""
    if axis < 0:
        raise errors.kernel_error("Range", f"Requires start <= limit when delta > 0: 0/{axis}", "")
    if axis + 1 > rank:
        raise errors.kernel_error("Range", f"Requires start <= limit when delta > 0: {axis + 1}/{rank}", "")
    perm = [*range(axis), *range(axis + 1, rank), axis]  # the logits' rank, for the labels too
    if x.ndim != rank:
        text = f"transpose expects a vector of size {x.ndim}. But input(1) is a vector of size {rank}"
        raise errors.kernel_error("Transpose", text, "")
    return array_ops.transpose(x, perm)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along `axis`; gradients for both labels and logits."""
    axis = -1 if axis is None else axis
    logits = _tensor(logits)
    labels = _tensor(labels)
    precise, widened = _precise(logits)
    labels = array_ops.cast(labels, precise._dtype)
    rank = precise.ndim
    if axis != -1:
        precise = _move_to_end(precise, axis, rank)
        labels = _move_to_end(labels, axis, rank)
    outer_shape = precise.shape[:-1] if rank else None
    cost, _ = _xent(_flatten_outer(precise), _flatten_outer(labels), name=name)
    cost = array_ops._reshape(cost, shape=tuple(outer_shape))
    return array_ops.cast(cost, logits._dtype) if widened else cost


def _times_rows(grad_loss, matrix):
    """grad_loss[..., i] * matrix[i, :] (TF's _BroadcastMul), batch dims kept."""
    return math_ops._mul(array_ops.expand_dims(grad_loss, -1), matrix)


def _through_backprop(op, grad_loss, grad_grad):
    """The logits' gradient: through the loss, and through the backprop output when it has one."""
    grad = _times_rows(grad_loss, op.outputs[1])
    if not np.any(grad_grad._value):  # TF skips the zeros it gets for an unused backprop output
        return grad
    probabilities = _softmax(op.inputs[0], axis=-1)
    centred = math_ops._sub(grad_grad, _sum_along(math_ops._mul(grad_grad, probabilities), -1))
    return math_ops._add_v2(grad, math_ops._mul(centred, probabilities))


@RegisterGradient("SoftmaxCrossEntropyWithLogits")
@batchable
def _xent_grad(op, grad_loss, grad_grad):
    labels_grad = _times_rows(grad_loss, math_ops._neg(_log_softmax(op.inputs[0], axis=-1)))
    return _through_backprop(op, grad_loss, grad_grad), labels_grad


# -- sparse_softmax_cross_entropy_with_logits ----------------------------------------------------


def _sparse_xent_forward(logits, labels):
    logits, labels = np.asarray(logits), np.asarray(labels)
    classes = logits.shape[1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels.min() if labels.min() < 0 else labels.max()  # TF reports the extreme one
        values = " ".join(str(v) for v in labels.tolist())
        raise errors.KernelError(
            f"Received a label value of {bad} which is outside the valid range of [0, {classes}).  "
            f"Label values: {values}"
        )
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    sums = np.sum(np.exp(shifted), axis=1, keepdims=True)
    rows = np.arange(logits.shape[0])
    loss = np.log(sums[:, 0]) - shifted[rows, labels]
    backprop = np.exp(shifted) / sums
    backprop[rows, labels] -= logits.dtype.type(1)
    return loss.astype(logits.dtype, copy=False), backprop


_sparse_xent = Op("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_forward, num_outputs=2)


def _check_label_dtype(logits, labels, name):
    """Tlabels' error. With both dtypes wrong, TF's first call in a process reports T (Op's check),
    later ones Tlabels: the shim reports T."""
    op_type = _sparse_xent.type
    if logits._dtype.name not in _sparse_xent.allowed:
        return
    if labels._dtype.name not in allowed_dtypes(op_type, "Tlabels"):
        allowed, summary = describe(op_type, "Tlabels")
        text = (
            f"Value for attr 'Tlabels' of {labels._dtype.c_name} is not in the list of allowed values: {allowed}\n"
            f"\t; NodeDef: {{{{node {op_type}}}}}; {summary}"
        )
        raise errors.op_error(op_type, text, "" if name is None else name)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """-log_softmax(logits)[label] per row; labels get no gradient."""
    _ensure_both("sparse_softmax_cross_entropy_with_logits", labels, logits)
    labels = _tensor(labels)
    logits = _tensor(logits)
    precise = array_ops.cast(logits, dtypes.float32) if logits._dtype is dtypes.float16 else logits
    if logits.ndim == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if labels.ndim != logits.ndim - 1:
        raise ValueError(
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. "
            f"Received: labels.shape={labels.shape} of rank {labels.ndim} and logits.shape={logits.shape} "
            f"of rank {logits.ndim}"
        )
    if tuple(labels.shape) != tuple(logits.shape[:-1]):
        raise ValueError(
            "`labels.shape` must equal `logits.shape` except for "
            f"the last dimension. Received: labels.shape={labels.shape} and logits.shape={logits.shape}"
        )
    _check_label_dtype(precise, labels, name)
    if logits.ndim == 2:
        cost, _ = _sparse_xent(precise, labels, name=name)
    else:
        flat_logits = array_ops._reshape(precise, shape=(-1, logits.shape[-1]))
        cost, _ = _sparse_xent(flat_logits, array_ops._reshape(labels, shape=(-1,)), name=name)
        cost = array_ops._reshape(cost, shape=tuple(labels.shape))
    return array_ops.cast(cost, dtypes.float16) if logits._dtype is dtypes.float16 else cost


@RegisterGradient("SparseSoftmaxCrossEntropyWithLogits")
@batchable
def _sparse_xent_grad(op, grad_loss, grad_grad):
    return _through_backprop(op, grad_loss, grad_grad), None


# -- sigmoid_cross_entropy_with_logits, l2_loss ------------------------------------------------


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log1p(exp(-|x|)), composed as TF composes it (its gradient at 0 too)."""
    _ensure_both("sigmoid_cross_entropy_with_logits", labels, logits)
    logits = _tensor(logits)
    labels = _tensor(labels)
    if not logits.shape.is_compatible_with(labels.shape):
        raise ValueError(
            f"`logits` and `labels` must have the same shape, received ({logits.shape} vs {labels.shape})."
        )
    zeros = array_ops.zeros_like(logits, dtype=logits._dtype)
    nonnegative = math_ops.greater_equal(logits, zeros)
    relu_logits = math_ops.where(nonnegative, logits, zeros)
    neg_abs_logits = math_ops.where(nonnegative, -logits, logits)
    return math_ops.add(relu_logits - logits * labels, math_ops.log1p(math_ops.exp(neg_abs_logits)), name=name)


def _l2_loss_forward(t):
    t = np.asarray(t)
    return (np.sum(np.square(t), dtype=t.dtype) * t.dtype.type(0.5)).astype(t.dtype)


_l2_loss = Op("L2Loss", _l2_loss_forward)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return _l2_loss(_tensor(t), name=name)


@RegisterGradient("L2Loss")
@batchable
def _l2_loss_grad(op, grad):
    x = op.inputs[0]
    lead = grad.ndim  # a jacobian's rows: one scalar gradient per row
    if lead:
        grad = array_ops._reshape(grad, shape=tuple(grad.shape) + (1,) * x.ndim)
    return math_ops._mul(x, grad)
