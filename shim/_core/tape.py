"""GradientTape: what is recorded, on which tape, and the backward pass.

A tape records facts: the ids of the tensors it watches and, for each op with a
watched floating input, an entry (op type, input and output tensors, attrs).
Recording goes to every active tape of the current thread that watches an
input; a tape never sees another thread's ops. The backward pass walks the
entries in reverse recording order (a valid reverse topological order), so it
needs no recursion and handles chains of any length.
"""

from __future__ import annotations

import enum
import threading
from typing import Any
from logging import WARN

import numpy as np

from . import nest, provenance
from .logging import log_first_n
from .dtypes import as_dtype
from .tensor import EagerTensor, Tensor, convert_to_tensor, make

__all__ = ["GradientTape", "UnconnectedGradients", "stop_recording_all"]


class _ThreadState(threading.local):
    def __init__(self):
        # the active (recording) tapes of this thread, in the order they were entered; an entered
        # ForwardAccumulator is one too (forwardprop.py: appending an entry to it computes a JVP)
        self.tapes: list[Any] = []  # _Tape, and duck-typed recorders (accumulators, provenance)
        recorder = provenance.recorder_for_this_thread()  # explanations on: it sees every op
        if recorder is not None:
            self.tapes.append(recorder)
        self.watchers: list[list] = []  # variable watchers (custom_gradient): trainable variables read


state = _ThreadState()


