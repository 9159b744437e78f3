"""`model.summary()`: Keras 3's table, as it prints on an 80-column console without colour."""

from __future__ import annotations

import math

_WIDTHS = (33, 24, 15)  # the three columns' widths between borders, padding included


def _memory(weights) -> float:
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(w.shape.as_list()) * w.dtype.size for w in unique)


def _readable(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _count(weights) -> int:
    return sum(math.prod(w.shape.as_list()) for w in {id(w): w for w in weights}.values())


def _rule(left, middle, right, fill):
    return left + middle.join(fill * w for w in _WIDTHS) + right


def _row(cells, bar="│"):
    name, shape, params = cells
    inner = [w - 2 for w in _WIDTHS]
    return f"{bar} {name:<{inner[0]}} {bar} {shape:<{inner[1]}} {bar} {params:>{inner[2]}} {bar}"


def _layer_cells(layer):
    label = f"{layer.name} ({type(layer).__name__})"
    if not layer.built:
        return label, "?", "0 (unbuilt)"
    shape = layer._output_shape
    return label, str(tuple(shape)) if shape is not None else "?", f"{layer.count_params():,}"


def print_summary(model, print_fn=None):
    lines = [
        f'Model: "{model.name}"',
        _rule("┏", "┳", "┓", "━"),
        _row(("Layer (type)", "Output Shape", "Param #"), "┃"),
    ]
    lines.append(_rule("┡", "╇", "┩", "━"))
    rows = [_row(_layer_cells(layer)) for layer in model.layers]
    lines.append(("\n" + _rule("├", "┼", "┤", "─") + "\n").join(rows) if rows else "")
    if not rows:
        lines.pop()
    lines.append(_rule("└", "┴", "┘", "─"))
    trainable, fixed = model.trainable_weights, model.non_trainable_weights
    optimizer_weights = _optimizer_weights(model)
    total = _count(trainable) + _count(fixed) + _count(optimizer_weights)
    total_size = _memory(trainable) + _memory(fixed) + _memory(optimizer_weights)
    lines.append(f" Total params: {total:,} ({_readable(total_size)})")
    lines.append(f" Trainable params: {_count(trainable):,} ({_readable(_memory(trainable))})")
    lines.append(f" Non-trainable params: {_count(fixed):,} ({_readable(_memory(fixed))})")
    if optimizer_weights:
        lines.append(f" Optimizer params: {_count(optimizer_weights):,} ({_readable(_memory(optimizer_weights))})")
    text = "\n".join(lines)
    if print_fn is None:
        print(text)
    else:
        print_fn(text)


def _optimizer_weights(model) -> list:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not optimizer._slots and not optimizer.iterations.numpy():
        return []
    return optimizer.variables
