"""Why a gradient is None: `shim.debugging.explain_gradients` (an extension; TF has no such thing).

The tape's records say whether a source reaches the target. When it does not, the cut is
found in three places, nearest the source first: the tape's own records (a cast to an
integer, stop_gradient, an op without a gradient, a value that left for numpy, an assign),
the provenance of the target when explanations were on while it was computed (an op run
before the tape, while it was paused, before a reset, on another tape), and the source
itself (a constant never watched, a variable replaced by a tensor, trainable=False).
"""

from __future__ import annotations

import os
from typing import Any

from . import nest, provenance
from .logging import get_logger
from .ops import gradient_function

REASONS = (
    "not_watched",
    "not_trainable",
    "replaced_by_tensor",
    "left_via_numpy",
    "integer_dtype",
    "stateful_assign",
    "computed_before_tape",
    "stop_gradient",
    "stop_recording",
    "reset",
    "other_tape",
    "no_path",
)


class Explanation:
    """Why one source gets no gradient: `.reason` (one of REASONS), `.where` ((file, line) or None), `.message`."""

    __slots__ = ("reason", "where", "message", "source_name")

    def __init__(self, reason: str, where: provenance.Site | None, source_name: str, cut: str, fix: str):
        self.reason = reason
        self.where = where
        self.source_name = source_name
        place = f" ({_short(where)})" if where else ""
        self.message = f"{source_name} gets no gradient: {cut}{place}. {fix}"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"<Explanation {self.reason} at {_short(self.where)}: {self.message}>"


def _short(site: provenance.Site | None) -> str:
    if site is None:
        return "unknown line"
    filename, line = site
    return f"{os.path.relpath(filename) if not filename.startswith('<') else filename}:{line}"


def _name(source) -> str:
    if getattr(source, "_is_variable", False):
        return f"Variable {source.name!r}"
    return f"Tensor (id {source._id}, {source.dtype.name}, shape {source.shape})"


# -- the tape's own records ------------------------------------------------------------------


def _reached(entries, target_ids: set[int]) -> set[int]:
    """Ids a backward pass from the targets reaches, as backward.run walks the records."""
    needed = set(target_ids)
    for entry in reversed(entries):
        if not any(out._id in needed for out in entry.outputs):
            continue
        if gradient_function(entry.type) is None:
            continue
        for i, x in enumerate(entry.inputs):
            if i not in entry.skip_input_indices:
                needed.add(x._id)
    return needed


def _cut_on_tape(tape_obj, records, source) -> Explanation | None:
    """Follows the source forward through the records: the first op that no gradient passes."""
    name = _name(source)
    flowing = {source._id}
    since = tape_obj._history.created_serial  # values printed before the tape are not its concern
    numpy_exits = {tensor_id: (site, when) for tensor_id, _o, site, when in provenance.exits if when > since}
    for entry in records.entries:
        ins = [i for i, x in enumerate(entry.inputs) if x._id in flowing and i not in entry.skip_input_indices]
        if not ins:
            continue
        site = _site_of(entry)
        if gradient_function(entry.type) is None:
            if entry.type == "StopGradient":
                return Explanation(
                    "stop_gradient",
                    site,
                    name,
                    "the path goes through tf.stop_gradient",
                    "Remove the stop_gradient call if this value should be trained.",
                )
            return Explanation(
                "no_path",
                site,
                name,
                f"the path goes through {entry.type}, which has no gradient",
                "Use a differentiable op here (or tf.custom_gradient) if a gradient is expected.",
            )
        for out in entry.outputs:
            if not out._dtype.trainable:
                return Explanation(
                    "integer_dtype",
                    site,
                    name,
                    f"the path becomes a {out._dtype.name} tensor here, and integers carry no gradient",
                    "Keep the values floating (cast to tf.float32 instead) along the path.",
                )
            flowing.add(out._id)
    for tensor_id in flowing:
        if tensor_id in numpy_exits:
            site, _when = numpy_exits[tensor_id]
            return Explanation(
                "left_via_numpy",
                site,
                name,
                "the path left the tape through numpy here",
                "Use shim (tf.*) ops instead of numpy inside the tape.",
            )
    assigned = _assign_from(flowing)
    if assigned is not None:
        return Explanation(
            "stateful_assign",
            assigned.site,
            name,
            "the value flows into a variable's assign here, and assigns are not differentiable",
            "Compute with the value directly instead of assigning it and reading the variable back.",
        )
    return None


