"""Where values came from: what gradient explanations need beyond a tape's own records.

Off by default, and then nothing here runs per op. When explanations are switched on, a
`Provenance` recorder joins each thread's tape list (as a forward accumulator does), so every
op that takes a floating input, on a tape or not, leaves an `Origin` on its outputs: the op,
the user's line, which tapes recorded it, which were paused. Variables remember their last
assign, and tensors that leave for numpy are logged. Always kept, because they are rare and
cheap: where tapes are created, reset and paused, and where variables are created.
"""

from __future__ import annotations

import collections
import itertools
import os
import pathlib
import sys
import threading
from typing import Any

import numpy as np

Site = tuple[str, int]

_SHIM_ROOT = str(pathlib.Path(__file__).resolve().parents[1]) + os.sep
# frames the user's line is looked for behind: the shim's, and numpy's (np.mean(t) reads t in there)
_NOT_USERS = (_SHIM_ROOT, str(pathlib.Path(np.__file__).resolve().parent) + os.sep)
ENV_SWITCH = "TFCOMPAT_EXPLAIN_GRADIENTS"

serial = itertools.count(1).__next__  # orders ops, tapes, resets and pauses in time


def user_site(skip: int = 1) -> Site | None:
    """(filename, line) of the first frame outside the shim package: the user's line."""
    frame: Any = sys._getframe(skip)
    while frame is not None and frame.f_code.co_filename.startswith(_NOT_USERS):
        frame = frame.f_back
    return (frame.f_code.co_filename, frame.f_lineno) if frame is not None else None


class Origin:
    """One op as it ran: what it read, where, and which tapes recorded it."""

    __slots__ = (
        "op_type",
        "inputs",
        "output_ids",
        "site",
        "serial",
        "active",
        "paused",
        "variable",
        "assigned",
    )

    def __init__(self, op_type: str, inputs: tuple, output_ids: tuple, site: Site | None):
        self.op_type = op_type
        self.inputs = inputs  # ((tensor id, Origin or None), ...)
        self.output_ids = output_ids
        self.site = site
        self.serial = serial()
        self.active: tuple = ()  # idents of the tapes (their records) recording when it ran
        self.paused: tuple = ()  # (records ident, pause site) of the tapes paused while it ran
        self.variable: Any = None  # ReadVariableOp: the variable read
        self.assigned: Origin | None = None  # ReadVariableOp: the assign that gave the value read


class _Everything:
    """Stands where a tape keeps the ids it watches: every input counts, nothing is added."""

    def __contains__(self, _item) -> bool:
        return True

    def add(self, _item) -> None:
        pass


class _Noting:
    """Stands where a tape keeps its entries: each op appended leaves its Origin."""

    __slots__ = ("append",)

    def __init__(self, append):
        self.append = append


class Provenance:
    """The recorder that joins a thread's tapes while explanations are on."""

    watch_accessed = False
    persistent = True

    def __init__(self):
        self.watched = _Everything()
        self.entries = _Noting(self.note)
        self.variables: dict = {}

    def watch_variable(self, variable) -> None:
        pass

    def note(self, entry) -> None:
        from . import tape  # tape imports this module

        site = user_site(2)
        inputs = tuple((x._id, getattr(x, "_origin", None)) for x in entry.inputs)
        origin = Origin(entry.type, inputs, tuple(o._id for o in entry.outputs), site)
        # which of them record it is read later from their watched ids (they may not have watched it yet)
        origin.active = tuple(t.ident for t in tape.state.tapes if type(t) is tape._Tape)
        origin.paused = tuple(_paused())
        if entry.type == "ReadVariableOp":
            variable = entry.inputs[0]
            origin.variable = variable
            origin.assigned = getattr(variable._state, "assigned", None)
            origin.inputs = ((variable._id, None),)
        for out in entry.outputs:
            try:
                out._origin = origin
            except AttributeError:  # a variable handle's read value is always a tensor; be safe anyway
                pass


# -- the switch --------------------------------------------------------------------------

active = os.environ.get(ENV_SWITCH, "").strip().lower() in ("1", "true", "yes", "on")
_recorders: dict[int, Provenance] = {}  # thread id -> its recorder
_lock = threading.Lock()
exits: collections.deque = collections.deque(maxlen=100_000)  # (tensor id, origin, site, serial): left for numpy
assigns: collections.deque = collections.deque(maxlen=100_000)  # the Origins of assigns, in order
_pause_stack = threading.local()


def recorder_for_this_thread() -> Provenance | None:
    """This thread's recorder when explanations are on (made on first use, so new threads get one)."""
    if not active:
        return None
    ident = threading.get_ident()
    found = _recorders.get(ident)
    if found is None:
        with _lock:
            found = _recorders.setdefault(ident, Provenance())
    return found


def _paused() -> list:
    return list(getattr(_pause_stack, "items", ()))


def push_pause(records_ident: int, site: Site | None) -> None:
    items = getattr(_pause_stack, "items", None)
    if items is None:
        items = _pause_stack.items = []
    items.append((records_ident, site, serial()))


def pop_pause() -> None:
    items = getattr(_pause_stack, "items", None)
    if items:
        items.pop()


def note_exit(tensor) -> None:
    """A tensor's value left for numpy (`.numpy()`, `np.asarray(t)`) in the user's code: its path ends there."""
    caller: Any = sys._getframe(2)
    while caller is not None and caller.f_code.co_filename.startswith(_NOT_USERS[1]):
        caller = caller.f_back  # numpy reading it for the user
    if caller is None or caller.f_code.co_filename.startswith(_SHIM_ROOT):
        return  # the shim's own use of a value
    exits.append((tensor._id, getattr(tensor, "_origin", None), user_site(3), serial()))


def note_assign(variable, value) -> None:
    """An assign: reads after it see a value no gradient flows back through."""
    site = user_site(3)
    tensor_id = getattr(value, "_id", None)  # a variable's id when a variable is assigned
    origin = Origin("AssignVariableOp", ((tensor_id, getattr(value, "_origin", None)),), (), site)
    variable._state.assigned = origin
    assigns.append(origin)
