"""`tf.autodiff.ForwardAccumulator`: Jacobian-vector products in forward mode, as TF's eager one.

How it joins the engine: an entered accumulator is one more recorder in
`tape.state.tapes`, where GradientTapes' recordings are, in the order the contexts
were entered (TF orders tapes and accumulators by one nesting counter, too). `record`
and `record_variable_read` treat it as a tape: what it "watches" is the ids it has
tangents for, and each op with such a floating input is appended to its `entries`,
which for an accumulator computes the op's output tangents at once. So the engine's
hot path is untouched: nothing runs for forward mode unless an accumulator is active.

While an accumulator computes a JVP, only the recorders entered before it stay active:
outer tapes and accumulators see the JVP's ops (backward-over-forward, higher-order
forward), inner ones do not (TF's strict nesting).

An op's JVP comes, as in TF's `_jvp_helper`, from its registered gradient
g(u) = J^T u, which is linear in u: with u (ones) watched by a private tape,
J t = d<g(u), t>/du is a second backward pass seeded with the tangents t. So every
op with a gradient has a JVP; a few hot ops have exact rules instead (`_RULES`).
"""

from __future__ import annotations

import weakref
from logging import WARN

import numpy as np

from . import backward, nest, tape
from .logging import log_first_n
from .ops import gradient_function
from .tape import Entry, UnconnectedGradients
from .tensor import EagerTensor, convert_to_tensor, make
from ..ops.array_ops import _identity, zeros_like
from ..ops.math_ops import _add_v2, _matmul, _mul, _neg, _sub

__all__ = ["ForwardAccumulator"]


class ForwardAccumulator:
    """`tf.autodiff.ForwardAccumulator(primals, tangents)`: JVPs of what runs in its context."""

    def __init__(self, primals, tangents):
        self._recorder = _Recorder()
        self._recording = False
        primal_ids = set()
        for primal in nest.flatten(primals):
            if id(primal) in primal_ids:
                raise ValueError(  # sic: TF never formats its "{}"
                    "Tensor {} was specified as a primal multiple times. This may indicate an error. "
                    "If it was intended, please sum the corresponding tangents."
                )
            primal_ids.add(id(primal))
        self._watch(primals, tangents)

    def __enter__(self):
        self._push_accumulator()
        return self

    def __exit__(self, typ, value, traceback):
        if self._recording:
            self._pop_accumulator()

    def _push_accumulator(self) -> None:
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        tape.state.tapes.append(self._recorder)
        self._recording = True

    def _pop_accumulator(self) -> None:
        if not self._recording:
            raise ValueError("Accumulator is not recording.")
        tape.state.tapes.remove(self._recorder)
        self._recording = False

    def _watch(self, primals, tangents) -> None:
        """TF's private `_watch`: each primal gets its tangent (added to one it has already).
        Shapes are not checked, as in TF."""

        def watch(primal, tangent):
            if not primal.dtype.is_floating:
                log_first_n(
                    WARN, "The dtype of the watched primal must be floating (e.g. tf.float32), got %r", 5, primal.dtype
                )
            tangent = convert_to_tensor(tangent, dtype=primal.dtype)
            existing = self._recorder.tangents.get(primal._id)
            self._recorder.keep(primal, tangent if existing is None else _add_v2(tangent, existing))

        nest.map_structure(watch, primals, tangents)

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The JVPs computed for `primals` (a tensor, variable or structure of them); no computation.

        None where there is none, or zeros with `unconnected_gradients="zero"`."""
        unconnected_gradients = UnconnectedGradients(unconnected_gradients)
        tangents = self._recorder.tangents

        def fetch(tensor):
            result = tangents.get(tensor._id)  # a variable's id is its handle's: what reads of it carry
            if result is None and unconnected_gradients is UnconnectedGradients.ZERO:
                result = zeros_like(tensor)
            return result

        return nest.map_structure(fetch, primals)


class _Tangents(dict):
    """Tangents by tensor id. It stands where a tape keeps the ids it watches, so `record`'s
    membership test is TF's ShouldRecord (an input has a tangent). An op's outputs get
    tangents from its JVP, only where it has one, so the tape's `add` of outputs does nothing."""

    def add(self, tensor_id) -> None:
        pass


class _Differentiating:
    """Stands where a tape keeps its entries: each op appended is differentiated at once."""

    __slots__ = ("append",)

    def __init__(self, append):
        self.append = append