def _site_of(entry) -> provenance.Site | None:
    for out in entry.outputs:
        origin = getattr(out, "_origin", None)
        if origin is not None:
            return origin.site
    return None


def _assign_from(flowing: set[int]):
    for origin in list(provenance.assigns):
        if any(tensor_id in flowing for tensor_id, _o in origin.inputs):
            return origin
    return None


# -- provenance: the path from the source to the target, outside the tape's records -----------


def _path_to(target_origins, source) -> list | None:
    """Origins from the source to the target (source side first), or None if none is recorded."""
    source_id = source._id
    parents: dict[int, Any] = {}
    stack = [(o, None) for o in target_origins if o is not None]
    seen: set[int] = set()
    while stack:
        origin, child = stack.pop()
        if id(origin) in seen:
            continue
        seen.add(id(origin))
        parents[id(origin)] = child
        if origin.variable is not None and origin.variable._id == source_id:
            return _unwind(origin, parents)
        if any(tensor_id == source_id for tensor_id, _o in origin.inputs):
            return _unwind(origin, parents)
        for _tensor_id, parent in origin.inputs:
            if parent is not None:
                stack.append((parent, origin))
        if origin.assigned is not None:
            stack.append((origin.assigned, origin))
    return None


def _unwind(origin, parents) -> list:
    path = [origin]
    while parents.get(id(path[-1])) is not None:
        path.append(parents[id(path[-1])])
    return path


def _cut_in_provenance(tape_obj, records, target_origins, source) -> Explanation | None:
    path = _path_to(target_origins, source)
    if path is None:
        return None
    name = _name(source)
    ident = records.ident if records is not None else None
    for origin in path:  # cuts no tape could have recorded across come first
        if origin.op_type == "StopGradient":
            return Explanation(
                "stop_gradient",
                origin.site,
                name,
                "the path goes through tf.stop_gradient here",
                "Remove the stop_gradient call if this value should be trained.",
            )
        if origin.op_type == "AssignVariableOp":
            return Explanation(
                "stateful_assign",
                origin.site,
                name,
                "the value went through a variable's assign here, and assigns are not differentiable",
                "Compute with the value directly instead of assigning it and reading the variable back.",
            )
    for origin in path:
        if records is not None and origin.output_ids and origin.output_ids[0] in records.watched:
            continue  # this tape recorded it
        if ident in origin.active:  # it ran while the tape recorded, but nothing it read was watched
            return Explanation(
                "not_watched",
                tape_obj._history.created_site,
                name,
                "the tape does not watch it",
                "Call tape.watch() on it inside the tape's block.",
            )
        paused = [site for tape_ident, site, _when in origin.paused if tape_ident == ident]
        if paused:
            return Explanation(
                "stop_recording",
                paused[0],
                name,
                "the path was computed while the tape was paused by stop_recording() here",
                "Compute it outside the stop_recording() block if it should be differentiated.",
            )
        reset = [r for r in tape_obj._history.resets if r[0] in origin.active]
        if reset:
            return Explanation(
                "reset",
                reset[0][1],
                name,
                "the path was recorded before tape.reset() here, which forgot it",
                "Compute the target after the reset, or reset the tape before this computation.",
            )
        if origin.serial < tape_obj._history.created_serial:
            return Explanation(
                "computed_before_tape",
                origin.site,
                name,
                "the path was computed here, before the tape started recording",
                "Move this computation inside the `with tf.GradientTape()` block.",
            )
        if origin.active:
            return Explanation(
                "other_tape",
                origin.site,
                name,
                "the path was computed here on another tape, not on this one",
                "Ask the tape that recorded it, or compute it while this tape records.",
            )
        return Explanation(
            "no_path",
            origin.site,
            name,
            "the path was computed here, outside the tape's context",
            "Compute it inside the `with tf.GradientTape()` block.",
        )
    return None


# -- the source itself -------------------------------------------------------------------------