class UnconnectedGradients(enum.Enum):
    """What `gradient` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class Entry:
    """One recorded op. It is also the `op` a gradient function receives."""

    __slots__ = ("type", "inputs", "outputs", "attrs", "skip_input_indices")

    def __init__(self, op_type, inputs, outputs, attrs, skip_input_indices):
        self.type = op_type
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self.skip_input_indices = skip_input_indices

    @property
    def name(self) -> str:
        return self.type

    def get_attr(self, name):
        return self.attrs[name]

    def __repr__(self) -> str:
        return f"<op {self.type}: {len(self.inputs)} inputs, {len(self.outputs)} outputs>"


class _Tape:
    """The recording itself; a GradientTape owns one until a non-persistent gradient frees it."""

    __slots__ = ("watched", "entries", "variables", "persistent", "watch_accessed", "ident", "__weakref__")

    def __init__(self, persistent: bool, watch_accessed: bool):
        self.ident = provenance.serial()
        self.watched: set[int] = set()
        self.entries: list[Entry] = []
        self.variables: dict[int, object] = {}
        self.persistent = persistent
        self.watch_accessed = watch_accessed

    def watch_variable(self, variable) -> None:
        self.watched.add(variable._id)
        self.variables.setdefault(variable._id, variable)

    def watched_variables(self) -> tuple:
        """In order of construction (TF keeps them in a set ordered by id), not of watching."""
        return tuple(self.variables[k] for k in sorted(self.variables))


def record(op_type, inputs, outputs, attrs) -> None:
    """Records an op on each active tape that watches one of its floating inputs."""
    for t in state.tapes:
        watched = t.watched
        skip = [i for i, x in enumerate(inputs) if x._id not in watched or not x._dtype.trainable]
        if len(skip) == len(inputs):
            continue
        t.entries.append(Entry(op_type, inputs, outputs, attrs, skip))
        for out in outputs:
            watched.add(out._id)


def record_variable_read(variable, value, accessed: bool = True) -> None:
    """A read of `variable` inside tapes: watched if trainable (and the tape allows), then recorded.

    `accessed=False` for reads of what assign* returned (TF's _UnreadVariable): they are
    recorded on tapes that already watch the variable, but watch nothing themselves."""
    for t in state.tapes:
        if accessed and t.watch_accessed and variable.trainable:
            t.watch_variable(variable)
        if variable._id in t.watched:
            t.entries.append(Entry("ReadVariableOp", (variable,), (value,), {}, ()))
            t.watched.add(value._id)


def variable_accessed(variable) -> None:
    """TF's variable_accessed (assign* with read_value): watches a trainable variable, records nothing."""
    if variable.trainable:
        for t in state.tapes:
            if t.watch_accessed:
                t.watch_variable(variable)


def notify_watchers(variable) -> None:
    """Tells every variable watcher of this thread that a trainable variable was read."""
    if variable.trainable:
        for seen in state.watchers:
            if all(v is not variable for v in seen):
                seen.append(variable)


class VariableWatcher:
    """Collects the trainable variables read inside its context (TF's record.VariableWatcher)."""

    def __enter__(self):
        self.variables: list = []
        state.watchers.append(self.variables)
        return self

    def __exit__(self, *exc):
        state.watchers.remove(self.variables)

    def watched_variables(self) -> tuple:
        return tuple(self.variables)


class stop_recording_all:
    """Pauses every tape of this thread (what TF's internal `stop_recording` does); with
    `keep_accumulators`, forward accumulators go on (they see what the tapes must not)."""

    def __init__(self, keep_accumulators: bool = False):
        self._keep_accumulators = keep_accumulators

    def __enter__(self):
        self._saved = state.tapes
        if self._keep_accumulators:
            state.tapes = [t for t in self._saved if type(t) is not _Tape]
        else:  # explanations' recorder, if on, still sees what runs here (stop_gradient)
            state.tapes = [t for t in self._saved if type(t) is provenance.Provenance] if provenance.active else []

    def __exit__(self, *exc):
        state.tapes = self._saved


def _check_watchable(obj):
    if not (isinstance(obj, Tensor) or getattr(obj, "_is_variable", False)):
        raise ValueError(
            f"Passed in object {obj} of type {type(obj).__name__!r}, not tf.Tensor or tf.Variable or ExtensionType."
        )
    return obj


class _History:
    """What explanations need to know of a GradientTape beyond its records."""

    __slots__ = ("created_site", "created_serial", "resets", "released")

    def __init__(self, site):
        self.created_site = site
        self.created_serial = provenance.serial()
        self.resets: list[tuple] = []  # (ident of the records forgotten, site, serial)
        self.released: _Tape | None = None  # the records gradient() released, kept while explanations are on


class GradientTape:
    """`tf.GradientTape`: records ops run in its context for reverse-mode differentiation."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._history = _History(provenance.user_site(2))
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._tape: _Tape | None = None
        self._recording = False
        self._watched_variables: tuple = ()

    # -- context -----------------------------------------------------------
    def __enter__(self):
        self._push_tape()
        return self

    def __exit__(self, typ, value, traceback):
        if self._recording:
            self._pop_tape()

    def _push_tape(self) -> None:
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter an already-active tape.")
        if self._tape is None:
            self._tape = _Tape(self._persistent, self._watch_accessed_variables)
        state.tapes.append(self._tape)
        self._recording = True

    def _pop_tape(self) -> None:
        if not self._recording:
            raise ValueError("Tape is not recording.")
        assert self._tape is not None  # a recording tape always has its records
        state.tapes.remove(self._tape)
        self._recording = False

    # -- what is watched ---------------------------------------------------
    def watch(self, tensor) -> None:
        """Watches a tensor, a variable, or a nested structure of them."""
        for t in nest.flatten(tensor):
            if getattr(t, "_is_indexed_slices", False):  # TF watches a composite's parts
                self.watch([part for part in (t.values, t.indices, t.dense_shape) if part is not None])
                continue
            _check_watchable(t)
            if not t._dtype.trainable:
                log_first_n(
                    WARN, "The dtype of the watched tensor must be floating (e.g. tf.float32), got %r", 5, t._dtype
                )
            if self._tape is None:  # not entered yet, or freed by gradient(): TF fails on its missing tape
                raise AttributeError("'NoneType' object has no attribute '_tape'")
            # TF's TapeWatch does nothing while no tape of the thread records (accumulators do not count)
            if not any(type(t) is _Tape for t in state.tapes):
                continue
            if getattr(t, "_is_variable", False):
                self._tape.watch_variable(t)
            else:
                self._tape.watched.add(t._id)

    def watched_variables(self) -> tuple:
        if self._tape is not None:
            self._watched_variables = self._tape.watched_variables()
        return self._watched_variables

    def stop_recording(self):
        """A context in which this tape (only) records nothing; entering it fails as in TF
        (RuntimeError without a tape, ValueError when the tape is not recording)."""
        return _Paused(self)

    def reset(self) -> None:
        """Forgets everything recorded and watched so far and records anew; as in TF, only
        inside the tape's context (outside it raises ValueError, "Tape is not recording.")."""
        self._pop_tape()
        assert self._tape is not None
        self._history.resets.append((self._tape.ident, provenance.user_site(2), provenance.serial()))
        self._tape = None
        self._push_tape()

    # -- gradients ---------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of targets)/d(source) for each source, in the structure of `sources`."""
        if self._tape is None:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
            )
        if self._recording:
            if not self._persistent:
                self._pop_tape()
            else:
                log_first_n(
                    WARN,
                    "Calling GradientTape.gradient on a persistent tape inside its context is significantly "
                    "less efficient than calling it outside the context (it causes the gradient ops to be "
                    "recorded on the tape, leading to increased CPU and memory usage). Only call "
                    "GradientTape.gradient inside the context if you actually want to trace the gradient in "
                    "order to compute higher order derivatives.",
                    1,
                )
        if target is None:
            raise TypeError(
                "Argument `target` should be a list or nested structure of Tensors, Variables or "
                "CompositeTensors to be differentiated, but received None."
            )
        from . import backward  # the backward pass needs the ops; load it on first use

        flat_targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        # TF's order: the targets' and sources' dtypes, then each output gradient's conversion, then
        # the unconnected_gradients value, then the tensors' ids (in C++)
        _check_dtypes(flat_targets, flat_sources)
        if output_gradients is not None:
            output_gradients = nest.flatten(output_gradients) or None  # TF: an empty list means none given
            if output_gradients is not None:
                output_gradients = [_converted(g) for g in output_gradients]
        unconnected = _unconnected_policy(unconnected_gradients)
        _check_tensors(flat_targets, flat_sources)
        flat_grads = backward.run(self._tape, flat_targets, flat_sources, output_gradients, unconnected)
        if provenance.active and any(g is None for g in flat_grads):
            self._log_explanations(flat_targets, flat_sources, flat_grads)
        self._release_unless_persistent()
        return nest.pack_sequence_as(sources, flat_grads)

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """d target[i...] / d source[j...] for each source, shaped target.shape + source.shape.

        Each row is the gradient of one element of the target (a one-hot output gradient).
        With pfor (the default) the rows come from one batched backward pass, in chunks of
        `parallel_iterations` rows when given; without it, from one pass per row. Either
        way the rows are built with shim ops, so outer tapes record them (hessians).
        """
        if self._tape is None:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
            )
        target.shape  # noqa: B018 (TF reads it first: None or a list of targets raise AttributeError here)
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(
                "GradientTape must be created with persistent=True to compute the jacobian with eager execution "
                "enabled and with  experimental_use_pfor set to False."  # sic: TF's double space
            )
        if self._recording and not self._persistent:
            self._pop_tape()
        unconnected = _unconnected_policy(unconnected_gradients)
        from ..ops import array_ops  # the ops package imports this module

        flat_sources = nest.flatten(sources)
        _check_tensors([target], flat_sources)
        target = self._as_reshaped(target)
        target_shape = target.shape.as_list()
        size = int(np.prod(target_shape, dtype=np.int64))
        _check_parallel_iterations(parallel_iterations, experimental_use_pfor, "jacobian", size, self._persistent)
        if size == 0:
            per_source = self._empty_jacobian(target, flat_sources, unconnected, experimental_use_pfor)
        else:
            seeds = np.eye(size, dtype=target.dtype.as_numpy_dtype).reshape([size, *target_shape])
            per_source = self._jacobian_rows(
                target, flat_sources, seeds, unconnected, experimental_use_pfor, parallel_iterations
            )
        results = []
        for source, rows in zip(flat_sources, per_source):
            results.append(None if rows is None else array_ops.reshape(rows, target_shape + source.shape.as_list()))
        if provenance.active and any(r is None for r in results):
            self._log_explanations([target], flat_sources, results)
        self._release_unless_persistent()
        return nest.pack_sequence_as(sources, results)

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """d target[b, i...] / d source[b, j...], shaped [batch] + target.shape[1:] + source.shape[1:].

        Assumes, as TF does, that each batch row of the target depends only on the same row
        of the source. Unconnected sources give zeros (TF ignores `unconnected_gradients` here).
        """
        if self._tape is None:  # sic: TF's message lacks a space
            raise RuntimeError(
                "A non-persistent GradientTape can only be used tocompute one set of gradients (or jacobians)"
            )
        target_shape, source_shape = target.shape, source.shape
        target_shape.with_rank_at_least(2)
        source_shape.with_rank_at_least(2)
        if target_shape[0] != source_shape[0]:  # eager shapes are fully known
            raise ValueError(
                f"Need first dimension of target shape ({target_shape}) and source shape ({source_shape}) to match."
            )
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(
                "GradientTape must be created with persistent=True to compute the batch_jacobian with eager "
                "execution enabled and  with experimental_use_pfor set to False."  # sic: TF's double space
            )
        if self._recording and not self._persistent:
            self._pop_tape()
        unconnected = _unconnected_policy(unconnected_gradients)
        from ..ops import array_ops

        batch = target_shape.as_list()[0]
        row_size = int(np.prod(target_shape.as_list()[1:], dtype=np.int64))
        new_shape = target_shape.as_list() + source_shape.as_list()[1:]
        # seed i: ones at column i of every batch row (the gradient of target[:, i] summed over the batch)
        seeds = np.zeros((row_size, batch, row_size), dtype=target.dtype.as_numpy_dtype)
        seeds[np.arange(row_size), :, np.arange(row_size)] = 1
        seeds = seeds.reshape([row_size, *target_shape.as_list()])
        _check_parallel_iterations(
            parallel_iterations, experimental_use_pfor, "batch_jacobian", row_size, self._persistent
        )
        rows = None
        target = self._as_reshaped(target)
        if row_size:
            [rows] = self._jacobian_rows(
                target, [source], seeds, unconnected, experimental_use_pfor, parallel_iterations
            )
        self._release_unless_persistent()
        if rows is None:
            return make(np.zeros(new_shape, target.dtype.as_numpy_dtype), target.dtype)
        stacked = array_ops.reshape(rows, [row_size, batch, -1])
        return array_ops.reshape(array_ops.transpose(stacked, [1, 0, 2]), new_shape)

    def _as_reshaped(self, target):
        """The target as TF's jacobians see it: reshaped on this tape first. A target the tape does
        not track (unwatched, or of an integer dtype) gets an unrecorded reshape, so no source
        reaches it, not even the target itself."""
        assert self._tape is not None  # checked by the callers
        if type(target) is EagerTensor and not (target._id in self._tape.watched and target._dtype.trainable):
            return make(target._value, target._dtype)
        return target

    def _empty_jacobian(self, target, flat_sources, unconnected, vectorized) -> list:
        """The rows for a target without elements. TF's pfor gives empty rows, None where a source
        is unconnected; its for_loop gives one empty tensor whatever the sources, which fails
        TF's packing (several sources) or its set_shape (one non-scalar source)."""
        from . import backward

        if not vectorized:
            empty = make(np.zeros([0], target.dtype.as_numpy_dtype), target.dtype)
            if len(flat_sources) != 1:
                raise ValueError(
                    f"Could not pack sequence. Structure had {len(flat_sources)} atoms, but flat_sequence had 1 items.  "
                    f"Structure: {[target.dtype] * len(flat_sources)}, flat_sequence: [{empty!r}]."
                )
            if flat_sources[0].shape.rank:
                wanted = target.shape.concatenate(flat_sources[0].shape)
                raise ValueError(f"Tensor's shape {target.shape} is not compatible with supplied shape {wanted}.")
            return [empty]
        seed = make(np.zeros(target.shape.as_list(), target.dtype.as_numpy_dtype), target.dtype)
        grads = backward.run(self._tape, [target], flat_sources, [seed], unconnected)
        return [None if g is None else make(np.zeros([0], g.dtype.as_numpy_dtype), g.dtype) for g in grads]

    def _jacobian_rows(self, target, flat_sources, seeds, unconnected, vectorized, chunk) -> list:
        """Per source, the vector-Jacobian products of `target` with each seed, stacked
        ([len(seeds)] + source shape), or None for a source the target does not reach."""
        from ..ops import array_ops
        from . import backward

        def products(rows):
            batch = len(rows) if vectorized else None
            return backward.run(self._tape, [target], flat_sources, [make(rows, target.dtype)], unconnected, batch)

        if vectorized:
            step = max(int(chunk), 1) if chunk else self._rows_per_pass()
            passes = [products(seeds[i : i + step]) for i in range(0, len(seeds), step)]
            join = array_ops.concat
        else:
            passes = [products(seed) for seed in seeds]
            join = array_ops.stack
        joined: list = []
        for grads in zip(*passes):
            if any(g is None for g in grads):
                joined.append(None)
            else:
                joined.append(grads[0] if vectorized and len(grads) == 1 else join(list(grads), 0))
        return joined

    def _log_explanations(self, flat_targets, flat_sources, flat_grads) -> None:
        from .explain import log_explanations

        with stop_recording_all():
            log_explanations(self, self._tape, flat_targets, flat_sources, flat_grads)

    def _rows_per_pass(self) -> int:
        """How many jacobian rows one batched pass may carry: each of its gradients holds that many
        copies of a recorded tensor, so the widest one sets the limit (TF's pfor has none)."""
        assert self._tape is not None  # only asked while the records are still held
        widest = max((np.size(out._value) for entry in self._tape.entries for out in entry.outputs), default=1)
        return max(_ELEMENTS_PER_PASS // max(widest, 1), 1)

    def _release_unless_persistent(self) -> None:
        if not self._persistent:
            assert self._tape is not None  # released once, right after the one gradient call
            self._watched_variables = self._tape.watched_variables()
            if provenance.active:
                self._history.released = self._tape
            self._tape = None


_ELEMENTS_PER_PASS = 1 << 25  # per gradient tensor of a batched jacobian pass: 256 MiB in float64


class _Paused:
    def __init__(self, tape: GradientTape):
        self._tape = tape

    def __enter__(self):
        records = self._tape._tape
        if records is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._tape._pop_tape()
        provenance.push_pause(records.ident, provenance.user_site(2))

    def __exit__(self, *exc):
        provenance.pop_pause()
        self._tape._push_tape()


def _check_parallel_iterations(value, vectorized: bool, method: str, rows: int, persistent: bool) -> None:
    """TF's pfor refuses fewer than 2 parallel iterations (the tape wraps its ValueError), and
    in chunks (no more than `rows` at once) it differentiates twice, which needs a persistent
    tape; its while_loop refuses fewer than 1."""
    if value is None:
        return
    if vectorized and (value <= 1 or (not persistent and value <= rows)):
        if method == "batch_jacobian" and value > 1:  # raised inside TF's traced loop, hence its framing
            raise RuntimeError(
                "in user code:\n\n\n    RuntimeError: GradientTape must be created with persistent=True "
                "to compute the batch_jacobian with parallel_iterations.\n"
            )
        raise ValueError(
            f"Encountered an exception while vectorizing the {method} computation. "
            "Vectorization can be disabled by setting experimental_use_pfor to False."
        )
    if not vectorized and value < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")


def _unconnected_policy(value) -> UnconnectedGradients:
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def _is_tensor(x) -> bool:
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False)