class _Recorder(tape._Tape):
    """What an entered accumulator puts among the thread's tapes."""

    __slots__ = ("alive", "tangents")

    def __init__(self):
        super().__init__(persistent=True, watch_accessed=False)
        self.tangents = _Tangents()
        # stand-ins where a tape keeps its watched set and its entries (see the two classes above)
        self.watched = self.tangents  # type: ignore[assignment]
        self.entries = _Differentiating(self.accumulate)  # type: ignore[assignment]
        self.alive: dict[int, weakref.ref] = {}

    def keep(self, primal, tangent) -> None:
        """Holds `tangent` as long as `primal` lives (variables: as long as the accumulator)."""
        key = primal._id
        self.tangents[key] = tangent
        if type(primal) is EagerTensor and key not in self.alive:
            self.alive[key] = weakref.ref(primal, _forget(self.tangents, self.alive, key))

    def accumulate(self, entry: Entry) -> None:
        """Computes the tangents of `entry`'s outputs, with only outer recorders active."""
        tangents = self.tangents
        if entry.type == "ReadVariableOp" and not entry.outputs[0]._dtype.trainable:
            return  # TF: reads of an integer variable carry no tangent
        in_tangents = [_tangent_or_zeros(x, tangents) for x in entry.inputs]
        saved = tape.state.tapes
        tape.state.tapes = saved[: saved.index(self)]
        try:
            rule = _RULES.get(entry.type)
            out_tangents = rule(entry, in_tangents) if rule is not None else _by_double_vjp(entry, in_tangents)
        finally:
            tape.state.tapes = saved
        for output, tangent in zip(entry.outputs, out_tangents):
            if tangent is not None and output._id not in tangents:  # TF: a tangent already there wins
                self.keep(output, tangent)


def _forget(tangents: dict, alive: dict, key: int):
    def forget(_):
        tangents.pop(key, None)
        alive.pop(key, None)

    return forget


def _tangent_or_zeros(x, tangents):
    """TF's input tangents: the one held, zeros for other floating inputs, None for the rest."""
    tangent = tangents.get(x._id)
    if tangent is None and x._dtype.trainable:
        value = x.numpy() if getattr(x, "_is_variable", False) else x._value
        tangent = make(np.zeros_like(value), x._dtype)
    return tangent


def _by_double_vjp(entry: Entry, in_tangents: list) -> list:
    """TF's _jvp_helper: J t = d<g(u), t>/du for the op's gradient g, by a second backward pass."""
    fn = gradient_function(entry.type)  # LookupError for an op with no gradient, as TF raises
    outputs = entry.outputs
    if fn is None:  # NotDifferentiable: TF's gradient is None for every input, so no tangent
        return [None] * len(outputs)
    aids = [make(np.ones_like(o._value), o._dtype) if o._dtype.trainable else None for o in outputs]
    sources = [aid for aid in aids if aid is not None]
    if not sources:
        return [None] * len(outputs)
    upstream = [make(np.zeros_like(o._value), o._dtype) if aid is None else aid for o, aid in zip(outputs, aids)]
    skip = [i for i, x in enumerate(entry.inputs) if not x._dtype.trainable]
    op = Entry(entry.type, entry.inputs, outputs, entry.attrs, skip)
    transpose = tape._Tape(persistent=False, watch_accessed=False)
    transpose.watched.update(aid._id for aid in sources)
    outer = tape.state.tapes
    tape.state.tapes = [*outer, transpose]
    try:
        in_grads = fn(op, *upstream)
    finally:
        tape.state.tapes = outer
    if not isinstance(in_grads, (list, tuple)):
        in_grads = (in_grads,)
    targets, seeds = [], []
    for grad, tangent in zip(in_grads, in_tangents):
        if grad is None or tangent is None:
            continue
        if getattr(grad, "_is_indexed_slices", False):  # a gather's: <rows at indices, t> = <rows, t's rows>
            from ..ops.array_ops import gather  # only gathers make them

            grad, tangent = grad.values, gather(tangent, grad.indices)
        targets.append(grad if type(grad) is EagerTensor else convert_to_tensor(grad))
        seeds.append(tangent)
    found = iter(backward.run(transpose, targets, sources, seeds, UnconnectedGradients.NONE))
    return [None if aid is None else next(found) for aid in aids]


# -- exact rules for the hottest ops (what the double VJP gives, without the two passes) --------


def _pass_through(entry, tangents):
    return [_identity(tangents[0])]


def _add_rule(entry, tangents):
    return [_add_v2(tangents[0], tangents[1])]


def _sub_rule(entry, tangents):
    return [_sub(tangents[0], tangents[1])]


def _mul_rule(entry, tangents):
    x, y = entry.inputs
    return [_add_v2(_mul(tangents[0], y), _mul(x, tangents[1]))]


def _neg_rule(entry, tangents):
    return [_neg(tangents[0])]


def _matmul_rule(entry, tangents):
    a, b = entry.inputs
    return [_add_v2(_matmul(tangents[0], b, **entry.attrs), _matmul(a, tangents[1], **entry.attrs))]


_RULES = {
    "Identity": _pass_through,  # TF's two special cases
    "ReadVariableOp": _pass_through,
    "AddV2": _add_rule,
    "Sub": _sub_rule,
    "Mul": _mul_rule,
    "Neg": _neg_rule,
    "MatMul": _matmul_rule,
}
