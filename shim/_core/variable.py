"""Variable: mutable state whose reads a tape can see.

A read inside a tape context watches the variable (when it is trainable and the
tape watches accessed variables) and is recorded as a `ReadVariableOp`, so the
gradient reaches the variable's id. Assignments replace the value and are not
recorded: state cuts the gradient path, as in TF.
"""

from __future__ import annotations

import threading

import numpy as np

from . import errors, provenance, tape
from .indexed_slices import is_indexed_slices
from .ops import RegisterGradient, batchable, takes_indexed_slices
from .dtypes import DType
from .shape import TensorShape
from .errors import shape_text
from .module import current_scope
from .tensor import EagerTensor, _Reference, convert_to_tensor, next_id, numpy_text

__all__ = ["Variable", "ResourceVariable"]


@RegisterGradient("ReadVariableOp")
@batchable
@takes_indexed_slices
def _read_variable_grad(op, grad):
    return grad


# AssignAdd/SubVariableOp have kernels for the number types only: TF's registry, in its order
_UPDATE_KERNEL_DTYPES = (
    "COMPLEX128 COMPLEX64 DOUBLE FLOAT BFLOAT16 HALF INT32 INT8 UINT8 INT16 UINT16 UINT32 INT64 UINT64"
)
_XLA_UPDATE_KERNELS = (
    "  device='XLA_CPU_JIT'; dtype in [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
    "DT_INT64, DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]\n"
)


def _no_update_kernel(op_name: str, dtype: DType, name: str) -> errors.OpError:
    """assign_add/assign_sub of a bool or string variable: no kernel takes that dtype."""
    listed = "".join(
        f"  device='{device}'; dtype in [DT_{t}]\n"
        for device in ("DEFAULT", "CPU")
        for t in _UPDATE_KERNEL_DTYPES.split()
    )
    kernels = listed + _XLA_UPDATE_KERNELS if op_name == "AssignAddVariableOp" else _XLA_UPDATE_KERNELS + listed
    text = (
        f"No OpKernel was registered to support Op '{op_name}' used by {{{{node {op_name}}}}} with these attrs: "
        f"[dtype=DT_{dtype.name.upper()}]\nRegistered devices: [CPU]\nRegistered kernels:\n{kernels}\n\t [[{op_name}]]"
    )
    return errors.op_error(op_name, text, name)


class _State:
    """What a variable and the `UnreadVariable`s returned by its assigns share."""

    __slots__ = ("value", "id", "name", "trainable", "dtype", "created_at", "assigned", "lock")
    value: np.ndarray
    id: int
    name: str
    trainable: bool
    dtype: DType
    created_at: tuple[str, int] | None  # the user's line, for gradient explanations
    lock: threading.Lock  # updates read, combine and write: threads must not interleave them (TF's are atomic)


class Variable:
    """`tf.Variable`; constructing one gives a ResourceVariable, as in TF."""

    _is_variable = True
    __array_priority__ = 100

    def __new__(cls, *args, **kwargs):
        if cls is Variable:
            cls = ResourceVariable
        return object.__new__(cls)


