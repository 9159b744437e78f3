"""The backward pass: one reverse walk over a tape's entries, summing gradients per tensor id.

Gradient functions run as ordinary shim ops, so any other active tape that watches
their inputs records them: that is how nested tapes give higher-order gradients.
An op that a gradient reaches but that has no registered gradient raises
LookupError, exactly when TF's tape would.

Jacobians run one batched pass: every upstream gradient carries a leading batch
dimension (one row per basis cotangent). Gradient functions marked `batchable` take
the whole batch at once; any other runs once per row, and its rows are stacked.

A gradient may be an IndexedSlices (a gather's, say): it reaches the gradient functions
marked `takes_indexed_slices` (and users') as it is, the others' densified. Several for
one tensor are concatenated in TF's backward order (see tape_order); any dense one
among them makes the sum dense. Batched passes never carry them: gradients are dense there.
"""

from __future__ import annotations

import numpy as np

from .indexed_slices import IndexedSlices, aggregate, to_dense
from .ops import gradient_function
from .tape import UnconnectedGradients
from .tensor import EagerTensor, convert_to_tensor, make

_add = None  # AddV2, bound on first use (the ops package imports this module's users)


def _sum_of(previous, grad):
    global _add
    if _add is None:
        from ..ops.math_ops import add_same_dtype as _add_impl

        _add = _add_impl
    return _add(previous, grad)


def _aggregate(grads: dict, key: int, grad) -> None:
    previous = grads.get(key)
    if previous is _NONE or (grad is _NONE and previous is not None):
        raise _none_error()  # TF's C++ aggregation cannot take a None (it aborts)
    grads[key] = grad if previous is None else _sum_of(previous, grad)


class _Rows:
    """The IndexedSlices gradients of one tensor, kept apart until the tensor's gradient is
    needed: TF concatenates them in the order its own backward pass produced them."""

    __slots__ = ("pieces", "joined")

    def __init__(self):
        self.pieces = []  # ((entry index, input position), IndexedSlices)
        self.joined = None

    def value(self, order):
        if self.joined is None:
            if len(self.pieces) == 1:
                self.joined = self.pieces[0][1]
            else:
                ranks = order()
                ordered = sorted(self.pieces, key=lambda piece: (ranks.get(piece[0][0], -1), piece[0][1]))
                self.joined = aggregate([g for _, g in ordered])
        return self.joined

    def dense(self):
        total = None
        for _, g in self.pieces:
            total = to_dense(g) if total is None else _sum_of(total, to_dense(g))
        return total


def _accumulate(grads: dict, key: int, grad, where) -> None:
    """One more gradient for tensor `key`: dense ones are summed now, IndexedSlices kept apart."""
    previous = grads.get(key)
    if previous is _NONE:
        raise _none_error()
    if type(grad) is IndexedSlices:
        if previous is None:
            previous = grads[key] = _Rows()
        if type(previous) is _Rows:
            previous.pieces.append((where, grad))
        else:
            grads[key] = _sum_of(previous, to_dense(grad))
    elif previous is None:
        grads[key] = grad
    elif type(previous) is _Rows:
        grads[key] = _sum_of(previous.dense(), grad)
    else:
        grads[key] = _sum_of(previous, grad)


def _takes_rows(fn) -> bool:
    """Whether a gradient function gets IndexedSlices as they are: TF gives them to all; the
    shim's own take them densified unless marked, a user's (any other module's) as they are."""
    marked = getattr(fn, "takes_indexed_slices", None)
    if marked is not None:
        return marked
    return not (getattr(fn, "__module__", None) or "").startswith("shim.")


def _dense_unless_taken(fn, out_grads):
    if _takes_rows(fn):
        return out_grads
    return [to_dense(g) if type(g) is IndexedSlices else g for g in out_grads]


class _NoneSeed:
    """A None entry of output_gradients: TF hands None itself to the target's gradient function."""


_NONE = _NoneSeed()


def _none_error():
    return ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")


def _call_with_none(fn, entry, out_grads):
    """A gradient function given None, as TF gives it: pass-through gradients hand it on, `-grad`
    raises Python's TypeError, and reading it as a tensor fails as TF's conversion of None does."""
    try:
        return fn(entry, *[None if g is _NONE else g for g in out_grads])
    except AttributeError:
        raise _none_error() from None


def _zeros_for(x, batch=None):
    value = x._value if not getattr(x, "_is_variable", False) else x.numpy()
    shape = np.shape(value) if batch is None else (batch, *np.shape(value))
    if np.asarray(value).dtype == object:  # strings: TF's zero is b''
        return make(np.full(shape, b"", dtype=object), x._dtype)
    return make(np.zeros(shape, np.asarray(value).dtype), x._dtype)