def _cut_at_source(tape_obj, records, source, target_origins) -> Explanation:
    name = _name(source)
    created = tape_obj._history.created_site
    watched = records is not None and source._id in records.watched
    if getattr(source, "_is_variable", False):
        if not source.trainable and not watched:
            return Explanation(
                "not_trainable",
                getattr(source._state, "created_at", None) or created,
                name,
                "it was created with trainable=False, so the tape does not watch it",
                "Call tape.watch() on it, or create it with trainable=True.",
            )
        if not watched:
            if not tape_obj._watch_accessed_variables:
                return Explanation(
                    "not_watched",
                    created,
                    name,
                    "the tape was created with watch_accessed_variables=False and never watched it",
                    "Call tape.watch() on it.",
                )
            return Explanation(
                "no_path",
                created,
                name,
                "the target does not use it while the tape records",
                "Check that the target is computed from it inside the tape's block.",
            )
    else:
        if not source._dtype.trainable:
            return Explanation(
                "integer_dtype",
                created,
                name,
                f"it is a {source._dtype.name} tensor, and integers carry no gradient",
                "Cast it to a floating dtype (tf.float32) before watching it.",
            )
        if not watched:
            origin = getattr(source, "_origin", None)
            if origin is not None and _reads_a_variable(origin):
                return Explanation(
                    "replaced_by_tensor",
                    origin.site,
                    name,
                    "it is a tensor computed from a variable here, not the variable (e.g. `x = x + 1`)",
                    "Keep it a tf.Variable and update it with x.assign_add(...) or x.assign(...).",
                )
            return Explanation(
                "not_watched",
                created,
                name,
                "the tape does not watch it (only trainable variables are watched automatically)",
                "Call tape.watch() on it inside the tape's block, or make it a tf.Variable.",
            )
    return Explanation(
        "no_path",
        created,
        name,
        "the target does not depend on it through anything the tape recorded",
        "Check that the target is computed from it inside the tape's block.",
    )


def _reads_a_variable(origin) -> bool:
    stack, seen = [origin], set()
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if o.variable is not None:
            return True
        stack.extend(parent for _i, parent in o.inputs if parent is not None)
    return False


# -- the API -----------------------------------------------------------------------------------


def explain_one(tape_obj, records, flat_targets, source) -> Explanation | None:
    """None if `source` gets a gradient from the recorded targets, else why it does not."""
    target_ids = {t._id for t in flat_targets if t is not None}
    float_targets = [t for t in flat_targets if t is not None and t._dtype.trainable]
    name = _name(source)
    if not float_targets:
        dtype = flat_targets[0].dtype.name if flat_targets else "none"
        return Explanation(
            "integer_dtype",
            _origin_site(flat_targets) or tape_obj._history.created_site,
            name,
            f"the target is {dtype}, and only floating targets have gradients",
            "Compute the target in a floating dtype.",
        )
    if records is not None and source._id in _reached(records.entries, target_ids):
        return None
    target_origins = [getattr(t, "_origin", None) for t in flat_targets]
    watched = records is not None and source._id in records.watched
    if watched:
        found = _cut_on_tape(tape_obj, records, source)
        if found is not None:
            return found
    elif records is not None and (not _is_trainable_variable(source) or not tape_obj._watch_accessed_variables):
        return _cut_at_source(tape_obj, records, source, target_origins)
    found = _cut_in_provenance(tape_obj, records, target_origins, source)
    if found is not None:
        return found
    if records is None:
        return Explanation(
            "no_path",
            tape_obj._history.created_site,
            name,
            "the tape's records were released by its gradient call",
            "Turn on shim.debugging.enable_gradient_explanations() to keep them, or use persistent=True.",
        )
    return _cut_at_source(tape_obj, records, source, target_origins)


def _is_trainable_variable(source) -> bool:
    return getattr(source, "_is_variable", False) and source.trainable


def _origin_site(flat_targets):
    for t in flat_targets:
        origin = getattr(t, "_origin", None)
        if origin is not None:
            return origin.site
    return None


def explain_gradients(tape_obj, target, sources):
    """`sources`' structure with None where a gradient flows and an Explanation where it is None
    (or would be zero with unconnected_gradients=ZERO)."""
    records = tape_obj._tape if tape_obj._tape is not None else tape_obj._history.released
    flat_targets = nest.flatten(target)
    return nest.map_structure(lambda s: explain_one(tape_obj, records, flat_targets, s), sources)


def log_explanations(tape_obj, records, flat_targets, flat_sources, flat_grads) -> None:
    """With explanations on: each None gradient's explanation, as a warning on the "tensorflow" logger."""
    for source, grad in zip(flat_sources, flat_grads):
        if grad is None:
            found = explain_one(tape_obj, records, flat_targets, source)
            if found is not None:
                get_logger().warning("%s", found.message)