def _check_dtypes(flat_targets, flat_sources) -> None:
    """TF's first check: the dtype of every target then every source (as_dtype of a non-tensor,
    None say, raises TypeError)."""
    for x in (*flat_targets, *flat_sources):
        if not _is_tensor(x):
            as_dtype(getattr(x, "dtype", x))


def _converted(gradient):
    """An output gradient as TF's gradient() takes it: None, or converted to a tensor (variables read)."""
    if gradient is None or _is_tensor(gradient) or getattr(gradient, "_is_indexed_slices", False):
        return gradient
    return convert_to_tensor(gradient)


def _check_tensors(flat_targets, flat_sources) -> None:
    """TF's checks, in its order: the dtype of every target then every source (as_dtype of a
    non-tensor, None say, raises TypeError), then their tensor ids (AttributeError '_id')."""
    if all(_is_tensor(x) for x in flat_targets) and all(_is_tensor(x) for x in flat_sources):
        return
    _check_dtypes(flat_targets, flat_sources)
    others = [x for x in (*flat_targets, *flat_sources) if not _is_tensor(x)]
    others[0]._id  # noqa: B018 (Python's own AttributeError, as in TF's C++ reading `_id`)
    raise AttributeError(f"{type(others[0]).__name__!r} object has no attribute '_id'")