class BaseResourceVariable(Variable):
    __slots__ = ("_state",)
    _state: _State

    # -- identity ----------------------------------------------------------
    @property
    def _id(self) -> int:
        return self._state.id

    @property
    def _dtype(self):
        return self._state.dtype

    @property
    def _value(self):
        return self._state.value

    @property
    def dtype(self):
        return self._state.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape(np.shape(self._state.value))

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def trainable(self) -> bool:
        return self._state.trainable

    @property
    def device(self) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def handle(self):
        return self

    def ref(self):
        return _Reference(self)

    experimental_ref = ref

    # -- reading -----------------------------------------------------------
    def _read(self) -> EagerTensor:
        value = EagerTensor(self._state.value, self._state.dtype)
        if tape.state.tapes:
            tape.record_variable_read(self, value)
        if tape.state.watchers:
            tape.notify_watchers(self)
        return value

    def value(self) -> EagerTensor:
        return self._read()

    read_value = value

    def numpy(self):
        if provenance.active:
            provenance.note_exit(self)
        value = self._state.value
        return value[()] if type(value) is np.ndarray and value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        if provenance.active:
            provenance.note_exit(self)
        return np.asarray(self.numpy(), dtype=dtype)  # as TF: a string scalar becomes a bytes array

    def __bool__(self) -> bool:
        return bool(self._read())

    def __float__(self) -> float:
        return float(self._read())

    def __int__(self) -> int:
        return int(self._read())

    def __iter__(self):
        return iter(self._read())

    def __hash__(self):
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self!r})")

    def __repr__(self) -> str:
        state = self._state
        return (
            f"<tf.Variable '{self._display_name()}' shape={self.shape} dtype={state.dtype.name}, "
            f"numpy={numpy_text(self.numpy(), is_repr=True)}>"
        )

    __str__ = __repr__

    def _display_name(self) -> str:
        return self._state.name

    # -- writing -----------------------------------------------------------
    def _converted(self, value):
        return convert_to_tensor(value, dtype=self._state.dtype)._value

    def assign(self, value, use_locking=None, name=None, read_value=True):
        new = self._converted(value)
        state = self._state
        if np.shape(new) != np.shape(state.value):
            raise ValueError(
                f"Cannot assign value to variable ' {state.name}': Shape mismatch."
                f"The variable shape {self.shape}, and the assigned value shape {TensorShape(np.shape(new))} are incompatible."
            )
        state.value = new
        if provenance.active:
            provenance.note_assign(self, value)
        return self._lazy_read() if read_value else None

    def _update(self, delta, op_name, combine, read_value, name=None):
        delta_value = self._converted(delta)
        state = self._state
        if state.dtype.name in ("bool", "string"):
            raise _no_update_kernel(op_name, state.dtype, name or "")
        if np.shape(delta_value) != np.shape(state.value):
            raise errors.kernel_error(
                op_name,
                f"Cannot update variable with shape {shape_text(np.shape(state.value))} using a Tensor with shape "
                f"{shape_text(np.shape(delta_value))}, shapes must be equal.",
                name or "",
            )
        with state.lock:
            state.value = combine(state.value, delta_value)
        if provenance.active:
            provenance.note_assign(self, delta)
        return self._lazy_read() if read_value else None

    def _lazy_read(self):
        """TF's _lazy_read: the assigned variable counts as accessed (watched), nothing is recorded."""
        if tape.state.tapes:
            tape.variable_accessed(self)
        if tape.state.watchers:
            tape.notify_watchers(self)
        return _UnreadVariable(self._state)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(delta, "AssignAddVariableOp", np.add, read_value, name)

    # -- rows: reading and updating some rows only (IndexedSlices) ---------------------------
    def sparse_read(self, indices, name=None):
        """The rows `indices` (TF's ResourceGather: what tf.gather reads a variable with on axis 0)."""
        from ..ops.array_ops import resource_gather  # the ops package imports the engine

        return resource_gather(self, indices, name)

    def gather_nd(self, indices, name=None):
        from ..ops.array_ops import gather_nd

        return gather_nd(self, indices, name=name)

    def _scatter(self, sparse_delta, op_type, combine, name):
        """`combine(rows, updates)` at the rows of `sparse_delta`, one index after the other (so
        repeated rows accumulate, and a repeated update keeps the last), as TF's CPU kernels do."""
        if not is_indexed_slices(sparse_delta):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        from ..ops.array_ops import scatter_rows

        updates = convert_to_tensor(sparse_delta.values, dtype=self.dtype)
        with self._state.lock:
            self._state.value = scatter_rows(self, sparse_delta.indices, updates, op_type, combine, name)
        return self._lazy_read()

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterAdd", np.add, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterSub", np.subtract, name)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterMul", np.multiply, name)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterDiv", _divide, name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterMax", np.maximum, name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterMin", np.minimum, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "ResourceScatterUpdate", lambda rows, updates: updates, name)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(delta, "AssignSubVariableOp", np.subtract, read_value, name)


def _divide(rows, updates):
    """C++'s `/`: integers truncate toward zero."""
    if np.asarray(rows).dtype.kind in "iu":
        return (np.sign(rows) * np.sign(updates) * (np.abs(rows) // np.abs(updates))).astype(np.asarray(rows).dtype)
    return rows / updates


class ResourceVariable(BaseResourceVariable):
    __slots__ = ()

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        validate_shape=True,
        caching_device=None,
        name=None,
        variable_def=None,
        dtype=None,
        import_scope=None,
        constraint=None,
        synchronization=None,
        aggregation=None,
        shape=None,
        experimental_enable_variable_lifting=True,
    ):
        if initial_value is None:
            raise ValueError(
                "The `initial_value` arg to `tf.Variable` must be specified except when you are not "
                "providing a `variable_def`. You provided neither."
            )
        if callable(initial_value):
            initial_value = initial_value()
        with tape.stop_recording_all():  # initialising a variable is not a differentiable read
            initial = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
        if shape is not None and not initial.shape.is_compatible_with(shape):
            # TF checks an explicit `shape` against the initial value's, and prints the argument as given
            raise ValueError(
                f"In this `tf.Variable` creation, the initial value's shape ({initial.shape}) is not compatible with "
                f"the explicitly supplied `shape` argument ({shape})."
            )
        state = _State()
        state.lock = threading.Lock()
        state.value = initial._value
        state.dtype = initial._dtype
        state.id = next_id()
        state.name = f"{current_scope()}{name if name is not None else 'Variable'}:0"
        state.trainable = True if trainable is None else bool(trainable)
        state.created_at = provenance.user_site(2)
        self._state = state


class _UnreadVariable(BaseResourceVariable):
    """What `assign*` returns in eager mode: the same variable, printed as 'UnreadVariable'."""

    __slots__ = ()

    def __init__(self, state: _State):
        self._state = state

    def _display_name(self) -> str:
        return "UnreadVariable"

    def _read(self) -> EagerTensor:  # TF: recorded on tapes watching the variable; watches nothing
        value = EagerTensor(self._state.value, self._state.dtype)
        if tape.state.tapes:
            tape.record_variable_read(self, value, accessed=False)
        return value

    @property
    def name(self) -> str:  # TF eager: the name of an unread variable, not its parent's
        return "UnreadVariable"