def _row_by_row(fn, entry, out_grads, batch):
    """A gradient function that knows nothing of batches, run on each row; its rows are stacked."""
    from ..ops.array_ops import stack, unstack

    rows = list(zip(*(unstack(g, num=batch) for g in out_grads)))
    per_row = []
    for row in rows:
        in_grads = fn(entry, *row)
        per_row.append(in_grads if isinstance(in_grads, (list, tuple)) else (in_grads,))
    stacked: list = []
    for x, grads in zip(entry.inputs, zip(*per_row)):
        if all(g is None for g in grads):
            stacked.append(None)
        else:  # a row without a gradient contributes zeros to the others'
            stacked.append(stack([_zeros_for(x) if g is None else g for g in grads]))
    return stacked


def run(tape, targets, sources, output_gradients, unconnected, batch=None):
    """The gradients of `targets` for each of `sources` (None where unconnected, unless ZERO).

    With `batch`, each output gradient has a leading dimension of that size, and so has
    every gradient returned: one vector-Jacobian product per row."""
    grads: dict[int, object] = {}
    for i, target in enumerate(targets):
        given = output_gradients is not None and i < len(output_gradients)  # TF: ones for targets past the list
        seed = output_gradients[i] if given else None
        if seed is None and given:
            seed = _NONE
        elif seed is None:
            if target._dtype.name == "string":  # TF builds no ones for strings: None, even with ZERO
                _aggregate(grads, target._id, _NONE)
                continue
            value = target.numpy() if getattr(target, "_is_variable", False) else target._value
            seed = make(np.ones_like(value), target._dtype)
        else:
            seed = convert_to_tensor(seed)
        _aggregate(grads, target._id, seed)

    keep = {s._id for s in sources}
    entries = tape.entries
    ranks: list = []  # TF's backward order, computed once if two IndexedSlices meet

    def order():
        if not ranks:
            from .tape_order import ranks as tf_ranks

            ranks.append(tf_ranks(entries, targets))
        return ranks[0]

    for k in range(len(entries) - 1, -1, -1):
        entry = entries[k]
        outputs = entry.outputs
        sparse = False
        if len(outputs) == 1:
            out_id = outputs[0]._id
            grad = grads.get(out_id) if out_id in keep else grads.pop(out_id, None)
            if grad is None:
                continue
            if type(grad) is not EagerTensor:  # rare: IndexedSlices (kept apart), or a None seed
                if type(grad) is _Rows:
                    grad = grad.value(order)
                sparse = type(grad) is IndexedSlices
            out_grads: list | tuple = (grad,)
        else:
            out_grads = [grads.get(o._id) if o._id in keep else grads.pop(o._id, None) for o in outputs]
            if all(g is None for g in out_grads):
                continue
            out_grads = [g.value(order) if type(g) is _Rows else g for g in out_grads]
            sparse = any(type(g) is IndexedSlices for g in out_grads)
            out_grads = [_zeros_for(o, batch) if g is None else g for o, g in zip(outputs, out_grads)]
        fn = gradient_function(entry.type)
        if fn is None:
            continue
        if sparse:
            out_grads = _dense_unless_taken(fn, out_grads)
        if out_grads[0] is _NONE or (len(out_grads) > 1 and any(g is _NONE for g in out_grads)):
            in_grads = _call_with_none(fn, entry, out_grads)
        elif batch is not None and not getattr(fn, "batchable", False):
            in_grads = _row_by_row(fn, entry, out_grads, batch)
        else:
            in_grads = fn(entry, *out_grads)
        if not isinstance(in_grads, (list, tuple)):
            in_grads = (in_grads,)
        skip = entry.skip_input_indices
        i = 0
        for x, grad in zip(entry.inputs, in_grads):
            if grad is not None and i not in skip:
                if type(grad) is not EagerTensor and type(grad) is not IndexedSlices:
                    grad = convert_to_tensor(grad)
                key = x._id
                previous = grads.get(key)
                if type(grad) is EagerTensor and previous is None:
                    grads[key] = grad
                elif type(grad) is EagerTensor and type(previous) is EagerTensor:
                    grads[key] = _sum_of(previous, grad)
                else:  # a None seed, or IndexedSlices on either side
                    _accumulate(grads, key, grad, (k, i))
            i += 1

    results: list = []
    for source in sources:
        grad = grads.get(source._id)
        if grad is _NONE:  # the target's own None, even with unconnected_gradients="zero"
            results.append(None)
            continue
        if type(grad) is _Rows:
            grad = grad.value(order)
        if grad is None and unconnected is UnconnectedGradients.ZERO:
            grad = _zeros_for(source, batch)
        results.append(grad)
    return results
